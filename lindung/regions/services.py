"""Load the shipped region reference data (:mod:`lindung.regions.reference`) into ``Region``.

The loader is an idempotent upsert built from three bulk queries per run (read existing rows,
``bulk_create`` the missing ones, ``bulk_update`` only those that differ), so a second run writes
nothing. It is called by migration ``0002_load_reference_regions`` with the historical model and by
the ``load_regions`` management command with the current one, so it uses plain strings for levels
and ``parent_id`` rather than anything that only exists on the real model class.

Rows that are not in the reference data are never deleted (other tables may point at them).
``bps_code`` and ``population`` are only written where the reference data has a value, so figures
entered by other means for regions outside Kaltim are left alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import router, transaction

from lindung.regions import reference

logger = logging.getLogger(__name__)

PROVINCE = "provinsi"
KABKOTA = "kabkota"
KECAMATAN = "kecamatan"
DESA = "desa"
LEVELS = (PROVINCE, KABKOTA, KECAMATAN, DESA)

_BATCH_SIZE = 500


@dataclass(frozen=True, slots=True)
class _Row:
    code: str
    name: str
    level: str
    parent_id: str | None
    bps_code: str = ""
    population: int | None = None


@dataclass
class LoadResult:
    """What :func:`sync_reference_regions` did."""

    counts: dict[str, int] = field(default_factory=dict)  # reference rows per level
    created: int = 0
    updated: int = 0


def reference_rows() -> list[_Row]:
    """Every reference region, parents before children."""
    kabkota = {k.code: k for k in reference.kaltim_kabkota()}
    rows = [
        _Row(
            p.code,
            p.name,
            PROVINCE,
            None,
            # BPS and Kemendagri province codes agree for Kaltim but not everywhere (Papua).
            bps_code=p.code if p.code == reference.KALTIM else "",
            population=reference.KALTIM_POPULATION_2025 if p.code == reference.KALTIM else None,
        )
        for p in reference.provinces()
    ]
    for r in reference.regencies():
        k = kabkota.get(r.code)
        rows.append(
            _Row(
                r.code,
                k.name if k else r.name,
                KABKOTA,
                r.province_code,
                bps_code=k.bps_code if k else "",
                population=k.population_2025 if k else None,
            )
        )
    rows += [_Row(d.code, d.name, KECAMATAN, d.regency_code) for d in reference.kaltim_districts()]
    rows += [_Row(v.code, v.name, DESA, v.district_code) for v in reference.kaltim_villages()]
    return rows


def _changed_fields(obj: Any, row: _Row) -> list[str]:
    wanted: dict[str, object] = {"name": row.name, "level": row.level, "parent_id": row.parent_id}
    if row.bps_code:
        wanted["bps_code"] = row.bps_code
    if row.population is not None:
        wanted["population"] = row.population
    changed = []
    for attr, value in wanted.items():
        if getattr(obj, attr) != value:
            setattr(obj, attr, value)
            changed.append(attr.removesuffix("_id"))
    return changed


def sync_reference_regions(region_model: Any = None, *, using: str | None = None) -> LoadResult:
    """Upsert the reference regions; see the module docstring. Returns counts and changes."""
    if region_model is None:
        from lindung.regions.models import Region

        region_model = Region
    db = using or router.db_for_write(region_model)
    manager = region_model._default_manager.db_manager(db)

    rows = reference_rows()
    result = LoadResult(counts={level: 0 for level in LEVELS})
    for row in rows:
        result.counts[row.level] += 1

    with transaction.atomic(using=db):
        existing = manager.in_bulk([row.code for row in rows])
        # Insert level by level so every parent exists before its children, even where foreign
        # keys are not deferred.
        for level in LEVELS:
            new = [
                region_model(
                    code=row.code,
                    name=row.name,
                    level=row.level,
                    parent_id=row.parent_id,
                    bps_code=row.bps_code,
                    population=row.population,
                )
                for row in rows
                if row.level == level and row.code not in existing
            ]
            manager.bulk_create(new, batch_size=_BATCH_SIZE)
            result.created += len(new)

        # One bulk_update over the union of changed fields: the other fields of those objects
        # still hold their current values, so rewriting them is harmless.
        stale: list[Any] = []
        stale_fields: set[str] = set()
        for row in rows:
            obj = existing.get(row.code)
            if obj is not None and (fields := _changed_fields(obj, row)):
                stale.append(obj)
                stale_fields.update(fields)
        if stale:
            manager.bulk_update(stale, sorted(stale_fields), batch_size=_BATCH_SIZE)
            result.updated = len(stale)

    logger.debug(
        "Reference regions: %s; %d created, %d updated",
        result.counts,
        result.created,
        result.updated,
    )
    return result


def load_reference_regions(region_model: Any = None, *, using: str | None = None) -> dict[str, int]:
    """Upsert the reference regions idempotently; returns the number of regions per level.

    ``region_model`` defaults to :class:`~lindung.regions.models.Region`; data migrations pass the
    historical model from ``apps.get_model("regions", "Region")`` and ``using`` the alias of
    ``schema_editor.connection``.
    """
    return sync_reference_regions(region_model, using=using).counts
