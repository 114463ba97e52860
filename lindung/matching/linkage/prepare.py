"""Turn a list of people (canonical import columns) into the columns the linkage engine compares.

Input columns (names of :data:`lindung.imports.schemas.WORKERS`): ``id`` (required), ``nik``,
``nama``, ``tanggal_lahir`` (any format :func:`lindung.imports.values.parse_date` reads),
``jenis_kelamin``, ``kode_wilayah``. Missing columns are treated as blank.

Output columns: ``unique_id``; ``nik16`` (16 digits after :func:`lindung.nik.normalize`, else
null: Excel scientific notation, blanks and wrong lengths are unusable) and its parts
``nik_reg`` (6: kecamatan), ``nik_ds`` (6: day+40·sex, month, year), ``nik_ser`` (4),
``nik12``; ``nik_p6`` (the NIK rounded to its first six digits, also from Excel's scientific
notation); ``nik_ok`` (the NIK is structurally valid *and* agrees with the record's own birth
date and sex: a NIK that does not is a typo or someone else's); ``dob`` (ISO text), ``yob``;
``sex`` (L/P; from the NIK when blank); ``kabkota`` (4 digits of the address region, else of
the NIK); ``kec`` (6 digits of the address region, of the NIK when there is no address); and
the name keys of :mod:`lindung.matching.linkage.names`.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from lindung import nik as nik_module
from lindung.imports.values import parse_date, parse_sex
from lindung.matching.linkage.names import name_keys

__all__ = ["INPUT_COLUMNS", "prepare"]

INPUT_COLUMNS = ("id", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "kode_wilayah")


def prepare(df: pl.DataFrame, *, today: date | None = None) -> pl.DataFrame:
    if "id" not in df.columns:
        raise ValueError("kolom 'id' wajib ada")
    frame = df.select(
        [
            pl.col(c).cast(pl.String) if c in df.columns else pl.lit(None, pl.String).alias(c)
            for c in INPUT_COLUMNS
        ]
    )
    checks = nik_module.check_series(frame["nik"], zeroed_tail_suspect=False)
    dob, _ = parse_date(frame["tanggal_lahir"].fill_null(""), today=today)
    sex, _ = parse_sex(frame["jenis_kelamin"].fill_null(""))
    out = frame.select(
        pl.col("id").alias("unique_id"),
        pl.col("nama"),
        pl.col("kode_wilayah"),
    ).with_columns(
        nik=checks["nik"],
        nik_status=checks["nik_status"],
        dob_raw=dob.cast(pl.Date),
        sex_raw=sex,
    )
    nik = pl.col("nik")
    is16 = nik.str.contains(r"^[0-9]{16}$")
    out = out.with_columns(nik16=pl.when(is16).then(nik)).with_columns(
        nik_reg=pl.col("nik16").str.slice(0, 6),
        nik_ds=pl.col("nik16").str.slice(6, 6),
        nik_ser=pl.col("nik16").str.slice(12, 4),
        nik12=pl.col("nik16").str.slice(0, 12),
        nik_day=pl.col("nik16").str.slice(6, 2).cast(pl.Int32, strict=False),
    )
    nik_sex = pl.when(pl.col("nik_day") > 40).then(pl.lit("P")).otherwise(pl.lit("L"))

    def own_ds(female: bool) -> pl.Expr:
        return pl.concat_str(
            [
                (pl.col("dob_raw").dt.day() + (40 if female else 0)).cast(pl.String).str.zfill(2),
                pl.col("dob_raw").dt.month().cast(pl.String).str.zfill(2),
                (pl.col("dob_raw").dt.year() % 100).cast(pl.String).str.zfill(2),
            ]
        )

    digits = pl.col("kode_wilayah").str.replace_all(r"[^0-9]", "")
    area = pl.when(digits.str.len_chars() >= 4).then(digits)
    valid = pl.col("nik_status") == str(nik_module.NikStatus.VALID)
    # The NIK's date part must be the record's birth date (day + 40 for women; either when the
    # sex is blank).
    consistent = (
        pl.col("dob_raw").is_null()
        | ((pl.col("sex_raw") != "P").fill_null(True) & (own_ds(False) == pl.col("nik_ds")))
        | ((pl.col("sex_raw") != "L").fill_null(True) & (own_ds(True) == pl.col("nik_ds")))
    )
    out = out.with_columns(
        nik_ok=valid & consistent,
        sex=pl.coalesce(pl.col("sex_raw"), pl.when(valid).then(nik_sex)),
        kabkota=pl.coalesce(area.str.slice(0, 4), pl.col("nik16").str.slice(0, 4)),
        # the address's kecamatan; the NIK's only when there is no address at all (an address
        # given down to the kab/kota tells no kecamatan)
        kec=pl.when(area.is_null())
        .then(pl.col("nik16").str.slice(0, 6))
        .when(area.str.len_chars() >= 6)
        .then(area.str.slice(0, 6)),
    )
    # Excel's scientific notation ("6.47201E+15") still shows the NIK rounded to its first six
    # digits (the kecamatan); a usable NIK is rounded the same way, so the two can be compared.
    sci = nik.str.replace(",", ".", literal=True).str.extract_groups(
        r"^([0-9]+(?:\.[0-9]+)?)[eE]\+?([0-9]+)$"
    )
    sci_value = sci.struct.field("1").cast(pl.Float64, strict=False) * pl.lit(10.0).pow(
        sci.struct.field("2").cast(pl.Float64, strict=False)
    )
    value = pl.coalesce(pl.col("nik16").cast(pl.Float64, strict=False), sci_value)
    p6 = (value / 1e10 + 0.5).floor()
    out = out.with_columns(
        nik_p6=pl.when((value >= 1e15) & (value < 1e16)).then(p6.cast(pl.Int64).cast(pl.String)),
    )
    # A blank birth date is read from the NIK's date part when it is a date (ages 0–99; the
    # region may be mistyped), so that the record still meets its match in blocking and
    # comparison.
    this_year = (today or date.today()).year
    yy = pl.col("nik16").str.slice(10, 2).cast(pl.Int32, strict=False)
    year = pl.when(yy + 2000 <= this_year).then(yy + 2000).otherwise(yy + 1900)
    day = pl.col("nik_day") - pl.when(pl.col("nik_day") > 40).then(40).otherwise(0)
    from_nik = pl.when(pl.col("nik_day").is_not_null()).then(
        pl.concat_str(
            [
                year.cast(pl.String),
                pl.col("nik16").str.slice(8, 2),
                day.cast(pl.String).str.zfill(2),
            ],
            separator="-",
        ).str.to_date("%Y-%m-%d", strict=False)
    )
    born = pl.coalesce(pl.col("dob_raw"), from_nik)
    out = out.with_columns(dob=born.dt.to_string("%Y-%m-%d"), yob=born.dt.year())
    out = pl.concat([out, name_keys(out["nama"])], how="horizontal")
    blank = [c for c in ("name_norm", "name_phon", "name_sorted", "name_first", "name_last",
                         "name_initials") ]  # fmt: skip
    out = out.with_columns([pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in blank])
    return out.select(
        "unique_id", "nama", "nik", "nik16", "nik_p6", "nik_reg", "nik_ds", "nik_ser", "nik12",
        "nik_ok", "dob", "yob", "sex", "kabkota", "kec", *blank,
    )  # fmt: skip
