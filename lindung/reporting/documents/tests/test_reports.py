"""Printed reports: the numbers in the PDF text and the XLSX cells equal counts taken from the
database itself; the brief fits one page; an operator's report holds only their kab/kota; every
download is audited; the command archives one report per scope."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lindung import testing
from lindung.audit.models import AuditEntry
from lindung.core.formats import rupiah, thousands
from lindung.letters.models import OutgoingLetter
from lindung.matching.models import worker_coverage_q
from lindung.programmes.models import HOLDING, Beneficiary, Programme
from lindung.registry.models import Worker
from lindung.reporting.documents import services
from lindung.reporting.documents.models import ReportFile
from lindung.reporting.documents.tests.conftest import (
    THIS_MONTH,
    pdf_pages,
    pdf_text,
    xlsx_sheets,
)

pytestmark = pytest.mark.django_db


def _count(kabkota: str | None = None, group: str = "") -> int:
    workers = Worker.objects.filter(coverage__isnull=False)
    if kabkota:
        workers = workers.filter(kabkota_id=kabkota)
    return workers.filter(worker_coverage_q(group)).count() if group else workers.count()


def _row(text: str, name: str) -> list[str]:
    """The figures printed on the table line that starts with ``name``."""
    line = next(ln for ln in text.splitlines() if ln.startswith(name + " "))
    return line[len(name) :].split()


def _render(kind: str, user, **options) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
    out = services.render(services.build(kind, user, **options))
    return out.pdf, out.xlsx


def test_monthly_report_numbers_equal_the_database(province, pimpinan) -> None:  # type: ignore[no-untyped-def]
    pdf, book = _render("bulanan", pimpinan)
    text = pdf_text(pdf)
    for code, name in (("64.02", "Kabupaten Kutai Kartanegara"), ("64.72", "Kota Samarinda")):
        total, covered = _count(code), _count(code, "terlindungi")
        uncovered = _count(code, "belum_terlindungi")
        cells = _row(text, name)
        assert cells[:2] == [thousands(total), thousands(covered)], (name, cells)
        assert cells[3] == thousands(uncovered)
    # Kutai Kartanegara gained one protected worker since last month's snapshot
    assert _row(text, "Kabupaten Kutai Kartanegara")[-2:] == ["+1", "+11,1"]
    assert _row(text, "Jumlah")[:2] == [thousands(_count()), thousands(_count(None, "terlindungi"))]
    letters = OutgoingLetter.objects.filter(date__gte=THIS_MONTH).count()
    assert _row(text, "Imbauan pendaftaran") == [str(letters)] and letters == 2
    people = Beneficiary.objects.filter(status__in=HOLDING).count()
    assert f"{people} orang dilindungi oleh program" in text
    sheets = xlsx_sheets(book)
    assert set(sheets) >= {"Per kabupaten-kota", "Per pekerjaan", "Program", "Kepatuhan", "Surat"}
    kukar = next(r for r in sheets["Per kabupaten-kota"] if r[0] == "64.02")
    assert kukar[2:7] == [
        _count("64.02"),
        _count("64.02", "terlindungi"),
        _count("64.02", "belum_terlindungi"),
        _count("64.02", "tinjauan"),
        _count("64.02", "belum_dicocokkan"),
    ]
    assert kukar[7] == _count("64.02", "terlindungi") - 1  # last month's snapshot
    assert sheets["Surat"][1] == ["Imbauan pendaftaran", 2]


def test_monthly_report_of_last_month_reads_its_snapshot(province, pimpinan) -> None:  # type: ignore[no-untyped-def]
    document = services.build("bulanan", pimpinan, month=THIS_MONTH.replace(day=1))
    assert document.month == THIS_MONTH
    last = services.build("bulanan", pimpinan, month=_previous())
    kukar = next(r for r in last.sheets[0].rows if r[0] == "64.02")
    assert kukar[3] == _count("64.02", "terlindungi") - 1
    with pytest.raises(services.ReportError, match="Tidak ada potret cakupan"):
        services.build("bulanan", pimpinan, month=_previous(2))


def _previous(n: int = 1):  # type: ignore[no-untyped-def]
    from lindung.subsidy.premiums import add_months

    return add_months(THIS_MONTH, -n)


def test_brief_fits_one_page_and_answers(province, pimpinan) -> None:  # type: ignore[no-untyped-def]
    pdf, book = _render("ringkasan", pimpinan)
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    uncovered = _count(None, "belum_terlindungi")
    assert f"{uncovered} pekerja rentan belum terlindungi" in text
    assert _row(text, "Kutai Kartanegara")[0] == thousands(_count("64.02", "belum_terlindungi"))
    programme = Programme.objects.get()
    people = Beneficiary.objects.filter(status__in=HOLDING).count()
    assert rupiah(programme.budget) in text and f"\n{people}\norang dilindungi program" in text
    summary = dict(xlsx_sheets(book)["Ringkasan"][1:])
    assert summary["Belum terlindungi"] == uncovered
    assert summary["Orang dilindungi program"] == people


def test_brief_stays_on_one_page_with_many_programmes(province, pimpinan) -> None:  # type: ignore[no-untyped-def]
    for i in range(12):
        Programme.objects.create(
            name=f"Program desa nomor {i} dengan nama yang cukup panjang",
            funder="apbdes",
            budget=10_000_000 + i,
            period_start=THIS_MONTH,
            months=12,
        )
    pdf, _book = _render("ringkasan", pimpinan)
    assert pdf_pages(pdf) == 1
    assert "Jumlah 13 program" in pdf_text(pdf)


def test_operator_report_holds_only_their_kabkota(province, op_samarinda) -> None:  # type: ignore[no-untyped-def]
    for kind in ("bulanan", "ringkasan", "anggaran"):
        pdf, book = _render(kind, op_samarinda, programme=province)
        text = pdf_text(pdf)
        assert "Samarinda" in text
        assert "Kutai Kartanegara" not in text and "Balikpapan" not in text, kind
        for rows in xlsx_sheets(book).values():
            flat = " ".join(str(c) for row in rows for c in row)
            assert "Kutai Kartanegara" not in flat and "64.02" not in flat, kind
    pdf, _book = _render("bulanan", op_samarinda)
    assert _row(pdf_text(pdf), "Kota Samarinda")[0] == thousands(_count("64.72"))


def test_budget_brief_matches_selection_scenarios_and_benefits(province, pimpinan) -> None:  # type: ignore[no-untyped-def]
    programme = Programme.objects.get()
    pdf, book = _render("anggaran", pimpinan, programme=programme)
    text = pdf_text(pdf)
    for code, name in (("64.02", "Kabupaten Kutai Kartanegara"), ("64.72", "Kota Samarinda")):
        selected = Beneficiary.objects.filter(programme=programme, kabkota_id=code).count()
        assert _row(text, name)[3] == thousands(selected), name
    people = Beneficiary.objects.filter(programme=programme, status__in=HOLDING).count()
    assert f"{people} pekerja rentan terlindungi selama 12 bulan" in text
    assert "Rp 42.000.000" in text
    assert "Program (pilihan tersimpan) Rp 4 bulan 6 Hemat" in " ".join(text.split())
    sheets = xlsx_sheets(book)
    scenarios = {row[0]: row for row in sheets["Skenario"][1:]}
    assert scenarios["Hemat"][9] == 2 and scenarios["Rp 4 bulan 6"][9] == 4
    assert scenarios["Program (pilihan tersimpan)"][9] == people
    assert scenarios["Hemat"][3] == "JKK + JKM"  # the package's name, not its code
    per_region = {row[0]: row for row in sheets["Per kabupaten-kota"][1:]}
    assert per_region["64.72"][6] == Beneficiary.objects.filter(kabkota_id="64.72").count()
    assert any(row[2] == 42_000_000 for row in sheets["Manfaat"][1:])


def test_every_download_is_audited_and_scoped(province, pimpinan, op_samarinda) -> None:  # type: ignore[no-untyped-def]
    client = testing.client_for(pimpinan)
    response = client.get(reverse("reporting:documents:brief", args=["pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert testing.streamed_body(response).startswith(b"%PDF")
    report = ReportFile.objects.get()
    assert report.kabkota_id is None and report.pages == 1 and report.created_by == pimpinan
    response = client.get(reverse("reporting:documents:download", args=[report.pk, "xlsx"]))
    assert response.status_code == 200
    entries = AuditEntry.objects.filter(action="export", object_type="documents.reportfile")
    assert [e.detail["format"] for e in entries.order_by("id")] == ["pdf", "xlsx"]
    assert entries.filter(actor=pimpinan).count() == 2
    # the operator neither sees nor downloads the province's report, and gets their own
    operator = testing.client_for(op_samarinda)
    url = reverse("reporting:documents:download", args=[report.pk, "pdf"])
    assert operator.get(url).status_code == 404
    page = operator.get(reverse("reporting:documents:archive"))
    assert report.title not in page.content.decode()
    operator.post(
        reverse("reporting:documents:archive"), {"kind": "bulanan", "month": f"{THIS_MONTH:%Y-%m}"}
    )
    own = ReportFile.objects.get(kabkota_id="64.72")
    assert "Kota Samarinda" in own.title
    assert own.title in operator.get(reverse("reporting:documents:archive")).content.decode()


def test_budget_download_from_the_programme_page(province, pimpinan, petugas_bpjs) -> None:  # type: ignore[no-untyped-def]
    url = reverse("reporting:documents:budget", args=[province.pk, "pdf"])
    response = testing.client_for(pimpinan).get(url)
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="export", detail__laporan="anggaran").count() == 1
    assert testing.client_for(petugas_bpjs).get(url).status_code == 403


def test_bad_month_is_an_indonesian_message(province, pimpinan) -> None:  # type: ignore[no-untyped-def]
    client = testing.client_for(pimpinan)
    response = client.post(
        reverse("reporting:documents:archive"), {"kind": "bulanan", "month": "2026/13"}, follow=True
    )
    assert "tidak dikenali: tulis TTTT-BB" in response.content.decode()
    assert not ReportFile.objects.exists()


def test_command_archives_a_report_per_region(province, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    call_command("report", "monthly", "--all-regions", "--out", str(tmp_path), verbosity=0)
    reports = ReportFile.objects.filter(kind="bulanan")
    assert reports.count() == 11 and reports.filter(kabkota__isnull=True).count() == 1
    assert all(r.scheduled and r.created_by is None for r in reports)
    samarinda = reports.get(kabkota_id="64.72")
    assert "Kutai Kartanegara" not in pdf_text(samarinda.pdf.read())
    assert len(list(tmp_path.glob("*.pdf"))) == 11 and len(list(tmp_path.glob("*.xlsx"))) == 11
    call_command("report", "budget", "--programme", str(province.pk), verbosity=0)
    assert ReportFile.objects.filter(kind="anggaran", programme=province).count() == 1
    with pytest.raises(CommandError, match="perlu --programme"):
        call_command("report", "budget", verbosity=0)
    with pytest.raises(CommandError, match="tidak dikenali"):
        call_command("report", "monthly", "--month", "juni", verbosity=0)
    assert re.match(r"laporan/\d{4}/\d{2}/laporan-bulanan-", str(samarinda.pdf.name))


def test_leader_prints_the_brief_of_the_kabkota_on_screen(province, pimpinan, op_samarinda) -> None:  # type: ignore[no-untyped-def]
    client = testing.client_for(pimpinan)
    dashboard = client.get(reverse("reporting:dashboard"), {"wilayah": "64.02"}).content.decode()
    assert "ringkasan.pdf?kabkota=64.02" in dashboard
    response = client.get(reverse("reporting:documents:brief", args=["pdf"]), {"kabkota": "64.02"})
    assert response.status_code == 200
    text = pdf_text(testing.streamed_body(response))
    assert "Kutai Kartanegara" in text and "Samarinda" not in text
    report = ReportFile.objects.get()
    assert report.kabkota_id == "64.02" and report.created_by == pimpinan
    # printed twice, downloaded under the same clean name (no storage suffix)
    again = client.get(reverse("reporting:documents:brief", args=["xlsx"]), {"kabkota": "64.02"})
    assert again["Content-Disposition"].endswith(f'{Path(str(report.xlsx.name)).name}"')
    # outside the province, or an operator asking for another kab/kota: their own scope only
    assert (
        client.get(
            reverse("reporting:documents:brief", args=["pdf"]), {"kabkota": "31.71"}
        ).status_code
        == 404
    )
    operator = testing.client_for(op_samarinda)
    operator.get(reverse("reporting:documents:brief", args=["pdf"]), {"kabkota": "64.02"})
    assert ReportFile.objects.latest("pk").kabkota_id == "64.72"
