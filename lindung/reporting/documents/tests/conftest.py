"""A small province for the printed reports: workers in three kab/kota with every coverage
situation, a programme with a saved selection and two scenarios, last month's snapshot,
companies in the compliance funnel and letters sent this month."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from lindung import testing
from lindung.compliance.cases import Case, Stage
from lindung.compliance.models import Company, CompanyStatus, ComplianceStatus
from lindung.letters.models import LetterKind, OutgoingLetter
from lindung.matching.models import Coverage
from lindung.programmes import services as programme_services
from lindung.programmes.models import Funder, Programme
from lindung.reporting.models import CoverageSnapshot
from lindung.reporting.summary import refresh_summaries, take_snapshot
from lindung.subsidy.premiums import add_months

TODAY = timezone.localdate()
THIS_MONTH = dt.date(TODAY.year, TODAY.month, 1)
LAST_MONTH = add_months(THIS_MONTH, -1)

#: (kab/kota, coverage status, how many)
REGISTRY = (
    ("64.02", "belum", 5),
    ("64.02", "pu", 2),
    ("64.02", "nonaktif", 1),
    ("64.02", "tinjauan", 1),
    ("64.72", "belum", 3),
    ("64.72", "bpu_mandiri", 2),
    ("64.71", "belum", 2),
    ("64.71", "pu", 1),
)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Files under a temporary MEDIA_ROOT; an empty cache (the dashboard caches per version)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def xlsx_sheets(data: bytes) -> dict[str, list[list[Any]]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _last_month_snapshot() -> None:
    """Last month's snapshot: as today, but one Kutai Kartanegara worker less protected, so
    the change column has something to show."""
    take_snapshot(LAST_MONTH)
    for region in ("64.02", "64"):
        pu = CoverageSnapshot.objects.get(month=LAST_MONTH, region_id=region, measure="pu")
        pu.value -= 1
        pu.save()
        belum = CoverageSnapshot.objects.get(month=LAST_MONTH, region_id=region, measure="belum")
        belum.value += 1
        belum.save()


@pytest.fixture
def province(db, admin_provinsi):  # type: ignore[no-untyped-def]
    for kab, status, n in REGISTRY:
        for _ in range(n):
            worker = testing.make_worker(kab, name="Rahmat Hidayat")
            Coverage.objects.create(worker=worker, kabkota_id=kab, status=status)
    programme = Programme.objects.create(
        name="Bantuan Iuran Provinsi",
        funder=Funder.APBD_PROVINSI,
        budget=6 * 16_800 * 12,
        period_start=add_months(THIS_MONTH, 1),
        months=12,
        priorities=["desil_terendah", "usia_tertua"],
    )
    programme_services.save_selection(programme, admin_provinsi)
    base = programme_services.Params.of(programme)
    for name, budget, months in (("Rp 4 bulan 6", 4 * 16_800 * 6, 6), ("Hemat", 2 * 201_600, 12)):
        params = programme_services.dataclasses.replace(base, budget=budget, months=months)
        programme_services.add_scenario(programme, name, params, admin_provinsi)
    now = timezone.now()
    for i, (kab, status) in enumerate(
        [
            ("64.72", ComplianceStatus.UNREGISTERED),
            ("64.72", ComplianceStatus.COMPLIANT),
            ("64.02", ComplianceStatus.PDS_WAGE),
        ]
    ):
        company = Company.objects.create(name=f"PT Uji {i}", kabkota_id=kab)
        CompanyStatus.objects.create(
            company=company, status=status, evidence={"wajib": True}, computed_at=now
        )
        if status != ComplianceStatus.COMPLIANT:
            Case.objects.create(company=company, kabkota_id=kab, stage=Stage.IMBAUAN)
            OutgoingLetter.objects.create(
                number=f"500/{i}/DTKT",
                date=TODAY,
                kind=LetterKind.IMBAUAN,
                company=company,
                addressee=company.name,
                subject="Imbauan",
            )
    OutgoingLetter.objects.create(
        number="500/old/DTKT",
        date=add_months(LAST_MONTH, -1),
        kind=LetterKind.TEGURAN_1,
        addressee="PT Lama",
        subject="Teguran",
    )
    refresh_summaries()
    _last_month_snapshot()
    return programme
