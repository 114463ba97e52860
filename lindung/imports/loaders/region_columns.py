"""Region columns of a frame: codes as written, kab/kota names, the operator's scope.

Workers need desa, kecamatan and kab/kota; a file gives a Kemendagri code or names. Codes are
looked up with a dictionary (a join would copy every column of a million rows); names are
resolved once per distinct combination and joined back.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from lindung.imports.loaders.columns import map_distinct
from lindung.imports.loaders.common import FLAG, KALTIM, REJECT, LoadContext
from lindung.imports.loaders.issues import issues
from lindung.imports.loaders.regions import Place, Regions

_NAMES = ("desa", "kecamatan", "kabupaten_kota")


def dotted(code: pl.Expr) -> pl.Expr:
    """Dotted Kemendagri code from dotted or plain digits (the validator already dots them)."""
    text = code.cast(pl.String).str.strip_chars()
    digits = text.str.replace_all(r"\D", "")
    parts = [
        digits.str.slice(0, 2),
        digits.str.slice(2, 2),
        digits.str.slice(4, 2),
        digits.str.slice(6),
    ]
    n = digits.str.len_chars()
    return (
        pl.when((text == "") | text.is_null())
        .then(None)
        .when(text.str.contains(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"))
        .then(text)
        .when(n == 10)
        .then(pl.concat_str(parts, separator="."))
        .when(n == 6)
        .then(pl.concat_str(parts[:3], separator="."))
        .when(n == 4)
        .then(pl.concat_str(parts[:2], separator="."))
        .otherwise(text)
    )


def kabkota_column(frame: pl.DataFrame, regions: Regions) -> pl.Series:
    """Kaltim kab/kota code of the ``kabupaten_kota`` text column (null when unknown)."""
    if "kabupaten_kota" not in frame.columns:
        return pl.Series("kabkota_id", [None] * frame.height, dtype=pl.String)
    text = frame.get_column("kabupaten_kota").cast(pl.String)
    return map_distinct(text, regions.kabkota_code, pl.String).alias("kabkota_id")


def outside_scope(
    frame: pl.DataFrame,
    context: LoadContext,
    regions: Regions,
    column: str,
    reported: Sequence[pl.DataFrame] = (),
) -> list[pl.DataFrame]:
    """Rows outside an operator's kab/kota (none for province-wide loads).

    A row already refused in ``reported`` (an unknown code, not a Kaltim desa) is not named a
    second time: the operator reads one message per problem, and the first one is the cause.
    """
    scope = context.scope_kabkota
    if not scope:
        return []
    outside = pl.col("kabkota_id").is_null() | (pl.col("kabkota_id") != scope)
    refused = [r.filter(pl.col("severity") == REJECT).get_column("__i") for r in reported]
    if refused:
        outside = outside & ~pl.col("__i").is_in(pl.concat(refused).implode())
    name = regions.names.get(scope, scope)
    return [
        issues(
            frame,
            outside,
            column,
            pl.col(column) if column in frame.columns else None,
            f"Di luar wilayah kewenangan Anda ({name})",
        )
    ]


def worker_regions(
    frame: pl.DataFrame, regions: Regions
) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """desa_id, kecamatan_id, kabkota_id from ``kode_wilayah``, else from the region names."""
    frame = _from_code(frame, regions)
    found = _code_issues(frame)
    if "kabupaten_kota" in frame.columns:
        found.append(_contradicting_kabkota(frame, regions))
    by_name = frame.filter(pl.col("__code").is_null())
    if not by_name.height:
        return frame, found
    patch, name_issues = _from_names(by_name, regions)
    return frame.update(patch, on="__i", how="left"), found + name_issues


def _from_code(frame: pl.DataFrame, regions: Regions) -> pl.DataFrame:
    """``__code``, ``__level`` and the three region columns of rows that have a code."""
    code_column = (
        pl.col("kode_wilayah") if "kode_wilayah" in frame.columns else pl.lit(None, dtype=pl.String)
    )
    # A dictionary lookup, not a join: a join would copy every column of a million rows.
    frame = frame.with_columns(dotted(code_column).alias("__code"))
    frame = frame.with_columns(
        pl.col("__code").replace_strict(regions.levels, default=None).alias("__level")
    )
    code, level = pl.col("__code"), pl.col("__level")
    in_kaltim = code.str.starts_with(KALTIM + ".")
    return frame.with_columns(
        pl.when(level == "desa").then(code).alias("desa_id"),
        pl.when(level == "desa")
        .then(code.str.slice(0, 8))
        .when(level == "kecamatan")
        .then(code)
        .alias("kecamatan_id"),
        pl.when(level.is_in(["desa", "kecamatan", "kabkota"]) & in_kaltim)
        .then(code.str.slice(0, 5))
        .alias("kabkota_id"),
    )


def _code_issues(frame: pl.DataFrame) -> list[pl.DataFrame]:
    """Codes that are unknown or not a Kaltim desa (rejected) or above desa level (flagged)."""
    code, level = pl.col("__code"), pl.col("__level")
    in_kaltim = code.str.starts_with(KALTIM + ".")
    has_code = code.is_not_null()
    not_kaltim_desa = (level == "provinsi") | ((level == "kabkota") & ~in_kaltim)
    return [
        issues(
            frame, has_code & level.is_null(), "kode_wilayah", code, "Kode wilayah tidak dikenal"
        ),
        issues(
            frame,
            has_code & not_kaltim_desa,
            "kode_wilayah",
            code,
            "Kode wilayah bukan desa/kelurahan di Kalimantan Timur",
        ),
        issues(
            frame,
            level == "kecamatan",
            "kode_wilayah",
            code,
            "Kode wilayah tingkat kecamatan, bukan desa/kelurahan: desa dikosongkan",
            FLAG,
        ),
        issues(
            frame,
            (level == "kabkota") & in_kaltim,
            "kode_wilayah",
            code,
            "Kode wilayah tingkat kabupaten/kota: kecamatan dan desa/kelurahan dikosongkan",
            FLAG,
        ),
    ]


def _contradicting_kabkota(frame: pl.DataFrame, regions: Regions) -> pl.DataFrame:
    """A kab/kota name contradicting the code: flagged, the code wins."""
    named = kabkota_column(frame, regions)
    contradicts = (
        pl.col("kabkota_id").is_not_null() & named.is_not_null() & (named != pl.col("kabkota_id"))
    )
    return issues(
        frame,
        contradicts,
        "kabupaten_kota",
        pl.col("kabupaten_kota"),
        "Kabupaten/kota tidak sesuai dengan kode wilayah: kode wilayah yang dipakai",
        FLAG,
    )


def _from_names(by_name: pl.DataFrame, regions: Regions) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """The region columns (``__i`` + three) of rows without a code, from their region names."""
    keys = [f"__n_{c}" for c in _NAMES]
    given = {
        c: pl.col(c).cast(pl.String).str.strip_chars().fill_null("")
        for c in _NAMES
        if c in by_name.columns
    }
    by_name = by_name.with_columns(
        given.get(c, pl.lit("")).alias(k) for c, k in zip(_NAMES, keys, strict=True)
    )
    combos = by_name.select(keys).unique()
    places = [regions.resolve(*combo) for combo in combos.iter_rows()]
    resolved = combos.with_columns(
        pl.Series(f"__p_{name}", [getattr(p, name) for p in places], dtype=pl.String)
        for name in Place._fields
    )
    by_name = by_name.join(resolved, on=keys, how="left", maintain_order="left")
    found = []
    for column in (*_NAMES, "kode_wilayah"):
        value = pl.col(f"__n_{column}") if column != "kode_wilayah" else None
        for severity in (REJECT, FLAG):
            when = (pl.col("__p_column") == column) & (pl.col("__p_severity") == severity)
            found.append(issues(by_name, when, column, value, pl.col("__p_problem"), severity))
    patch = by_name.select(
        "__i",
        pl.col("__p_desa").alias("desa_id"),
        pl.col("__p_kecamatan").alias("kecamatan_id"),
        pl.col("__p_kabkota").alias("kabkota_id"),
    )
    return patch, found
