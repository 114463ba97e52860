"""Workers per coverage status per kab/kota: one count for the overview page and the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung import testing
from lindung.matching.counts import coverage_counts
from lindung.matching.models import Coverage
from lindung.registry.models import WorkerStatus
from lindung.testing import api_client_headers, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def covered():  # type: ignore[no-untyped-def]
    """Samarinda: 3 workers (1 PU, 1 belum, 1 unmatched) and a merged duplicate (not counted);
    Balikpapan: 1 BPU program."""
    smd = [testing.make_worker("64.72") for _ in range(3)]
    testing.make_worker("64.72", status=WorkerStatus.REJECTED)
    bpp = testing.make_worker("64.71")
    Coverage.objects.create(worker=smd[0], kabkota_id="64.72", status="pu")
    Coverage.objects.create(worker=smd[1], kabkota_id="64.72", status="belum")
    Coverage.objects.create(worker=bpp, kabkota_id="64.71", status="bpu_program")


def test_counts_per_kabkota_and_total(covered, admin_provinsi):
    summary = coverage_counts(admin_provinsi)
    assert [r.code for r in summary.rows] == ["64.71", "64.72"]
    bpp, smd = summary.rows
    assert (smd.name, smd.workers, smd.by_status) == ("Kota Samarinda", 3, {"pu": 1, "belum": 1})
    assert (smd.covered, smd.not_covered, smd.unmatched) == (1, 1, 1)
    assert (bpp.workers, bpp.covered, bpp.unmatched) == (1, 1, 0)
    assert summary.total.workers == 4
    assert dict(summary.total.cells)["pu"] == 1 and dict(summary.total.cells)["bpu_program"] == 1
    assert summary.total.unmatched == 1
    assert (summary.total.covered, summary.total.not_covered) == (2, 1)


def test_an_operator_counts_only_their_kabkota(covered, op_samarinda):
    summary = coverage_counts(op_samarinda)
    assert [r.code for r in summary.rows] == ["64.72"]
    assert coverage_counts(op_samarinda, "64.71").rows == []


def test_page_and_api_show_the_same_figures(client, covered, op_samarinda):
    page = client_for(op_samarinda).get(reverse("matching:overview"))
    api = client.get("/api/v1/coverage/", **api_client_headers(op_samarinda)).json()
    (row,) = page.context["rows"]
    (item,) = api["rows"]
    assert item["workers"] == row.workers == page.context["workers"] == 3
    assert item["pu"] == dict(row.cells)["pu"] == 1
    assert item["belum_dicocokkan"] == row.unmatched == page.context["unmatched"] == 1
    assert item["terlindungi"] == row.covered
