"""Batches: placeholders checked first, numbers never shared, every company gets its letter."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from lindung.audit.models import AuditEntry
from lindung.compliance.models import Company
from lindung.letters import numbering, services, sources
from lindung.letters.data import PlaceholderError
from lindung.letters.models import (
    BatchStatus,
    LetterBatch,
    Letterhead,
    LetterKind,
    LetterSequence,
    LetterTemplate,
    OutgoingLetter,
)
from lindung.letters.tests.helpers import SAMARINDA, page_range, pages_of, text_of
from lindung.testing import client_for

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _many(n: int, prefix: str = "PT Uji") -> list:
    return [dataclasses.replace(SAMARINDA, nama_perusahaan=f"{prefix} {i:03d}") for i in range(n)]


@pytest.mark.django_db
def test_batch_files_register_and_one_audit_entry(admin_provinsi) -> None:
    audits = AuditEntry.objects.count()
    batch = services.generate_batch(_many(3), LetterKind.TEGURAN_1, admin_provinsi, workers=1)
    assert batch.status == BatchStatus.DONE
    letters = list(OutgoingLetter.objects.filter(batch=batch).order_by("id"))
    assert len({x.number for x in letters}) == 3
    print_pdf = Path(batch.pdf_file.path).read_bytes()
    assert pages_of(print_pdf) == batch.counts["pages"]
    assert sum(x.page_count or 0 for x in letters) == batch.counts["pages"]
    assert [x.page_first for x in letters] == [
        1,
        1 + (letters[0].page_count or 0),
        1 + (letters[0].page_count or 0) + (letters[1].page_count or 0),
    ]
    assert "PT Uji 002" in text_of(print_pdf)
    # the register keeps the exact data used: LetterData, template version, layout input
    template = LetterTemplate.current(LetterKind.TEGURAN_1)
    assert letters[0].data["nama_perusahaan"] == "PT Uji 000"
    assert letters[0].template == template and letters[0].template_version == template.version
    assert letters[0].content["nomor"] == letters[0].number
    assert AuditEntry.objects.count() == audits + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.detail["letters"] == 3 and entry.actor == admin_provinsi
    # the ZIP of single letters is a separate action, made from the same snapshots
    assert not batch.zip_file
    services.build_zip(batch)
    with zipfile.ZipFile(batch.zip_file.path) as zf:
        names = zf.namelist()
        assert len(names) == 3
        first = zf.read(names[0])
        assert sum(pages_of(zf.read(n)) for n in names) == batch.counts["pages"]
    assert "PT Uji 000" in text_of(first) and letters[0].number in text_of(first)


@pytest.mark.django_db
def test_single_letter_on_demand_equals_its_pages_in_the_batch_pdf(admin_provinsi) -> None:
    batch = services.generate_batch(_many(3), LetterKind.TEGURAN_2, admin_provinsi, workers=1)
    print_pdf = Path(batch.pdf_file.path).read_bytes()
    # the template and the letterhead change afterwards: a sent letter must not
    template = LetterTemplate.current(LetterKind.TEGURAN_2)
    template.body = "Isi yang diubah setelah surat dikirim."
    template.save()
    Letterhead.objects.create(instansi="Dinas Lain")
    client = client_for(admin_provinsi)
    for letter in OutgoingLetter.objects.filter(batch=batch).order_by("id"):
        single = services.letter_pdf(letter)
        assert single is not None
        assert pages_of(single) == letter.page_count
        assert text_of(single) == text_of(
            page_range(print_pdf, letter.page_first or 0, letter.page_count or 0)
        )
        response = client.get(reverse("letters:letter-pdf", args=[letter.pk]))
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert text_of(body) == text_of(single)
        assert "Isi yang diubah" not in text_of(body) and "DINAS LAIN" not in text_of(body)


@pytest.mark.django_db
def test_unknown_placeholder_is_refused_before_the_batch(admin_provinsi) -> None:
    template = LetterTemplate.current(LetterKind.TEGURAN_1)
    template.body += "\n\nHormat kami kepada {nama_direktur}."
    template.save()
    seq_before = LetterSequence.objects.get(pk=template.sequence_id).next_number
    with pytest.raises(PlaceholderError) as err:
        services.generate_batch(_many(2), LetterKind.TEGURAN_1, admin_provinsi)
    assert "Templat 'Teguran I' memakai {nama_direktur} yang tidak dikenal" in str(err.value)
    with pytest.raises(PlaceholderError):
        services.create_batch(_many(2), LetterKind.TEGURAN_1, admin_provinsi)
    assert not LetterBatch.objects.exists()
    assert LetterSequence.objects.get(pk=template.sequence_id).next_number == seq_before


@pytest.mark.django_db
def test_company_without_npwp_or_nib_gets_a_letter(admin_provinsi) -> None:
    company = Company.objects.create(name="CV Tanpa Izin", kabkota_id="64.72", address="Jl. A")
    (data,) = sources.letter_data([company])
    assert data.npwp == "" and data.nib == "" and data.di == "Samarinda"
    batch = services.generate_batch([data], LetterKind.IMBAUAN, admin_provinsi, workers=1)
    letter = OutgoingLetter.objects.get(batch=batch)
    assert letter.company == company
    text = text_of(Path(batch.pdf_file.path).read_bytes())
    assert "CV Tanpa Izin" in text and "NIB -, NPWP -" in text


@pytest.mark.django_db
def test_new_year_restarts_the_sequence() -> None:
    seq = LetterSequence.objects.create(name="uji", year=2026, next_number=57)
    assert numbering.reserve(seq.pk, 2, 2026) == [
        "500.15/0057/Disnakertrans/2026",
        "500.15/0058/Disnakertrans/2026",
    ]
    assert numbering.reserve(seq.pk, 1, 2027) == ["500.15/0001/Disnakertrans/2027"]


def _database_url(tmp_path: Path) -> str:
    """A URL other processes can open, holding what this test has committed."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
        return f"postgres://{s['USER']}:{s['PASSWORD']}@{host}:{port}/{s['NAME']}"
    # the SQLite test database lives in memory (shared cache, which reports "table is
    # locked" instead of waiting): copy it to a file, as a real deployment has it
    target = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as dest:
        connection.connection.backup(dest)
    return f"sqlite:///{target}"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_batches_never_share_a_number(tmp_path: Path) -> None:
    """Two batches in two processes at once; on SQLite and on PostgreSQL (DATABASE_URL)."""
    url = _database_url(tmp_path)
    go = tmp_path / "go"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LINDUNG_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
    }
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "lindung.letters.tests.race_child", prefix, "15", str(go)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for prefix in ("PT Kiri", "PT Kanan")
    ]
    time.sleep(0.2)
    go.touch()
    results = [child.communicate(timeout=120) for child in children]
    for child, (_out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err.decode()[-2000:]
    left, right = (json.loads(out) for out, _err in results)
    assert len(left) == len(right) == 15
    numbers = left + right
    assert len(set(numbers)) == 30, "a number was given twice"
    seqs = sorted(int(n.split("/")[1]) for n in numbers)
    assert seqs == list(range(seqs[0], seqs[0] + 30))  # one unbroken run, no gaps


@pytest.mark.django_db(transaction=True)
def test_many_threads_reserving_blocks() -> None:
    seq = LetterSequence.objects.create(name="balapan", year=2026)
    got: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            for _ in range(10):
                block = numbering.reserve(seq.pk, 3, 2026)
                with lock:
                    got.extend(block)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 120 and len(set(got)) == 120


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_pages_create_progress_download_register(admin_provinsi) -> None:
    company = Company.objects.create(name="PT Halaman Uji", kabkota_id="64.72", npwp="0123")
    client = client_for(admin_provinsi)
    assert client.get(reverse("letters:list")).status_code == 200
    response = client.post(
        reverse("letters:list"), {"kind": LetterKind.TEGURAN_1, "companies": [company.pk]}
    )
    assert response.status_code == 302
    batch = LetterBatch.objects.latest("id")
    assert batch.status == BatchStatus.DONE, batch.message
    page = client.get(reverse("letters:batch", args=[batch.pk]))
    assert "PT Halaman Uji" in page.text
    progress = client.get(reverse("letters:progress", args=[batch.pk]))
    assert progress["HX-Refresh"] == "true"
    pdf = client.get(reverse("letters:download", args=[batch.pk, "pdf"]))
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"  # type: ignore[attr-defined]
    assert client.get(reverse("letters:download", args=[batch.pk, "zip"])).status_code == 200
    letter = OutgoingLetter.objects.get(batch=batch)
    single = client.get(reverse("letters:letter-pdf", args=[letter.pk]))
    assert b"".join(single.streaming_content)[:5] == b"%PDF-"  # type: ignore[attr-defined]
    register = client.get(reverse("letters:register"), {"jenis": LetterKind.TEGURAN_1})
    assert OutgoingLetter.objects.get(batch=batch).number in register.text


@pytest.mark.django_db
def test_bad_template_shows_the_indonesian_error(admin_provinsi) -> None:
    template = LetterTemplate.current(LetterKind.IMBAUAN)
    template.subject = "Imbauan untuk {nama_pimpinan}"
    template.save()
    company = Company.objects.create(name="PT Galat", kabkota_id="64.72")
    response = client_for(admin_provinsi).post(
        reverse("letters:list"),
        {"kind": LetterKind.IMBAUAN, "companies": [company.pk]},
        follow=True,
    )
    assert "{nama_pimpinan} yang tidak dikenal" in response.text
    assert not LetterBatch.objects.exists()


@pytest.mark.django_db
def test_pages_need_the_capability() -> None:
    from lindung.testing import persona_user

    client = client_for(persona_user("bpjs"))
    assert client.get(reverse("letters:list")).status_code == 403
    assert client.get(reverse("letters:register")).status_code == 403


@pytest.mark.django_db
def test_letter_cites_the_figures_of_the_compliance_finding(admin_provinsi) -> None:
    from django.utils import timezone

    from lindung.compliance.models import CompanyStatus

    company = Company.objects.create(
        name="PT Bukti Nyata", kabkota_id="64.72", npwp="0123", employees_reported=120
    )
    evidence = {
        "npp": ["NPP0001"],
        "pekerja_dilaporkan": 120,
        "pekerja_terdaftar": 45,
        "upah_terdaftar": 2_900_000,
        "upah_minimum": {
            "jenis": "UMK",
            "tahun": 2026,
            "wilayah": "Kota Samarinda",
            "besaran": 3_983_882,
        },
        "program_terdaftar": ["JKK", "JKM"],
        "program_wajib": ["JKK", "JKM", "JHT", "JP"],
    }
    CompanyStatus.objects.create(
        company=company, status="pds_tenaga_kerja", evidence=evidence, computed_at=timezone.now()
    )
    (data,) = sources.letter_data([company])
    assert (data.npp, data.pekerja_terdaftar, data.upah_rata_rata) == ("NPP0001", 45, 2_900_000)
    assert data.umk == 3_983_882 and data.program_belum == ("JHT", "JP")
    batch = services.generate_batch([data], LetterKind.TEGURAN_1, admin_provinsi, workers=1)
    text = text_of(Path(batch.pdf_file.path).read_bytes())
    assert "Rp 3.983.882" in text and "Rp 2.900.000" in text
