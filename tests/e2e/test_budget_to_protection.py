"""From a budget to protected people, in one browser session on demo-generated workers.

The Admin Provinsi creates a Rp 3 billion, 12-month programme, selects its beneficiaries,
compares three scenarios, downloads the budget brief, sends the batch to BPJS TK (CSV and XLSX),
applies BPJS's answer and reconciles the first monthly bill; a Samarinda operator then sees only
Samarinda's beneficiaries. Only BPJS's two files come from outside the UI: the demo's BPJS
simulator (:mod:`lindung.demo.bpjs`) writes them, as ``lindung demo-bpjs-reply``/``-bill`` do.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from lindung.core.formats import rupiah, thousands
from lindung.demo import bpjs
from lindung.demo.generator import generate_workers
from lindung.demo.services import load_workers
from lindung.enrolment.models import EnrolmentBatch, LineKind, Reconciliation
from lindung.imports.reading import read_table
from lindung.matching.models import Coverage
from lindung.programmes.models import Beneficiary, BeneficiaryStatus, Programme, Scenario
from lindung.registry.models import NikStatus, Worker
from lindung.reporting.summary import refresh_summaries
from lindung.subsidy.premiums import add_months
from lindung.testing import PASSWORD, persona_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAMARINDA = "64.72"


@pytest.fixture
def registry(settings, tmp_path):  # type: ignore[no-untyped-def]
    """800 demo workers; every third already covered (PU), the others not yet."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_workers(generate_workers(800, 2026))
    workers = Worker.objects.filter(nik_status=NikStatus.VALID).values_list("id", "kabkota_id")
    Coverage.objects.bulk_create(
        Coverage(worker_id=pk, kabkota_id=kab, status="pu" if pk % 3 == 0 else "belum")
        for pk, kab in workers
    )
    refresh_summaries()


