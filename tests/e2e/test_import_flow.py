"""A regency operator imports a proposal file in the browser: upload, check the mapping,
validate, read the report, commit, and finds the workers in the registry."""

from __future__ import annotations

import pytest

from lindung.imports.tests.test_jobs import IMMEDIATE, workers_csv
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
