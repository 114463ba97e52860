"""Participant: derived columns, the natural key, scoping and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from lindung.accounts.access import scoped
from lindung.audit.models import AuditEntry
from lindung.matching.models import Participant, kabkota_code

pytestmark = pytest.mark.django_db

NIK = "6472011708850001"


def make(**fields: object) -> Participant:
    defaults: dict[str, object] = {
        "nik": NIK,
        "name": "Budi Santoso",
        "birth_date": dt.date(1985, 8, 17),
        "sex": "L",
        "segment": "BPU",
        "status": "AKTIF",
        "region_id": "64.72.01.1001",
        "programmes": "JKK,JKM",
        "payer": "pemerintah",
    }
    defaults.update(fields)
    return Participant.objects.create(**defaults)


def test_save_derives_name_key_and_kabkota_from_the_region_code():
    p = make(name="H. Budi  SANTOSO")
    assert p.name_search == "h budi santoso"
    assert p.kabkota_id == "64.72"
    assert p.programme_list == ["JKK", "JKM"]
    assert "******" in str(p) and str(p).endswith("BPU)")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("64.72.01.1001", "64.72"),
        ("64.72.01", "64.72"),
        ("64.72", "64.72"),
        ("64", None),
        ("", None),
    ],
)
def test_kabkota_code(code, expected):
    assert kabkota_code(code) == expected


def test_natural_key_is_unique_for_valid_niks_only():
    make()
    make(segment="PU", npp="NPP0001")  # another membership of the same person
    with pytest.raises(IntegrityError), transaction.atomic():
        make(name="Salinan")
    make(nik="6.47201E+15", nik_status="rusak")
    make(nik="6.47201E+15", nik_status="rusak")  # damaged NIKs are not unique
    assert Participant.objects.count() == 4


def test_scoped_to_the_operator_kabkota(op_samarinda, op_balikpapan, petugas_bpjs):
    make()
    make(nik="6471011708850002", region_id="64.71.01.1001")
    assert scoped(op_samarinda, Participant.objects.all()).get().kabkota_id == "64.72"
    assert scoped(op_balikpapan, Participant.objects.all()).get().kabkota_id == "64.71"
    assert scoped(petugas_bpjs, Participant.objects.all()).count() == 2


def test_changes_are_audited_field_by_field():
    p = make()
    p.status = "NONAKTIF"
    p.save()
    entries = AuditEntry.objects.filter(object_type="matching.participant", object_id=str(p.pk))
    assert sorted(entries.values_list("action", flat=True)) == ["create", "update"]
    assert entries.get(action="update").changes == {"status": ["AKTIF", "NONAKTIF"]}
