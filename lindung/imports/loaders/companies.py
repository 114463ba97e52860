"""Companies (from the business licence registry) and employers (BPJS Ketenagakerjaan).

Both are businesses with a name, NPWP, address and kab/kota, so they share their preparation;
they differ in their keys. A company is found by its NIB, else its NPWP, else its name in its
kab/kota, and a file never blanks a stored NIB or NPWP; an employer is found by its NPP.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from lindung.compliance.models import Company, Employer
from lindung.compliance.names import company_name_key_expr
from lindung.imports.loaders.columns import Col, column_exprs
from lindung.imports.loaders.common import FLAG, INT_MAX, LoadContext
from lindung.imports.loaders.issues import blank, issues, not_in, out_of_range
from lindung.imports.loaders.prepared import Prepared, finish
from lindung.imports.loaders.region_columns import kabkota_column, outside_scope
from lindung.imports.loaders.regions import Regions
from lindung.imports.loaders.spec import Spec
from lindung.registry.names import search_key_series

COMPANIES = Spec(
    model=Company,
    columns=("name", "name_key", "nib", "npwp", "address", "kabkota_id", "kbli", "size_class",
             "employees_reported", "source"),
    compare=("name", "nib", "npwp", "address", "kabkota_id", "kbli", "size_class",
             "employees_reported"),
    follow=("name_key", "source"),
    matchers=(
        "s.nib <> '' AND t.nib = s.nib",
        # the NPWP key of a record without NIB (a NIB in the file fills it in) …
        "s.npwp <> '' AND t.nib = '' AND t.npwp = s.npwp",
        # … or of any record when the file has no NIB either
        "s.nib = '' AND s.npwp <> '' AND t.npwp = s.npwp",
        # the name key of a record without NIB and NPWP (the file may fill them in) …
        "t.nib = '' AND t.npwp = '' AND t.kabkota_id = s.kabkota_id AND t.name_key = s.name_key",
        # … or of any record when the file has neither
        "s.nib = '' AND s.npwp = '' AND t.kabkota_id = s.kabkota_id AND t.name_key = s.name_key",
    ),
    keep_when_blank=("nib", "npwp"),
    cascade=True,
    describe=lambda v: str(v.get("name", "")),
)  # fmt: skip

EMPLOYERS = Spec(
    model=Employer,
    columns=("npp", "name", "name_key", "npwp", "address", "kabkota_id", "workforce_registered",
             "programmes", "average_wage", "source"),
    compare=("name", "npwp", "address", "kabkota_id", "workforce_registered", "programmes",
             "average_wage"),
    follow=("name_key", "source"),
    matchers=("t.npp = s.npp",),
    keep_when_blank=("npwp",),
    repr_columns=("name", "npp"),
    describe=lambda v: f"{v.get('name', '')} ({v.get('npp', '')})",
)  # fmt: skip

_BUSINESS_COLUMNS = (
    Col("name", "nama", "text", 200),
    Col("npwp", "npwp", "digits", 20),
    Col("address", "alamat", "text", 255),
)
_COMPANY_COLUMNS = (
    Col("nib", "nib", "compact", 20),
    Col("kbli", "kbli", "compact", 10),
    Col("size_class", "skala_usaha", "lower", 8),
    Col("employees_reported", "jumlah_pekerja", "int"),
)
_EMPLOYER_COLUMNS = (
    Col("npp", "npp", "compact", 20),
    Col("workforce_registered", "tenaga_kerja_terdaftar", "int"),
    Col("programmes", "program", "list", 40),
    Col("average_wage", "rata_rata_upah", "int"),
)


def _business_frame(
    frame: pl.DataFrame, context: LoadContext, regions: Regions, columns: Sequence[Col]
) -> tuple[pl.DataFrame, set[str]]:
    """The shared stage columns (name, name key, NPWP, address, kab/kota) plus ``columns``."""
    exprs, present = column_exprs(frame, (*_BUSINESS_COLUMNS, *columns))
    frame = frame.with_columns(exprs)
    name_key = pl.select(
        company_name_key_expr(pl.lit(search_key_series(frame["name"])))
    ).to_series()
    frame = frame.with_columns(
        name_key.str.slice(0, 200).alias("name_key"),
        kabkota_column(frame, regions),
        pl.lit(context.source[:100]).alias("source"),
    )
    if "kabupaten_kota" in frame.columns:
        present.add("kabkota_id")
    return frame, present | {"name"}


def _kabkota_text(frame: pl.DataFrame) -> pl.Expr | None:
    return pl.col("kabupaten_kota") if "kabupaten_kota" in frame.columns else None


def prepare_companies(frame: pl.DataFrame, context: LoadContext, regions: Regions) -> Prepared:
    """Stage columns, issues and natural key of a company file (see the module doc)."""
    frame, present = _business_frame(frame, context, regions, _COMPANY_COLUMNS)
    found = [
        blank(frame, "name", "nama", "Nama perusahaan"),
        issues(
            frame,
            pl.col("kabkota_id").is_null(),
            "kabupaten_kota",
            _kabkota_text(frame),
            "Kabupaten/kota tidak dikenal di Kalimantan Timur",
        ),
        not_in(
            frame,
            "size_class",
            "skala_usaha",
            ("mikro", "kecil", "menengah", "besar"),
            "Skala usaha tidak dikenal",
        ),
        out_of_range(frame, "employees_reported", "jumlah_pekerja", INT_MAX),
        *outside_scope(frame, context, regions, "kabupaten_kota"),
    ]
    has_nib, has_npwp = pl.col("nib") != "", pl.col("npwp") != ""
    key = [
        pl.when(has_nib)
        .then(pl.lit("nib"))
        .when(has_npwp)
        .then(pl.lit("npwp"))
        .otherwise(pl.lit("nama"))
        .alias("by"),
        pl.when(has_nib).then("nib").when(has_npwp).then("npwp").otherwise("name_key").alias("key"),
        pl.when(has_nib | has_npwp).then(None).otherwise("kabkota_id").alias("kabkota_id"),
    ]
    shown = pl.when(has_nib).then("nib").when(has_npwp).then("npwp").otherwise("name")
    return finish(COMPANIES, frame, found, present, key, shown, "nama")


def prepare_employers(frame: pl.DataFrame, context: LoadContext, regions: Regions) -> Prepared:
    """Stage columns, issues and natural key (the NPP) of an employer file."""
    frame, present = _business_frame(frame, context, regions, _EMPLOYER_COLUMNS)
    kab_text = _kabkota_text(frame)
    unknown_kab = pl.col("kabkota_id").is_null() & (
        kab_text.str.strip_chars() != "" if kab_text is not None else pl.lit(False)
    )
    found = [
        blank(frame, "name", "nama", "Nama pemberi kerja"),
        blank(frame, "npp", "npp", "NPP"),
        issues(
            frame,
            unknown_kab.fill_null(False),
            "kabupaten_kota",
            kab_text,
            "Kabupaten/kota tidak dikenal di Kalimantan Timur: dikosongkan",
            FLAG,
        ),
        out_of_range(frame, "workforce_registered", "tenaga_kerja_terdaftar", INT_MAX),
        out_of_range(frame, "average_wage", "rata_rata_upah", INT_MAX),
        *outside_scope(frame, context, regions, "kabupaten_kota"),
    ]
    return finish(EMPLOYERS, frame, found, present, [pl.col("npp")], pl.col("npp"), "npp")
