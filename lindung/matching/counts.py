"""Workers per coverage status per kab/kota: the overview page and the REST API read these.

Counted live from ``Coverage`` and the registry (not the dashboard's nightly tables), so the
figures move as soon as a matching run or a reviewer changes a status. "Belum dicocokkan" is
the workers of a kab/kota without a coverage row yet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from lindung.accounts.access import scoped
from lindung.matching.models import COVERED, NOT_COVERED, Coverage, CoverageStatus
from lindung.regions.models import Region
from lindung.registry.models import Worker, WorkerStatus


@dataclass(frozen=True)
class CoverageCounts:
    """One kab/kota (or the total): workers proposed and how many stand in each status."""

    code: str
    name: str
    workers: int
    by_status: dict[str, int]
    unmatched: int

    @property
    def cells(self) -> list[tuple[str, int]]:
        """``(status, n)`` for every coverage status, in the statuses' order."""
        return [(s, self.by_status.get(s, 0)) for s in CoverageStatus.values]

    @property
    def covered(self) -> int:
        return sum(self.by_status.get(s, 0) for s in COVERED)

    @property
    def not_covered(self) -> int:
        return sum(self.by_status.get(s, 0) for s in NOT_COVERED)


@dataclass(frozen=True)
class CoverageSummary:
    rows: list[CoverageCounts]
    total: CoverageCounts


def coverage_counts(user: Any, kabkota: str | None = None) -> CoverageSummary:
    """Counts per kab/kota in the user's scope (``kabkota``: that one only), and their total.

    Workers exclude rejected proposals (merged duplicates). The total's "belum dicocokkan" is
    the sum of the rows', so the footer always adds up to the table above it.
    """
    coverage = scoped(user, Coverage.objects.order_by())
    workers = scoped(user, Worker.objects.exclude(status=WorkerStatus.REJECTED).order_by())
    if kabkota:
        coverage = coverage.filter(kabkota_id=kabkota)
        workers = workers.filter(kabkota_id=kabkota)
    statuses: dict[str, dict[str, int]] = defaultdict(dict)
    for code, status, n in coverage.values_list("kabkota_id", "status").annotate(n=Count("id")):
        statuses[code][status] = n
    proposed = dict(workers.values_list("kabkota_id").annotate(n=Count("id")))
    codes = sorted(statuses.keys() | proposed.keys())
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    rows = [
        _row(code, names.get(code, code), proposed.get(code, 0), statuses[code]) for code in codes
    ]
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        for status, n in row.by_status.items():
            totals[status] += n
    total = CoverageCounts(
        code="",
        name="Jumlah",
        workers=sum(r.workers for r in rows),
        by_status=dict(totals),
        unmatched=sum(r.unmatched for r in rows),
    )
    return CoverageSummary(rows, total)


def _row(code: str, name: str, workers: int, by_status: dict[str, int]) -> CoverageCounts:
    matched = sum(by_status.get(s, 0) for s in CoverageStatus.values)
    return CoverageCounts(code, name, workers, dict(by_status), max(0, workers - matched))
