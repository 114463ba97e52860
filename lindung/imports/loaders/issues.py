"""Issue rows: what the loader rejects or flags, as a frame the report can show.

Every check builds its issues the same way (:func:`issues`), so that the report's columns and
types never depend on which check found a problem.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from lindung.imports.loaders.common import REJECT


def issues(
    frame: pl.DataFrame,
    when: pl.Expr,
    column: str,
    value: pl.Expr | None,
    problem: pl.Expr | str,
    severity: str = REJECT,
) -> pl.DataFrame:
    """The issue rows (``__i`` + :data:`ISSUE_SCHEMA`) for the rows of ``frame`` where ``when``."""
    return frame.filter(when).select(
        pl.col("__i"),
        pl.col("__row").cast(pl.Int64).alias("row"),
        pl.lit(column, dtype=pl.String).alias("column"),
        (value if value is not None else pl.lit(None)).cast(pl.String).alias("value"),
        (pl.lit(problem) if isinstance(problem, str) else problem).cast(pl.String).alias("problem"),
        pl.lit(severity, dtype=pl.String).alias("severity"),
    )


def out_of_range(frame: pl.DataFrame, column: str, source: str, maximum: int) -> pl.DataFrame:
    """Rows whose number does not fit the column (the validator should have caught them)."""
    value = pl.col(column)
    bad = value.is_not_null() & ((value < 0) | (value > maximum))
    return issues(
        frame, bad, source, value, f"Nilai di luar rentang 0–{maximum:_}".replace("_", ".")
    )


def blank(frame: pl.DataFrame, column: str, source: str, label: str) -> pl.DataFrame:
    """Rows where a required text column is empty."""
    return issues(frame, pl.col(column) == "", source, None, f"{label} kosong")


def not_in(
    frame: pl.DataFrame, column: str, source: str, allowed: Sequence[str], message: str
) -> pl.DataFrame:
    """Rows whose non-empty value is not one of ``allowed``."""
    value = pl.col(column)
    return issues(frame, (value != "") & ~value.is_in(list(allowed)), source, value, message)
