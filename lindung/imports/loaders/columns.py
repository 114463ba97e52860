"""File columns → stage columns: one declarative line per column instead of one expression each.

The stage table is NOT NULL for text, so missing text becomes ""; dates and numbers stay null.
Which stage columns the file actually has matters: only those are compared and overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import polars as pl


class Col(NamedTuple):
    """One stage column taken from one file column."""

    target: str
    source: str
    kind: str  # text | upper | lower | compact | digits | list | date | int
    max_length: int = 0


def _text(text: pl.Expr, kind: str) -> pl.Expr:
    return {
        "text": text,
        "upper": text.str.to_uppercase(),
        "lower": text.str.to_lowercase(),
        "compact": text.str.replace_all(r"\s+", ""),
        "digits": text.str.replace_all(r"\D", ""),
        "list": text.str.to_uppercase().str.replace_all(r"\s+", ""),
    }[kind]


def _expr(raw: pl.Expr, col: Col) -> pl.Expr:
    if col.kind == "date":
        return raw.cast(pl.Date, strict=False)
    if col.kind == "int":
        return raw.cast(pl.Int64, strict=False)
    text = raw.cast(pl.String).str.strip_chars().fill_null("")
    return _text(text, col.kind).str.slice(0, col.max_length)


def column_exprs(frame: pl.DataFrame, columns: Sequence[Col]) -> tuple[list[pl.Expr], set[str]]:
    """Expressions for the stage columns and the set of those the file actually has.

    Text becomes "" when missing (the model's CharFields are NOT NULL), dates and numbers
    stay null; text is stripped and capped at the column's length.
    """
    exprs: list[pl.Expr] = []
    present: set[str] = set()
    for col in columns:
        if col.source in frame.columns:
            present.add(col.target)
            raw = pl.col(col.source)
        else:
            raw = pl.lit(None)
        exprs.append(_expr(raw, col).alias(col.target))
    return exprs, present


def map_distinct(values: pl.Series, fn: Callable[[str], Any], dtype: Any) -> pl.Series:
    """``fn`` once per distinct value (region names, occupations: a file has few distinct)."""
    mapping = {value: fn(value) for value in values.unique().drop_nulls().to_list()}
    return values.replace_strict(mapping, default=None, return_dtype=dtype)
