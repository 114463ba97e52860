"""The hand-over from a kind's preparer to the writer, and the checks every kind ends with.

Rejected rows are dropped here, and repeats of a natural key inside one file are rejected
(the first wins), so that the set-based SQL never sees two rows for one record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from lindung.imports.loaders.common import ISSUE_SCHEMA, REJECT
from lindung.imports.loaders.issues import issues
from lindung.imports.loaders.spec import Spec


@dataclass
class Prepared:
    """What a preparer hands to the writer."""

    spec: Spec
    frame: pl.DataFrame  # __i, __row and the spec's stage columns; rejected rows removed
    issues: pl.DataFrame  # __i + ISSUE_SCHEMA
    present: frozenset[str]  # stage columns the file has: compared and updated
    total: int
    detail: dict[str, Any] = field(default_factory=dict)


def finish(
    spec: Spec,
    frame: pl.DataFrame,
    found: list[pl.DataFrame],
    present: set[str],
    key: Sequence[pl.Expr],
    key_value: pl.Expr,
    key_column: str,
    detail: dict[str, Any] | None = None,
) -> Prepared:
    """Drop rejected rows, then reject repeats of a natural key inside the file (first wins)."""
    schema = {"__i": pl.UInt32, **ISSUE_SCHEMA}
    all_issues = pl.concat([pl.DataFrame(schema=schema), *found], how="vertical_relaxed")
    rejected = all_issues.filter(pl.col("severity") == REJECT).get_column("__i").unique()
    kept = frame.select("__i", "__row", *spec.columns)
    if rejected.len():
        kept = kept.filter(~pl.col("__i").is_in(rejected.implode()))
    repeats = _repeats(kept, key)
    if repeats.height:
        message = pl.format("Data ganda dalam file: sama dengan baris {}", pl.col("__first"))
        all_issues = pl.concat(
            [all_issues, issues(repeats, pl.lit(True), key_column, key_value, message)]
        )
        kept = kept.filter(~pl.col("__i").is_in(repeats.get_column("__i").implode()))
    return Prepared(
        spec=spec,
        frame=kept,  # in file order, so that new ids follow the file
        issues=all_issues,
        present=frozenset(present),
        total=frame.height,
        detail=detail or {},
    )


def _repeats(kept: pl.DataFrame, key: Sequence[pl.Expr]) -> pl.DataFrame:
    """Rows whose key an earlier row already has, with ``__first`` (that row's number).

    A 64-bit hash finds the candidates cheaply (no grouping of a million structs), the exact
    comparison runs on those candidates only.
    """
    candidates = kept.select(pl.struct(key).hash(seed=1).is_duplicated()).to_series()
    if not candidates.any():
        return kept.clear()
    suspects = kept.filter(candidates).with_columns(
        pl.col("__row").min().over(pl.struct(key)).alias("__first")
    )
    return suspects.filter(pl.col("__row") != pl.col("__first"))
