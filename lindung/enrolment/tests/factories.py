"""Programmes and beneficiaries made directly (not through selection), for enrolment tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lindung.programmes.models import Beneficiary, BeneficiaryStatus, Programme
from lindung.testing import make_worker


def make_programme(**fields: Any) -> Programme:
    defaults: dict[str, Any] = {
        "name": "Bantuan Iuran Pekerja Rentan Kaltim 2026",
        "funder": "apbd_provinsi",
        "budget": 1_000_000_000,
        "period_start": dt.date(2026, 1, 1),
        "months": 12,
        "group_code": "SG",
    }
    defaults.update(fields)
    return Programme.objects.create(**defaults)


def add_people(
    programme: Programme, count: int, kabkota: str = "64.72", **fields: Any
) -> list[Beneficiary]:
    """``count`` new workers of ``kabkota`` chosen for ``programme`` (status SELECTED)."""
    start = programme.beneficiaries.count()
    people = []
    for i in range(count):
        worker = make_worker(kabkota, name=f"Peserta {kabkota} {start + i + 1}")
        people.append(
            Beneficiary.objects.create(
                programme=programme,
                worker=worker,
                person_key=worker.nik,
                kabkota_id=kabkota,
                rank=start + i + 1,
                reason="uji",
                **fields,
            )
        )
    return people


def register(people: list[Beneficiary], start: dt.date, end: dt.date, first_kpj: int = 1) -> None:
    """Mark people as registered with KPJ numbers ``26000000001``, ``…2``, …"""
    for i, b in enumerate(people):
        b.status = BeneficiaryStatus.REGISTERED
        b.participant_number = f"2600{first_kpj + i:07d}"
        b.coverage_start, b.coverage_end = start, end
        b.save()
