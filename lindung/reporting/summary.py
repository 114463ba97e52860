"""Rebuilding the summary tables and taking the monthly snapshot, set-based.

:func:`refresh_summaries` runs in one transaction (readers keep seeing the previous tables until
it commits): one ``INSERT … SELECT … GROUP BY`` over the registry fills :class:`CoverageCell`,
then twenty small ``INSERT … SELECT`` roll-ups of those cells (four region levels × total and
four splits) fill :class:`RegionCount`. Nothing is read into Python row by row.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import CharField, Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from lindung.matching.models import CoverageGroup
from lindung.regions.models import Region
from lindung.regions.reference import KALTIM
from lindung.registry.ages import age_group_case
from lindung.registry.models import Worker, WorkerStatus
from lindung.reporting.models import (
    CoverageCell,
    CoverageSnapshot,
    Dimension,
    RegionCount,
    SummaryState,
)

#: The coverage value of a worker without a Coverage row (no run has matched them yet).
UNMATCHED = CoverageGroup.BELUM_DICOCOKKAN.value
#: Snapshot measure counting every worker of the region.
TOTAL = "total"
#: Where :func:`lindung.reporting.aggregates.summary_state` caches the state row; a refresh
#: drops it so this process sees the new version at once (others within a few seconds).
STATE_CACHE_KEY = "reporting:state"

#: PostgreSQL memory for the refresh's grouping, this transaction only.
WORK_MEM = "256MB"
#: Region levels of the roll-up: (level, region column, parent column) of CoverageCell.
LEVELS = (
    ("provinsi", None, None),
    ("kabkota", "kabkota_id", None),
    ("kecamatan", "kecamatan_id", "kabkota_id"),
    ("desa", "desa_id", "kecamatan_id"),
)
#: Split dimensions: (dimension, CoverageCell column; None for the total).
SPLITS = (
    (Dimension.TOTAL, None),
    (Dimension.OCCUPATION, "occupation"),
    (Dimension.SEX, "sex"),
    (Dimension.AGE, "age_group"),
    (Dimension.NIK, "nik_status"),
)


@dataclass(frozen=True)
class RefreshResult:
    workers: int
    cells: int
    region_rows: int
    seconds: float
    version: int


def counted_workers():  # type: ignore[no-untyped-def]
    """The workers the dashboard counts, with their coverage value and age group on the day.

    The same workers the list's ``coverage`` filter finds: every worker with a Coverage row,
    and those without one unless rejected (merged duplicates, which no run matches).
    """
    return Worker.objects.filter(
        Q(coverage__isnull=False) | ~Q(status=WorkerStatus.REJECTED)
    ).annotate(
        coverage_value=Coalesce("coverage__status", Value(UNMATCHED), output_field=CharField()),
    )


def _cells_sql(today: dt.date) -> tuple[str, list[Any]]:
    """``INSERT INTO CoverageCell … SELECT … GROUP BY`` over the registry (one statement)."""
    grouped = (
        counted_workers()
        .annotate(age_value=age_group_case(today))
        .values(
            "kabkota_id",
            "kecamatan_id",
            "desa_id",
            "occupation",
            "sex",
            "age_value",
            "nik_status",
            "coverage_value",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    select, params = grouped.query.sql_with_params()
    # Django (5.2+) selects in the order values() names the columns, then the count.
    produced = list(grouped.query.selected or {})
    column_of = {
        "kabkota_id": "kabkota_id",
        "kecamatan_id": "kecamatan_id",
        "desa_id": "desa_id",
        "occupation": "occupation",
        "sex": "sex",
        "age_value": "age_group",
        "nik_status": "nik_status",
        "coverage_value": "coverage",
        "n": "n",
    }
    columns = ", ".join(column_of[name] for name in produced)
    return f"INSERT INTO {CoverageCell._meta.db_table} ({columns}) {select}", list(params)


def _rollup_sql(level: str, region: str | None, parent: str | None, split: str | None) -> str:
    """One roll-up of the cells into RegionCount rows (one level, one dimension)."""
    cells = CoverageCell._meta.db_table
    region_expr = region or f"'{KALTIM}'"
    parent_expr = parent or ("''" if region is None else f"'{KALTIM}'")
    kabkota_expr = "NULL" if region is None else "kabkota_id"
    value_expr = split or "''"
    dimension = next(d for d, column in SPLITS if column == split)
    group = [e for e in (region, parent, "kabkota_id" if region else None, split) if e]
    group_by = ", ".join([*dict.fromkeys(group), "coverage"])
    where = f"WHERE {region} IS NOT NULL" if region else ""
    return (
        f"INSERT INTO {RegionCount._meta.db_table} "
        "(region_id, parent, level, kabkota_id, dimension, value, coverage, n) "
        f"SELECT {region_expr}, {parent_expr}, '{level}', {kabkota_expr}, '{dimension.value}', "
        f"{value_expr}, coverage, SUM(n) FROM {cells} {where} GROUP BY {group_by}"
    )


def refresh_summaries(today: dt.date | None = None) -> RefreshResult:
    """Rebuild the summary tables from the registry and coverage (idempotent); see module doc.

    ``today`` fixes the day ages are counted on (default: today in the server's time zone).
    """
    started = time.perf_counter()
    today = today or timezone.localdate()
    with transaction.atomic():
        # Serialise concurrent refreshes: the second waits and then rebuilds again.
        state = SummaryState.objects.select_for_update().filter(pk=1).first()
        CoverageCell.objects.all().delete()
        RegionCount.objects.all().delete()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Group in memory rather than in sorted runs on disk (2 M rows: ~40% faster).
                cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            cursor.execute(*_cells_sql(today))
            for level, region, parent in LEVELS:
                for _dimension, split in SPLITS:
                    cursor.execute(_rollup_sql(level, region, parent, split))
        workers = CoverageCell.objects.aggregate(n=Sum("n"))["n"] or 0
        version = (state.version if state else 0) + 1
        SummaryState.objects.update_or_create(
            pk=1,
            defaults={
                "refreshed_at": timezone.now(),
                "as_of": today,
                "seconds": round(time.perf_counter() - started, 3),
                "workers": workers,
                "version": version,
            },
        )
    cache.delete(STATE_CACHE_KEY)
    return RefreshResult(
        workers=workers,
        cells=CoverageCell.objects.count(),
        region_rows=RegionCount.objects.count(),
        seconds=round(time.perf_counter() - started, 3),
        version=version,
    )


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def take_snapshot(today: dt.date | None = None) -> int:
    """Record this month's counts of the province and each kab/kota from the summary tables.

    Idempotent per month: a second snapshot in the same month replaces the first one's values.
    Every coverage value gets a row (zero included), so a month's series is always complete.
    Returns the number of rows written.
    """
    from lindung.reporting.aggregates import COVERAGE_VALUES

    today = today or timezone.localdate()
    month = month_start(today)
    counts: dict[tuple[str, str], int] = {}
    for region, coverage, n in RegionCount.objects.filter(
        level__in=("provinsi", "kabkota"), dimension=Dimension.TOTAL
    ).values_list("region_id", "coverage", "n"):
        counts[(region, coverage)] = n
    kabkota = Region.objects.filter(level=Region.Level.KABKOTA, code__startswith=KALTIM + ".")
    regions = sorted(
        {region for region, _ in counts} | {KALTIM, *kabkota.values_list("code", flat=True)}
    )
    now = timezone.now()
    rows = []
    for region in regions:
        values = {c: counts.get((region, c), 0) for c in COVERAGE_VALUES}
        values[TOTAL] = sum(values.values())
        rows += [
            CoverageSnapshot(month=month, region_id=region, measure=m, value=v, taken_at=now)
            for m, v in values.items()
        ]
    CoverageSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["month", "region", "measure"],
        update_fields=["value", "taken_at"],
    )
    return len(rows)
