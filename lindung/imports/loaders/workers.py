"""Workers proposed for a premium subsidy: one office's list, keyed by proposer and person.

The proposing office is part of the key because a province list and a kab/kota list may both
propose the same person; each office manages its own proposals.
"""

from __future__ import annotations

import polars as pl
from django.core.exceptions import PermissionDenied

from lindung.imports.loaders import people
from lindung.imports.loaders.columns import Col, column_exprs, map_distinct
from lindung.imports.loaders.common import FLAG, INT_MAX, KALTIM, LoadContext
from lindung.imports.loaders.issues import blank, issues, out_of_range
from lindung.imports.loaders.prepared import Prepared, finish
from lindung.imports.loaders.region_columns import outside_scope, worker_regions
from lindung.imports.loaders.regions import Regions
from lindung.imports.loaders.spec import Spec
from lindung.registry.models import Worker, WorkerStatus
from lindung.registry.occupations import classify

WORKERS = Spec(
    model=Worker,
    columns=("nik", "nik_status", "name", "name_search", "birth_date", "sex", "address", "desa_id",
             "kecamatan_id", "kabkota_id", "occupation", "monthly_income", "poverty_decile",
             "proposer_id", "source"),
    compare=("nik", "nik_status", "name", "birth_date", "sex", "address", "desa_id", "kecamatan_id",
             "kabkota_id", "occupation", "monthly_income", "poverty_decile"),
    follow=("name_search", "source"),
    matchers=people.nik_matchers("t.proposer_id = s.proposer_id"),
    insert_constants=(("status", WorkerStatus.PROPOSED.value),),
    repr_columns=("name", "nik"),
    describe=people.masked,
)  # fmt: skip

_COLUMNS = (
    Col("name", "nama", "text", 150),
    Col("birth_date", "tanggal_lahir", "date"),
    Col("address", "alamat", "text", 255),
    Col("monthly_income", "penghasilan_bulanan", "int"),
    Col("poverty_decile", "desil", "int"),
    Col("file_source", "sumber_data", "text", 100),
    Col("sex", "jenis_kelamin", "upper", 1),
)


def prepare_workers(frame: pl.DataFrame, context: LoadContext, regions: Regions) -> Prepared:
    """Stage columns, issues and natural key of a worker file (see the package doc)."""
    proposer = _proposer(context, regions)
    exprs, present = column_exprs(frame, _COLUMNS)
    frame = people.name_search(people.nik_and_status(frame).with_columns(exprs))
    present |= {"nik", "nik_status", "name", "desa_id", "kecamatan_id", "kabkota_id"}
    present.discard("file_source")
    frame = frame.with_columns(
        _sex(),
        pl.when(pl.col("file_source") != "")
        .then(pl.col("file_source"))
        .otherwise(pl.lit(context.source[:100]))
        .alias("source"),
        pl.lit(proposer).alias("proposer_id"),
    )
    found = [
        blank(frame, "name", "nama", "Nama"),
        out_of_range(frame, "monthly_income", "penghasilan_bulanan", INT_MAX),
        out_of_range(frame, "poverty_decile", "desil", 10),
        issues(
            frame,
            pl.col("sex") == "",
            "jenis_kelamin",
            None,
            "Jenis kelamin kosong dan tidak dapat dibaca dari NIK",
            FLAG,
        ),
    ]
    if "pekerjaan" in frame.columns:
        present.add("occupation")
    frame, occupation_issues = _occupation(frame)
    found += occupation_issues
    frame, region_issues = worker_regions(frame, regions)
    found += region_issues
    found += outside_scope(frame, context, regions, "kode_wilayah", region_issues)
    return finish(
        WORKERS,
        frame,
        found,
        present,
        people.person_key(),
        people.NIK_OR_NAME,
        "nik",
        detail={"proposer": proposer},
    )


def _proposer(context: LoadContext, regions: Regions) -> str:
    """The proposing office: the province or a Kaltim kab/kota, an operator's own only."""
    proposer = (context.proposer_code or "").strip()
    if proposer != KALTIM and proposer not in regions.kaltim_kabkota:
        raise ValueError(
            f"Instansi pengusul harus '64' atau kode kab/kota Kaltim, bukan {proposer!r}"
        )
    if context.scope_kabkota and proposer != context.scope_kabkota:
        raise PermissionDenied("Operator kab/kota hanya dapat mengusulkan atas nama instansinya.")
    return proposer


def _sex() -> pl.Expr:
    """Sex from the file, else from a valid NIK (women: day + 40), else ""."""
    nik_day = pl.col("nik").str.slice(6, 2).cast(pl.Int32, strict=False)
    from_nik = pl.when(pl.col("nik_status") == "valid").then(
        pl.when(nik_day > 40).then(pl.lit("P")).otherwise(pl.lit("L"))
    )
    sex = pl.col("sex")
    return pl.when(sex.is_in(["L", "P"])).then(sex).otherwise(from_nik).fill_null("").alias("sex")


def _occupation(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """Occupation code from free text, each distinct text classified once; unknown: flagged."""
    if "pekerjaan" not in frame.columns:
        return frame.with_columns(pl.lit("lainnya").alias("occupation")), []
    text = frame.get_column("pekerjaan").cast(pl.String)
    frame = frame.with_columns(
        map_distinct(text, lambda t: classify(t)[0], pl.String)
        .fill_null("lainnya")
        .alias("occupation"),
        map_distinct(text, lambda t: classify(t)[1], pl.Boolean).fill_null(True).alias("__known"),
    )
    unknown = issues(
        frame,
        ~pl.col("__known"),
        "pekerjaan",
        pl.col("pekerjaan"),
        "Pekerjaan tidak dikenali: dicatat sebagai 'Lainnya'",
        FLAG,
    )
    return frame, [unknown]
