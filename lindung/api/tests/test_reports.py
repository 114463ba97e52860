"""Report endpoints: dashboard figures per region and the archive, scoped like the pages."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from lindung.audit.models import AuditEntry
from lindung.reporting.documents.models import ReportFile, ReportKind
from lindung.reporting.summary import refresh_summaries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def test_coverage_figures_per_region_and_scope(client, world, headers):
    refresh_summaries()
    province = client.get("/api/v1/reports/coverage", **headers["pimpinan"]).json()
    assert province["region"]["code"] == "64"
    assert province["region"]["counts"]["total"] == 3
    assert province["region"]["counts"]["terlindungi"] == 1
    by_code = {c["code"]: c["counts"] for c in province["children"]}
    assert by_code["64.72"]["by_status"]["bpu_mandiri"] == 1
    assert by_code["64.72"]["by_status"]["belum_dicocokkan"] == 1
    assert by_code["64.71"]["belum_terlindungi"] == 1
    own = client.get("/api/v1/reports/coverage", **headers["op.samarinda"]).json()
    assert own["region"]["code"] == "64.72" and own["region"]["counts"]["total"] == 2
    other = client.get("/api/v1/reports/coverage?region=64.71", **headers["op.samarinda"])
    assert other.status_code == 404
    assert client.get("/api/v1/reports/coverage", **headers["bpjs"]).status_code == 403


def _report(kabkota: str | None, kind: str = ReportKind.BRIEF) -> ReportFile:
    report = ReportFile(kind=kind, title=f"Ringkasan {kabkota or '64'}", kabkota_id=kabkota,
                        pages=1, seconds=0.1)  # fmt: skip
    report.pdf.save("ringkasan.pdf", ContentFile(b"%PDF-1.7 ringkasan"), save=False)
    report.xlsx.save("ringkasan.xlsx", ContentFile(b"PK xlsx"), save=False)
    report.save()
    return report


def test_archive_is_scoped_and_downloads_are_audited(client, world, headers, op_samarinda):
    province, samarinda, balikpapan = _report(None), _report("64.72"), _report("64.71")
    listed = client.get("/api/v1/reports/", **headers["op.samarinda"]).json()
    assert [r["id"] for r in listed["items"]] == [samarinda.pk]
    everything = client.get("/api/v1/reports/", **headers["pimpinan"]).json()
    assert {r["id"] for r in everything["items"]} == {province.pk, samarinda.pk, balikpapan.pk}
    pdf = client.get(f"/api/v1/reports/{samarinda.pk}/pdf", **headers["op.samarinda"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(
        actor=op_samarinda, action="export", object_id=str(samarinda.pk)
    ).exists()
    for report in (province, balikpapan):
        url = f"/api/v1/reports/{report.pk}/xlsx"
        assert client.get(url, **headers["op.samarinda"]).status_code == 404
    bad = client.get(f"/api/v1/reports/{samarinda.pk}/doc", **headers["op.samarinda"])
    assert bad.status_code == 422
