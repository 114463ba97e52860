"""Programme fixtures: a registry whose coverage is already matched, and programme factories."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lindung.matching.models import Coverage
from lindung.programmes.models import Funder, Programme
from lindung.registry.models import Worker
from lindung.testing import make_worker

START = dt.date(2027, 1, 1)
#: Rp 16.800 × 12 months: the cost of one person for a year.
YEAR = 16_800 * 12


def covered(worker: Worker, status: str = "belum") -> Worker:
    Coverage.objects.create(worker=worker, kabkota_id=worker.kabkota_id, status=status)
    return worker


def uncovered(kabkota: str = "64.72", **fields: Any) -> Worker:
    return covered(make_worker(kabkota, **fields))


def programme(people: int = 2, **fields: Any) -> Programme:
    """A 12-month APBD programme paying exactly for ``people`` people."""
    values: dict[str, Any] = {
        "name": "Program Uji",
        "funder": Funder.APBD_PROVINSI,
        "budget": people * YEAR,
        "period_start": START,
        "months": 12,
        "priorities": ["desil_terendah", "usia_tertua"],
    }
    targets = fields.pop("targets", ())
    values.update(fields)
    created = Programme.objects.create(**values)
    if targets:
        created.target_regions.set(targets)
    return created


@pytest.fixture
def make_programme(db):  # type: ignore[no-untyped-def]
    return programme
