"""Typed values (Excel, Parquet) → the text a user sees in the cell.

Everything is read as text so that :mod:`lindung.imports.values` can say which cell is wrong.
Whole numbers keep their exact digits (a 16-digit NIK stored as a number stays whole; one that
Excel already cut to 15 significant digits stays as damaged as it is, for :mod:`lindung.nik`).
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

import polars as pl


def cell_text(value: object) -> str | None:
    """One cell of a mixed column, as text (None for empty and non-finite)."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if kind is float:
        number: float = value  # type: ignore[assignment]
        if not math.isfinite(number):
            return None
        return str(int(number)) if number.is_integer() else repr(number)
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if kind is datetime:
        moment: datetime = value  # type: ignore[assignment]
        if moment.time() == time(0):
            return moment.date().isoformat()
        return moment.isoformat(sep=" ")
    if kind is date or kind is time:
        return value.isoformat()  # type: ignore[attr-defined]
    if kind is timedelta:
        return str(value)
    if value is None:
        return None
    return str(value)


def series_text(series: pl.Series) -> pl.Series:
    """A typed column as text, vectorised: whole floats as digits, dates as ``YYYY-MM-DD``."""
    dtype = series.dtype
    if dtype == pl.String:
        text = series
    elif dtype.is_float():
        whole = series.is_finite() & (series.floor() == series) & (series.abs() < 2.0**63)
        ints = pl.select(pl.when(whole).then(series.cast(pl.Int64, strict=False))).to_series()
        text = pl.select(
            pl.when(whole)
            .then(ints.cast(pl.String))
            .when(series.is_finite())
            .then(series.cast(pl.String))
        ).to_series()
    elif dtype == pl.Boolean:
        text = series.replace_strict({True: "TRUE", False: "FALSE"}, return_dtype=pl.String)
    elif dtype == pl.Date:
        text = series.dt.to_string("%Y-%m-%d")
    elif isinstance(dtype, pl.Datetime):
        text = series.dt.to_string("%Y-%m-%d %H:%M:%S").str.replace(" 00:00:00$", "")
    else:
        text = series.cast(pl.String, strict=False)
    # NUL cannot be stored in PostgreSQL text and never belongs in a cell.
    return text.str.replace_all("\x00", "", literal=True)
