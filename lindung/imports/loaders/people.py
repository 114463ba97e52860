"""What workers and participants share: NIK status, name key and a natural key by NIK.

A NIK is only trusted as a key when it is valid; damaged and missing NIKs fall back to the
NIK text plus name key and birth date, so two different people with the same broken NIK stay
two records.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from lindung import nik as nik_module
from lindung.registry.names import search_key_series

NIK_STATUSES = ("valid", "rusak", "tidak_valid", "kosong")

#: The value shown for a repeated person key in the report: the NIK, else the name.
NIK_OR_NAME = pl.when(pl.col("nik") != "").then(pl.col("nik")).otherwise(pl.col("name"))

_VALID_NIK_MATCH = "s.nik_status = 'valid' AND t.nik_status = 'valid' AND t.nik = s.nik"
_OTHER_NIK_MATCH = (
    "s.nik_status <> 'valid' AND t.nik_status <> 'valid' AND t.nik = s.nik "
    "AND t.name_search = s.name_search "
    "AND (t.birth_date = s.birth_date OR (t.birth_date IS NULL AND s.birth_date IS NULL))"
)


def nik_matchers(extra: str) -> tuple[str, str]:
    """Matchers (stage ``s``, table ``t``) of :func:`person_key`, each AND ``extra``."""
    return f"{_VALID_NIK_MATCH} AND {extra}", f"{_OTHER_NIK_MATCH} AND {extra}"


def nik_and_status(frame: pl.DataFrame) -> pl.DataFrame:
    """``nik`` (text, ≤ 32 chars) and ``nik_status``; "valid" only for 16 digits, ever."""
    if "nik" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("nik"))
    if "nik_status" not in frame.columns:  # hand-made frames: check here
        checked = nik_module.check_series(frame.get_column("nik"))
        frame = frame.with_columns(nik=checked["nik"], nik_status=checked["nik_status"])
    nik = pl.col("nik").cast(pl.String).fill_null("").str.strip_chars()
    status = pl.col("nik_status").cast(pl.String)
    return frame.with_columns(
        pl.when(nik == "")
        .then(pl.lit("kosong"))
        .when(status.is_null() | ~status.is_in(NIK_STATUSES))
        .then(pl.lit("tidak_valid"))
        .when((status == "valid") & ~nik.str.contains(r"^\d{16}$"))
        .then(pl.lit("tidak_valid"))
        .otherwise(status)
        .alias("nik_status"),
        nik.str.slice(0, 32).alias("nik"),
    )


def name_search(frame: pl.DataFrame) -> pl.DataFrame:
    """``name_search``, as ``save()`` would fill it (the loader bypasses ``save()``)."""
    key = search_key_series(frame.get_column("name")).str.slice(0, 150)
    return frame.with_columns(key.alias("name_search"))


def person_key(*extra: str) -> list[pl.Expr]:
    """NIK when valid, else NIK text + name key + birth date; plus ``extra`` columns."""
    valid = pl.col("nik_status") == "valid"
    return [
        valid.alias("valid"),
        pl.col("nik"),
        *(pl.col(c) for c in extra),
        pl.when(valid).then(None).otherwise(pl.col("name_search")).alias("name_search"),
        pl.when(valid).then(None).otherwise(pl.col("birth_date")).alias("birth_date"),
    ]


def masked(values: dict[str, Any]) -> str:
    """An audit entry's object_repr: the name and a masked NIK, never the NIK itself."""
    return f"{values.get('name', '')} ({nik_module.mask(values.get('nik') or '')})"