def _figures(page, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def _create_and_select(page, start) -> Programme:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Program", exact=True).click()
    page.get_by_role("button", name="Program baru").click()
    page.fill("input[name=name]", "Bantuan Iuran Pekerja Rentan Kaltim")
    page.select_option("select[name=funder]", "apbd_provinsi")
    page.fill("input[name=budget]", "3000000000")
    page.fill("input[name=period_start]", start.isoformat())
    page.fill("input[name=months]", "12")
    page.get_by_role("button", name="Simpan program").click()
    expect(page.locator("#capacity")).to_have_text("14.880")

    page.get_by_role("button", name="Pilih penerima").click()
    programme = Programme.objects.get()
    chosen = Beneficiary.objects.filter(programme=programme)
    selected = chosen.count()
    assert 100 < selected < 14_880  # everyone eligible fits: the registry is the limit
    expect(page.get_by_text(f"{thousands(selected)} penerima terpilih")).to_be_visible()
    expect(page.locator("#selected-total")).to_have_text(thousands(selected))
    assert not chosen.filter(worker__coverage__status="pu").exists()
    return programme


def _compare_scenarios(page, programme: Programme) -> None:  # type: ignore[no-untyped-def]
    selected = programme.beneficiaries.count()
    page.get_by_role("button", name="Bandingkan skenario").click()
    for name, budget, months, package in (
        ("Anggaran Rp 10 juta", "10000000", "12", None),
        ("Enam bulan", "3000000000", "6", None),
        ("Dengan JHT", "3000000000", "12", "JKK,JKM,JHT"),
    ):
        page.fill("input[name=name]", name)
        page.fill("input[name=budget]", budget)
        page.fill("input[name=months]", months)
        if package:
            page.select_option("select[name=package]", package)
        page.get_by_role("button", name="Hitung skenario").click()
        expect(page.get_by_text("Skenario dihitung.")).to_be_visible()
    expect(page.locator("#scenario-table thead th")).to_have_count(5)
    results = [s.result for s in Scenario.objects.filter(programme=programme).order_by("id")]
    assert [r["selected"] for r in results] == [49, selected, selected]  # 10 jt / Rp 201.600
    assert results[2]["premium_monthly"] == 36_800
    people = _figures(page, "#scenario-table tr.people td")
    assert people == [thousands(n) for n in (selected, *(r["selected"] for r in results))]
    text = page.locator("#scenario-table").inner_text()
    for r in results:
        assert rupiah(r["total_cost"]) in text and rupiah(r["leftover"]) in text


def _brief(page, programme: Programme) -> None:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh ringkasan anggaran (PDF)").click()
    body = Path(info.value.path()).read_bytes()
    assert body.startswith(b"%PDF")
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Rp 3.000.000.000" in text
    assert thousands(programme.beneficiaries.count()) in text
    assert "Dengan JHT" in text


def _send_batch(page, tmp_path: Path, programme: Programme) -> EnrolmentBatch:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Pendaftaran", exact=True).click()
    page.get_by_role("link", name=programme.name).click()
    page.get_by_role("button", name="Buat batch pendaftaran").click()
    expect(page.get_by_role("heading", name=re.compile("Batch pendaftaran PND-"))).to_be_visible()
    files = {}
    for button, extension in (("Unduh Excel (.xlsx)", "xlsx"), ("Unduh CSV", "csv")):
        with page.expect_download() as info:
            page.get_by_role("button", name=button).click()
        files[extension] = tmp_path / f"batch.{extension}"
        info.value.save_as(files[extension])
    rows = {ext: read_table(path, max_bytes=10**8).frame for ext, path in files.items()}
    selected = programme.beneficiaries.count()
    assert rows["xlsx"].height == rows["csv"].height == selected
    assert rows["xlsx"]["NIK"].to_list() == rows["csv"]["NIK"].to_list()
    assert set(rows["csv"]["NIK"]) == set(
        programme.beneficiaries.values_list("worker__nik", flat=True)
    )
    assert programme.beneficiaries.filter(status=BeneficiaryStatus.SENT).count() == selected
    return EnrolmentBatch.objects.get(programme=programme)


def _answer(page, tmp_path: Path, batch: EnrolmentBatch) -> None:  # type: ignore[no-untyped-def]
    answer = tmp_path / "jawaban-bpjs.xlsx"
    written = bpjs.write_answer(batch, answer)
    registered, rejected = (int(n) for n in re.findall(r"\d+", written.summary))
    assert registered > 0 and rejected > 0
    page.get_by_role("link", name=batch.programme.name).click()
    page.get_by_role("button", name="Impor jawaban").click()
    page.get_by_label("File jawaban BPJS").set_input_files(answer)
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(
        page.get_by_text(f"{registered} terdaftar, {rejected} ditolak, 0 tidak berubah")
    ).to_be_visible()
    people = batch.programme.beneficiaries
    assert people.filter(status=BeneficiaryStatus.REGISTERED).count() == registered
    assert people.filter(status=BeneficiaryStatus.REJECTED).count() == rejected


def _bill(page, tmp_path: Path, programme: Programme) -> None:  # type: ignore[no-untyped-def]
    month = programme.period_start
    bill = tmp_path / "tagihan-bpjs.xlsx"
    bpjs.write_bill(programme, month, bill)
    page.get_by_role("button", name="Impor tagihan").click()
    page.get_by_label("Bulan tagihan").fill(month.strftime("%Y-%m"))
    page.get_by_label("File tagihan BPJS").set_input_files(bill)
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.get_by_role("heading", name="Rekonsiliasi tagihan")).to_be_visible()
    rec = Reconciliation.objects.get(programme=programme)
    expect(page.locator("#difference-count")).to_have_text("3")
    expect(page.locator("#difference-total")).to_have_text(rupiah(rec.premium))
    expect(page.locator("#lines tbody tr")).to_have_count(3)
    lines = page.locator("#lines")
    outsider = rec.lines.get(kind=LineKind.NOT_OURS)
    missing = rec.lines.get(kind=LineKind.NOT_BILLED)
    wrong = rec.lines.get(kind=LineKind.AMOUNT)
    expect(lines.locator("tr", has_text="Ditagih, bukan penerima")).to_contain_text(outsider.name)
    expect(lines.locator("tr", has_text="Aktif, tidak ditagih")).to_contain_text(missing.name)
    expect(lines.locator("tr", has_text="Nominal berbeda")).to_contain_text(wrong.name)
    assert wrong.billed == 2 * rec.premium
    assert not programme.beneficiaries.filter(worker__name=outsider.name).exists()


def test_budget_to_protection_in_the_browser(page, browser, live_server, registry, tmp_path):  # type: ignore[no-untyped-def]
    persona_user("admin")
    persona_user("op.samarinda")
    start = add_months(timezone.localdate().replace(day=1), 1)
    login(page, "admin", PASSWORD)

    programme = _create_and_select(page, start)
    _compare_scenarios(page, programme)
    _brief(page, programme)
    batch = _send_batch(page, tmp_path, programme)
    _answer(page, tmp_path, batch)
    _bill(page, tmp_path, programme)

    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    operator = context.new_page()
    login(operator, "op.samarinda", PASSWORD)
    operator.goto(f"/program/{programme.pk}/")
    ours = programme.beneficiaries.filter(kabkota_id=SAMARINDA).count()
    assert 0 < ours < programme.beneficiaries.count()
    expect(operator.locator("#beneficiaries")).to_contain_text(f"{thousands(ours)} penerima")
    kab = _figures(operator, "#beneficiary-table tbody td:nth-child(4)")
    assert kab and set(kab) == {"Kota Samarinda"}
    operator.goto(f"/pendaftaran/program/{programme.pk}/")
    counts = [int(t.replace(".", "")) for t in _figures(operator, ".stats .figure")]
    assert sum(counts) == ours
    context.close()
