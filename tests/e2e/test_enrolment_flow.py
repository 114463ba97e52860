"""The Admin Provinsi sends a programme's beneficiaries to BPJS TK, applies BPJS's answer (one
rejected) and reconciles the first monthly invoice — all in the browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lindung.enrolment.tests.factories import add_people, make_programme
from lindung.imports.reading import read_table
from lindung.testing import PASSWORD, persona_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _csv(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_admin_exports_a_batch_imports_the_answer_and_reconciles_a_bill(page, tmp_path: Path):
    today = timezone.localdate()
    programme = make_programme(
        name="BPU Rentan Samarinda", period_start=dt.date(today.year, today.month, 1)
    )
    add_people(programme, 4)
    persona_user("admin")
    login(page, "admin", PASSWORD)

    page.goto(f"/program/{programme.pk}/")  # the programme's own page shows its enrolment state
    expect(page.locator("#enrolment-state")).to_contain_text("Terpilih, belum dikirim ke BPJS: 4")
    page.locator("#enrolment-link").click()
    page.get_by_role("button", name="Buat batch pendaftaran").click()
    page.get_by_role("heading", name="Batch pendaftaran PND-").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh Excel (.xlsx)").click()
    sent = tmp_path / "batch.xlsx"
    download.value.save_as(sent)
    rows = read_table(sent, max_bytes=10**7).frame.to_dicts()
    assert len(rows) == 4
    nik = [r["NIK"] for r in rows]

    page.get_by_role("link", name="BPU Rentan Samarinda").click()
    page.get_by_role("button", name="Impor jawaban").click()
    start = today.strftime("%d-%m-%Y")
    answer = _csv(
        [
            "NIK;Status;No KPJ;Tanggal Mulai;Alasan",
            f"{nik[0]};terdaftar;26000000001;{start};",
            f"{nik[1]};terdaftar;26000000002;{start};",
            f"{nik[2]};terdaftar;26000000003;{start};",
            f"{nik[3]};ditolak;;;Data NIK tidak cocok dengan Dukcapil",
        ]
    )
    page.get_by_label("File jawaban BPJS").set_input_files(
        {"name": "jawaban-bpjs.csv", "mimeType": "text/csv", "buffer": answer}
    )
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.get_by_text("3 terdaftar, 1 ditolak, 0 tidak berubah").wait_for()

    page.get_by_role("button", name="Impor tagihan").click()
    page.get_by_label("Bulan tagihan").fill(today.strftime("%Y-%m"))
    invoice = _csv(
        [
            "No KPJ;Nama Peserta;Jumlah Iuran",
            "26000000001;Peserta 1;Rp 16.800",
            "26000000002;Peserta 2;Rp 20.000",  # wrong amount
            "26009999999;Bukan Penerima;Rp 16.800",  # not ours; 26000000003 is missing
            "TOTAL;;Rp 53.600",
        ]
    )
    page.get_by_label("File tagihan BPJS").set_input_files(
        {"name": "tagihan.csv", "mimeType": "text/csv", "buffer": invoice}
    )
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.get_by_role("heading", name="Rekonsiliasi tagihan").wait_for()
    assert page.locator("#difference-count").inner_text() == "3"
    assert page.locator("#difference-total").inner_text() == "Rp 3.200"
    assert page.locator("#billed-total").inner_text() == "Rp 53.600"
    expect(page.locator("#stated-total")).to_contain_text("sama dengan jumlah baris")
    lines = page.locator("#lines tbody tr")
    assert lines.count() == 3
    text = page.locator("#lines").inner_text()
    for expected in ("Nominal berbeda", "Ditagih, bukan penerima", "Aktif, tidak ditagih"):
        assert expected in text
    page.get_by_label("Tampilkan").select_option("semua")  # htmx swaps the lines in place
    expect(page.locator("#lines tbody tr")).to_have_count(4)
