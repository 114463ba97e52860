"""A provincial admin works the compliance flow in the browser: non-compliant companies of one
kab/kota, one appeal batch for all of them, a response with evidence, the next escalation step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lindung.compliance.cases import Case
from lindung.compliance.models import Company, CompanyStatus
from lindung.letters.defaults import ensure_default_templates
from lindung.testing import PASSWORD, persona_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _company(name: str, kab: str, status: str) -> Company:
    c = Company.objects.create(name=name, kabkota_id=kab, address="Jl. Pahlawan 1")
    CompanyStatus.objects.create(company=c, status=status, computed_at=timezone.now())
    return c


def test_admin_sends_appeals_records_a_response_and_sees_next_step(page, settings, tmp_path):
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_default_templates()
    persona_user("admin")
    first = _company("PT Mahakam Belum Daftar", "64.72", "wajib_belum_daftar")
    _company("PT Tepian Upah Rendah", "64.72", "pds_upah")
    _company("PT Patuh Selalu", "64.72", "patuh")
    _company("PT Balikpapan Belum Daftar", "64.71", "wajib_belum_daftar")

    login(page, "admin", PASSWORD)
    page.goto("/kepatuhan/")
    page.get_by_role("heading", name="Perusahaan tidak patuh per kabupaten/kota").wait_for()
    page.locator("select[name=kabkota]").first.select_option("64.72")
    page.locator("select[name=status]").select_option("tidak_patuh")
    page.wait_for_url("**status=tidak_patuh**")
    page.locator("#results").get_by_text("2 perusahaan").wait_for()
    assert page.locator("#appeal-batch input[name=kabkota]").input_value() == "64.72"
    page.get_by_role("button", name="Buat surat imbauan untuk semua perusahaan ini").click()

    page.wait_for_url("**/surat/kumpulan/**")
    assert page.locator("#batch-status").inner_text() == "Selesai"
    assert page.locator("tbody tr").count() == 2
    assert Case.objects.filter(stage="imbauan").count() == 2

    page.goto(f"/kepatuhan/perusahaan/{first.pk}/")
    assert page.locator("#case-stage").inner_text() == "Imbauan"
    page.get_by_role("button", name="Catat tanggapan").click()
    page.get_by_label("Baru sebagian").check()
    page.get_by_label("Catatan").fill("Baru 5 dari 12 pekerja didaftarkan")
    page.locator("input[name=evidence]").set_input_files(
        {"name": "bukti-bpjs.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Simpan tanggapan").click()

    page.get_by_text("Tanggapan perusahaan dicatat.").wait_for()
    assert "tunggu tanggapan" in page.locator("#next-step").inner_text()
    assert "bukti-bpjs.pdf" in page.locator("#case-events").inner_text()

    # the new deadline passes: the page suggests Teguran I with a one-click button
    Case.objects.filter(company=first).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    page.reload()
    step = page.locator("#next-step").inner_text()
    assert "lewat 3 hari: kirim Teguran I" in step
    page.get_by_role("button", name="Buat Teguran I").click()
    page.wait_for_url("**/surat/kumpulan/**")
    assert Case.objects.get(company=first).stage == "teguran_1"


def test_operator_picks_overdue_companies_and_sends_teguran(page, settings, tmp_path):
    """/surat/: filter by case stage, tell same-named companies apart, check, send."""
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_default_templates()
    persona_user("op.samarinda")
    late = _company("PT Anugerah Agung Energi", "64.72", "wajib_belum_daftar")
    Company.objects.filter(pk=late.pk).update(nib="1200001512529")
    also_late = _company("CV Anugerah Sentosa", "64.72", "pds_upah")
    other = _company("PT Anugerah Agung Energi", "64.71", "wajib_belum_daftar")
    _company("PT Mahakam Baru", "64.72", "pds_tenaga_kerja")
    overdue = timezone.localdate() - dt.timedelta(days=2)
    for c in (late, also_late, other):
        Case.objects.create(company=c, kabkota_id=c.kabkota_id, stage="imbauan", deadline=overdue)

    login(page, "op.samarinda", PASSWORD)
    page.goto("/surat/")
    page.get_by_label("Cari nama, NIB atau NPWP").fill("anugerah")
    page.wait_for_url("**q=anugerah**")
    picker = page.locator("#picker")
    picker.get_by_text("2 perusahaan cocok dengan saringan.").wait_for()
    assert "Kota Balikpapan" not in picker.inner_text()  # the other kab/kota never shows
    page.locator("select[name=tahap]").select_option("imbauan_lewat")
    page.wait_for_url("**tahap=imbauan_lewat**")
    assert page.locator("select[name=kind]").input_value() == "teguran_1"  # the kind follows
    page.get_by_label("Centang semua yang tampil").check()
    assert page.locator("#picked-count").inner_text() == "2"
    page.get_by_label("CV Anugerah Sentosa").uncheck()
    assert page.locator("#picked-count").inner_text() == "1"
    row = page.locator("tr", has=page.get_by_label("PT Anugerah Agung Energi"))
    assert "Kota Samarinda" in row.inner_text() and "NIB 1200001512529" in row.inner_text()
    page.get_by_role("button", name="Buat surat").click()

    page.wait_for_url("**/surat/kumpulan/**")
    assert page.locator("#batch-status").inner_text() == "Selesai"
    assert Case.objects.get(company=late).stage == "teguran_1"
    assert Case.objects.get(company=also_late).stage == "imbauan"
