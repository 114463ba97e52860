"""BPJS Ketenagakerjaan participants: membership lists, keyed by person, segment and NPP.

One person may be a participant in several segments and with several employers, so the key
includes both; regions are any known code, since participants live outside Kaltim too.
"""

from __future__ import annotations

import polars as pl

from lindung.imports.loaders import people
from lindung.imports.loaders.columns import Col, column_exprs
from lindung.imports.loaders.common import FLAG, INT_MAX, LoadContext
from lindung.imports.loaders.issues import blank, issues, not_in, out_of_range
from lindung.imports.loaders.prepared import Prepared, finish
from lindung.imports.loaders.region_columns import dotted, outside_scope
from lindung.imports.loaders.regions import Regions
from lindung.imports.loaders.spec import Spec
from lindung.matching.models import Participant

PARTICIPANTS = Spec(
    model=Participant,
    columns=("nik", "nik_status", "name", "name_search", "birth_date", "sex", "segment", "status",
             "npp", "region_id", "kabkota_id", "membership_date", "programmes", "reported_wage",
             "payer", "source"),
    compare=("nik", "nik_status", "name", "birth_date", "sex", "status", "region_id", "kabkota_id",
             "membership_date", "programmes", "reported_wage", "payer"),
    follow=("name_search", "source"),
    matchers=people.nik_matchers("t.segment = s.segment AND t.npp = s.npp"),
    created_field="imported_at",
    repr_columns=("name", "nik", "segment"),
    describe=lambda v: f"{people.masked(v)[:-1]}, {v.get('segment', '')})",
)  # fmt: skip

_COLUMNS = (
    Col("name", "nama", "text", 150),
    Col("birth_date", "tanggal_lahir", "date"),
    Col("sex", "jenis_kelamin", "upper", 1),
    Col("segment", "segmen", "upper", 5),
    Col("status", "status", "upper", 8),
    Col("npp", "npp", "compact", 20),
    Col("membership_date", "tanggal_kepesertaan", "date"),
    Col("programmes", "program", "list", 40),
    Col("reported_wage", "upah", "int"),
    Col("payer", "pembayar", "lower", 14),
)


def prepare_participants(frame: pl.DataFrame, context: LoadContext, regions: Regions) -> Prepared:
    """Stage columns, issues and natural key of a participant file (see the package doc)."""
    exprs, present = column_exprs(frame, _COLUMNS)
    frame = people.name_search(people.nik_and_status(frame).with_columns(exprs))
    present |= {"nik", "nik_status", "name", "segment", "status", "npp"}
    frame = _with_region(frame, regions).with_columns(
        pl.when(pl.col("sex").is_in(["L", "P"]))
        .then(pl.col("sex"))
        .otherwise(pl.lit(""))
        .alias("sex"),
        pl.lit(context.source[:100]).alias("source"),
    )
    if "kode_wilayah" in frame.columns:
        present |= {"region_id", "kabkota_id"}
    found = [*_issues(frame), *outside_scope(frame, context, regions, "kode_wilayah")]
    key = people.person_key("segment", "npp")
    return finish(PARTICIPANTS, frame, found, present, key, people.NIK_OR_NAME, "nik")


def _with_region(frame: pl.DataFrame, regions: Regions) -> pl.DataFrame:
    """Region: any known code (any level, any province); kab/kota from its first two parts."""
    code = (
        dotted(pl.col("kode_wilayah"))
        if "kode_wilayah" in frame.columns
        else pl.lit(None, dtype=pl.String)
    )
    known = regions.frame.get_column("code").implode()
    kabkota = regions.frame.filter(pl.col("level") == "kabkota").get_column("code").implode()
    return frame.with_columns(code.alias("__code")).with_columns(
        pl.when(pl.col("__code").is_in(known)).then(pl.col("__code")).alias("region_id"),
        pl.when(pl.col("__code").str.slice(0, 5).is_in(kabkota))
        .then(pl.col("__code").str.slice(0, 5))
        .alias("kabkota_id"),
    )


def _issues(frame: pl.DataFrame) -> list[pl.DataFrame]:
    unknown_code = pl.col("__code").is_not_null() & pl.col("region_id").is_null()
    no_npp = pl.col("segment").is_in(["PU", "JAKON"]) & (pl.col("npp") == "")
    return [
        blank(frame, "name", "nama", "Nama"),
        blank(frame, "segment", "segmen", "Segmen"),
        blank(frame, "status", "status", "Status kepesertaan"),
        not_in(
            frame, "segment", "segmen", ("PU", "BPU", "JAKON"), "Segmen harus PU, BPU atau JAKON"
        ),
        not_in(
            frame, "status", "status", ("AKTIF", "NONAKTIF"), "Status harus AKTIF atau NONAKTIF"
        ),
        not_in(
            frame,
            "payer",
            "pembayar",
            ("mandiri", "pemberi_kerja", "pemerintah", "csr"),
            "Pembayar iuran tidak dikenal",
        ),
        out_of_range(frame, "reported_wage", "upah", INT_MAX),
        issues(
            frame,
            unknown_code,
            "kode_wilayah",
            pl.col("__code"),
            "Kode wilayah tidak dikenal: wilayah dikosongkan (kecuali kabupaten/kota)",
            FLAG,
        ),
        issues(
            frame,
            no_npp,
            "npp",
            None,
            "NPP kosong untuk peserta penerima upah/jasa konstruksi",
            FLAG,
        ),
    ]
