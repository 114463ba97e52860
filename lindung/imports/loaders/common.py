"""What every step of a load shares: the caller's context, the result, severities and timings.

Kept free of models and SQL so that every other module of the package can import it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import polars as pl

# The validator's issues and the loader's are one report: one schema, one pair of severities.
from lindung.imports.validate import FLAGGED as FLAG
from lindung.imports.validate import ISSUE_SCHEMA
from lindung.imports.validate import REJECTED as REJECT

__all__ = [
    "FLAG",
    "INT_MAX",
    "ISSUE_SCHEMA",
    "KALTIM",
    "KINDS",
    "REJECT",
    "Clock",
    "LoadContext",
    "LoadResult",
]

KALTIM = "64"
KINDS = ("workers", "participants", "companies", "employers")
INT_MAX = 2_147_483_647  # PositiveIntegerField on PostgreSQL


@dataclass(frozen=True)
class LoadContext:
    """Who loads what, for whom.

    ``user``: recorded as the actor (None: whoever :func:`acting_as` set, e.g. "cli").
    ``proposer_code``: the proposing office for workers, "64" (province) or a kab/kota code.
    ``scope_kabkota``: an operator's kab/kota; rows outside it are rejected (None for
    province-wide roles and the command line). ``dry_run``: do everything, store nothing.
    """

    user: Any = None
    proposer_code: str | None = None
    source: str = ""
    scope_kabkota: str | None = None
    dry_run: bool = False


def _no_issues() -> pl.DataFrame:
    return pl.DataFrame(schema=ISSUE_SCHEMA)


@dataclass
class LoadResult:
    """Counts of one load; ``issues`` lists the rows the loader rejected or flagged."""

    kind: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    flagged: int = 0
    issues: pl.DataFrame = field(default_factory=_no_issues)
    dry_run: bool = False
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


class Clock:
    """Seconds per step (``LoadResult.timings``), so that benchmarks can tell where time goes."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now
