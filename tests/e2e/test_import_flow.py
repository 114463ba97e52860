"""Imports in the browser: a regency operator uploads a proposal file, checks the mapping,
validates, reads the report, commits and finds the workers in the registry; the form follows the
chosen kind; the BPJS liaison previews participant data with masked NIKs and cancels."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lindung.imports.tests.test_jobs import IMMEDIATE, workers_csv
from lindung.imports.tests.test_pages import PARTICIPANT_NIK, participants_csv
from lindung.nik import mask
from lindung.testing import PASSWORD, persona_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_operator_imports_workers_in_the_browser(page, settings):
    settings.TASKS = IMMEDIATE
    persona_user("op.samarinda")
    login(page, "op.samarinda", PASSWORD)
    page.get_by_role("link", name="Impor", exact=True).click()
    page.get_by_label("Jenis data").select_option("workers")
    page.get_by_label("File (CSV, XLSX atau Parquet)").set_input_files(
        {"name": "usulan-samarinda.csv", "mimeType": "text/csv", "buffer": workers_csv(4)}
    )
    page.get_by_label("Sumber data").fill("DTKS 2025")
    page.get_by_role("button", name="Unggah dan pratinjau").click()

    page.get_by_role("heading", name="Pratinjau dan pemetaan kolom").wait_for()
    assert page.get_by_text("Pekerja Nomor 0").is_visible()
    assert page.get_by_label("Kolom Tgl Lahir berisi").input_value() == "tanggal_lahir"
    page.get_by_role("button", name="Validasi seluruh file").click()

    page.get_by_role("heading", name="Laporan validasi").wait_for()
    assert "notasi ilmiah" in page.locator("table").last.inner_text()
    page.get_by_role("button", name="Simpan baris yang valid").click()

    page.get_by_role("heading", name="Hasil impor").wait_for()
    assert page.locator("#job-status").inner_text() == "Selesai disimpan"
    page.goto("/pekerja/?q=pekerja+nomor")
    assert page.locator("#results tbody tr").count() == 4


def test_the_form_follows_the_chosen_kind_and_offers_its_template(page, tmp_path):
    persona_user("admin")
    login(page, "admin", PASSWORD)
    page.goto("/impor/")
    expect(page.get_by_label("Instansi pengusul")).to_be_visible()
    page.get_by_label("Jenis data").select_option("participants")
    expect(page.get_by_label("Instansi pengusul")).to_have_count(0)
    expect(page.get_by_text("DTKS 2025")).to_have_count(0)
    page.locator("#expected-columns summary").click()
    expect(page.locator("#expected-columns")).to_contain_text("segmen_kepesertaan")

    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh templat (XLSX)").click()
    assert download.value.suggested_filename == "templat-peserta-bpjs-ketenagakerjaan.xlsx"


def test_the_bpjs_liaison_previews_masked_niks_and_cancels(page, settings):
    settings.TASKS = IMMEDIATE
    persona_user("bpjs")
    login(page, "bpjs", PASSWORD)
    page.goto("/impor/")
    page.get_by_label("File (CSV, XLSX atau Parquet)").set_input_files(
        {"name": "peserta.csv", "mimeType": "text/csv", "buffer": participants_csv()}
    )
    page.get_by_role("button", name="Unggah dan pratinjau").click()

    page.get_by_role("heading", name="Pratinjau dan pemetaan kolom").wait_for()
    table = page.locator("table").first.inner_text()
    assert mask(PARTICIPANT_NIK) in table and PARTICIPANT_NIK not in table
    page.get_by_role("button", name="Batalkan").click()
    expect(page.locator("#job-status")).to_have_text("Dibatalkan")
