"""A leader opens the dashboard and downloads the one-page brief (a real PDF, archived and
audited); the Laporan page lists it afterwards."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from lindung import testing
from lindung.audit.models import AuditEntry
from lindung.matching.models import Coverage
from lindung.reporting.summary import refresh_summaries
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    for kab, status, n in (("64.02", "belum", 3), ("64.02", "pu", 2), ("64.72", "nonaktif", 2)):
        for _ in range(n):
            worker = testing.make_worker(kab, name="Rahmat Hidayat")
            Coverage.objects.create(worker=worker, kabkota_id=kab, status=status)
    refresh_summaries()


def test_leader_downloads_the_brief_from_the_dashboard(page, registry) -> None:  # type: ignore[no-untyped-def]
    leader = testing.persona_user("pimpinan")
    login(page, "pimpinan", testing.PASSWORD)
    expect(page.locator("#jawaban")).to_contain_text("5 pekerja rentan belum terlindungi")
    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh ringkasan pimpinan (PDF)").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    body = open(download.path(), "rb").read()  # noqa: SIM115 (Playwright owns the file)
    assert body.startswith(b"%PDF")
    pdf = PdfReader(io.BytesIO(body))
    assert len(pdf.pages) == 1
    assert "5 pekerja rentan belum terlindungi" in (pdf.pages[0].extract_text() or "")
    assert AuditEntry.objects.filter(actor=leader, action="export").count() == 1
    page.get_by_role("link", name="Laporan lainnya").click()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody")).to_contain_text("Ringkasan Pimpinan")
