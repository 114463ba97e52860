"""A small, complete data set for API tests: the same things in Samarinda and in Balikpapan.

Every list endpoint then has something to show and something it must hide, so scope tests and
the schema fuzzing both see real rows rather than empty pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from lindung.accounts.models import User
from lindung.compliance.models import Company, CompanyStatus, ComplianceStatus
from lindung.imports.models import ImportJob, ImportKind, JobStatus
from lindung.letters.models import LetterKind, OutgoingLetter
from lindung.matching.models import (
    Coverage,
    CoverageStatus,
    MatchRun,
    MembershipStatus,
    Participant,
    RunStatus,
    Segment,
)
from lindung.programmes.models import Beneficiary, Funder, Programme, person_key
from lindung.regions.models import Region
from lindung.registry.models import Worker
from lindung.testing import make_worker

SAMARINDA, BALIKPAPAN = "64.72", "64.71"
MEMBER_SINCE = dt.date(2024, 3, 1)


@dataclass
class World:
    covered: Worker  # Samarinda, BPU mandiri since MEMBER_SINCE
    unmatched: Worker  # Samarinda, never matched
    balikpapan: Worker  # Balikpapan, not covered
    programme: Programme  # province-wide, one beneficiary in each city
    programme_balikpapan: Programme  # targets Balikpapan only
    job_samarinda: ImportJob
    job_balikpapan: ImportJob
    job_participants: ImportJob
    company_samarinda: Company
    company_balikpapan: Company
    letter_samarinda: OutgoingLetter
    letter_balikpapan: OutgoingLetter


def _coverage(run: MatchRun, worker: Worker, status: str, reason: str, **kw: object) -> None:
    Coverage.objects.create(
        worker=worker, kabkota_id=worker.kabkota_id, status=status, reason=reason, run=run, **kw
    )


def _job(kind: str, user: User | None, kabkota: str | None, name: str) -> ImportJob:
    return ImportJob.objects.create(
        kind=kind,
        status=JobStatus.VALIDATED,
        file=f"imports/{name}",
        original_name=name,
        size_bytes=1234,
        created_by=user,
        kabkota_id=kabkota,
        proposer_id=kabkota,
        counts={"rows": 10, "created": 8, "updated": 0, "unchanged": 0, "rejected": 2},
        messages=["2 baris ditolak."],
    )


def _company(name: str, kabkota: str, status: str) -> Company:
    company = Company.objects.create(
        name=name, kabkota_id=kabkota, employees_reported=40, wage_reported=3_000_000
    )
    CompanyStatus.objects.create(
        company=company,
        status=status,
        findings=[{"status": status, "pekerja_dilaporkan": 40, "pekerja_terdaftar": 12}],
        evidence={"pekerja_dilaporkan": 40, "pekerja_terdaftar": 12, "npp": None},
        computed_at=timezone.now(),
    )
    return company


def _letter(number: str, company: Company) -> OutgoingLetter:
    """A register entry whose PDF is a stored file (the older kind), to keep tests fast."""
    path = Path(settings.MEDIA_ROOT) / "letters" / f"{company.pk}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n% surat " + number.encode() + b"\n%%EOF\n")
    return OutgoingLetter.objects.create(
        number=number,
        date=dt.date(2026, 2, 2),
        kind=LetterKind.IMBAUAN,
        company=company,
        addressee=f"Pimpinan {company.name}",
        subject="Imbauan pendaftaran BPJS Ketenagakerjaan",
        pdf_path=str(path.relative_to(settings.MEDIA_ROOT)),
    )


def _beneficiary(programme: Programme, worker: Worker, rank: int) -> None:
    Beneficiary.objects.create(
        programme=programme,
        worker=worker,
        person_key=person_key(worker.nik, worker.nik_status, worker.pk),
        kabkota_id=worker.kabkota_id,
        rank=rank,
        reason="Desil 1, belum terlindungi",
    )


def build(op_samarinda: User, op_balikpapan: User, bpjs: User) -> World:
    covered = make_worker(SAMARINDA, name="Siti Aminah", sex="P")
    unmatched = make_worker(SAMARINDA, name="Rudi Hartono")
    balikpapan = make_worker(BALIKPAPAN, name="Yakobus Lerang")
    run = MatchRun.objects.create(status=RunStatus.DONE, finished_at=timezone.now())
    participant = Participant.objects.create(
        nik=covered.nik,
        name=covered.name,
        birth_date=covered.birth_date,
        sex=covered.sex,
        segment=Segment.BPU,
        status=MembershipStatus.ACTIVE,
        kabkota_id=SAMARINDA,
        membership_date=MEMBER_SINCE,
    )
    _coverage(
        run, covered, CoverageStatus.BPU_MANDIRI, "NIK dan nama sama", participant=participant
    )
    _coverage(run, balikpapan, CoverageStatus.BELUM, "Tidak ditemukan di data BPJS")
    programme = Programme.objects.create(
        name="Bantuan Iuran Provinsi 2026",
        funder=Funder.APBD_PROVINSI,
        budget=1_000_000_000,
        period_start=dt.date(2026, 1, 1),
        months=12,
    )
    _beneficiary(programme, covered, 1)
    _beneficiary(programme, balikpapan, 2)
    only_bpp = Programme.objects.create(
        name="Bantuan Iuran Kota Balikpapan",
        funder=Funder.APBD_KABKOTA,
        budget=100_000_000,
        period_start=dt.date(2026, 1, 1),
        months=6,
    )
    only_bpp.target_regions.add(Region.objects.get(code=BALIKPAPAN))
    _beneficiary(only_bpp, balikpapan, 1)
    company_smd = _company("PT Mahakam Sejahtera", SAMARINDA, ComplianceStatus.PDS_WORKFORCE)
    company_bpp = _company("PT Teluk Balikpapan", BALIKPAPAN, ComplianceStatus.UNREGISTERED)
    return World(
        covered=covered,
        unmatched=unmatched,
        balikpapan=balikpapan,
        programme=programme,
        programme_balikpapan=only_bpp,
        job_samarinda=_job(ImportKind.WORKERS, op_samarinda, SAMARINDA, "smd.csv"),
        job_balikpapan=_job(ImportKind.WORKERS, op_balikpapan, BALIKPAPAN, "bpp.csv"),
        job_participants=_job(ImportKind.PARTICIPANTS, bpjs, None, "peserta.csv"),
        company_samarinda=company_smd,
        company_balikpapan=company_bpp,
        letter_samarinda=_letter("560/001/DTKT/2026", company_smd),
        letter_balikpapan=_letter("560/002/DTKT/2026", company_bpp),
    )
