"""Which programmes a user sees: one rule (``programmes_for``) for pages, API, dashboard, reports.

A Samarinda operator sees programmes targeting Samarinda or the whole province, never one
aimed only at Balikpapan — on every surface, with people counted once per beneficiary.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from lindung.programmes.models import Beneficiary, person_key
from lindung.programmes.services import programmes_for, with_people
from lindung.programmes.tests.conftest import programme, uncovered
from lindung.reporting import aggregates
from lindung.reporting.documents.models import ReportKind
from lindung.reporting.documents.services import ReportError, build
from lindung.testing import api_client_headers, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def four():  # type: ignore[no-untyped-def]
    """Province-wide, Samarinda only, Balikpapan only, and Samarinda + Balikpapan (two people
    in Samarinda, one in Balikpapan, all holding a place)."""
    cache.clear()
    made = {
        "provinsi": programme(name="Seluruh Provinsi"),
        "samarinda": programme(name="Khusus Samarinda", targets=["64.72"]),
        "balikpapan": programme(name="Khusus Balikpapan", targets=["64.71"]),
        "dua": programme(name="Samarinda dan Balikpapan", targets=["64.72", "64.71"]),
    }
    for rank, kabkota in enumerate(["64.72", "64.72", "64.71"], start=1):
        worker = uncovered(kabkota)
        Beneficiary.objects.create(
            programme=made["dua"], worker=worker, kabkota_id=kabkota, rank=rank,
            person_key=person_key(worker.nik, worker.nik_status, worker.pk), reason="uji",
        )  # fmt: skip
    return made


def _names(programmes) -> set[str]:  # type: ignore[no-untyped-def]
    return {p.name for p in programmes}


SAMARINDA_SEES = {"Seluruh Provinsi", "Khusus Samarinda", "Samarinda dan Balikpapan"}


def test_operator_sees_own_and_province_wide_programmes(four, op_samarinda, op_balikpapan):
    assert _names(programmes_for(op_samarinda)) == SAMARINDA_SEES
    assert programmes_for(op_samarinda).count() == 3  # two targets: still one row
    assert "Khusus Samarinda" not in _names(programmes_for(op_balikpapan))


def test_province_roles_see_all_and_others_none(four, admin_provinsi, pimpinan, petugas_bpjs):
    assert programmes_for(admin_provinsi).count() == programmes_for(pimpinan).count() == 4
    assert not programmes_for(petugas_bpjs).exists()  # BPJS may not see programmes


def test_people_are_counted_once_in_the_users_kab_kota(four, op_samarinda, admin_provinsi):
    mine = with_people(programmes_for(op_samarinda), op_samarinda).get(pk=four["dua"].pk)
    everyone = with_people(programmes_for(admin_provinsi), admin_provinsi).get(pk=four["dua"].pk)
    assert (mine.people, everyone.people) == (2, 3)  # type: ignore[attr-defined]


def test_pages_api_dashboard_and_reports_agree(four, op_samarinda, client):
    web = client_for(op_samarinda)
    listed = web.get(reverse("programmes:list")).context["programmes"]
    assert _names(listed) == SAMARINDA_SEES
    assert {p.name: p.people for p in listed}["Samarinda dan Balikpapan"] == 2
    hidden = four["balikpapan"].pk
    assert web.get(reverse("programmes:detail", args=[hidden])).status_code == 404
    assert web.get(reverse("programmes:scenarios", args=[hidden])).status_code == 404
    api = client.get("/api/v1/programmes/", **api_client_headers(op_samarinda)).json()
    assert {p["name"] for p in api} == SAMARINDA_SEES
    assert {p["name"]: p["beneficiaries"] for p in api}["Samarinda dan Balikpapan"] == 2
    budgets = aggregates.programme_budgets(op_samarinda)
    assert {row.name for row in budgets.programmes} == SAMARINDA_SEES
    report_url = reverse("reporting:documents:budget", args=[hidden, "pdf"])
    assert web.get(report_url).status_code == 404
    with pytest.raises(ReportError, match="tidak menyasar"):
        build(ReportKind.BUDGET, op_samarinda, programme=four["balikpapan"])
