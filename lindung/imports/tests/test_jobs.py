"""An import as a person does it: in the browser (upload → mapping → report → commit), on the
command line, and when the worker dies half-way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from lindung import nik as nik_module
from lindung.audit.models import AuditEntry
from lindung.imports.models import ImportJob, JobStatus
from lindung.registry.models import Worker
from lindung.testing import client_for

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def workers_csv(rows: int = 3, *, kabkota: str = "647201", bad_last: bool = True) -> bytes:
    """A semicolon CSV as Indonesian Excel writes it, Samarinda desa, the last NIK Excel-damaged."""
    lines = ["NIK;Nama Lengkap;Tgl Lahir;JK;Kode Desa;Pekerjaan;Penghasilan;Desil"]
    for i in range(rows):
        nik = nik_module.make_nik(kabkota, dt.date(1980, 1, 1 + i), "L", 1 + i)
        if bad_last and i == rows - 1:
            nik = "6.47201E+15"
        lines.append(
            f"{nik};Pekerja Nomor {i};0{1 + i}-01-1980;L;64.72.01.1001;nelayan;Rp 1.500.000;2"
        )
    return ("\n".join(lines) + "\n").encode()


def _upload(client, content: bytes, proposer: str = "64.72", kind: str = "workers") -> ImportJob:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("imports:list"),
        {
            "kind": kind,
            "file": SimpleUploadedFile("usulan.csv", content),
            "proposer": proposer,
            "source": "DTKS 2025",
        },
    )
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    return ImportJob.objects.latest("id")


@override_settings(TASKS=IMMEDIATE)
def test_browser_flow_preview_validate_commit(op_samarinda):
    client = client_for(op_samarinda)
    job = _upload(client, workers_csv())
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert page.context["preview"]["mapping"].columns["Tgl Lahir"] == "tanggal_lahir"
    assert "Pekerja Nomor 0" in page.text

    headers = page.context["preview"]["headers"]
    fields = [page.context["preview"]["mapping"].columns.get(h, "") for h in headers]
    client.post(reverse("imports:validate", args=[job.pk]), {"header": headers, "field": fields})
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED
    assert job.counts["created"] == 3 and job.counts["flagged"] == 1
    assert Worker.objects.count() == 0  # validation stores nothing
    assert any("Excel" in str(row[3]) for row in job.issue_sample)

    client.post(reverse("imports:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Worker.objects.filter(kabkota_id="64.72", proposer_id="64.72").count() == 3
    assert Worker.objects.filter(nik_status="rusak").count() == 1
    report = client.get(reverse("imports:report", args=[job.pk]))
    assert report.status_code == 200 and report["Content-Type"].startswith("application/")
    assert AuditEntry.objects.filter(action="export", object_id=str(job.pk)).exists()


@override_settings(TASKS=IMMEDIATE)
def test_refused_file_shows_the_reason_and_stores_nothing(op_samarinda):
    client = client_for(op_samarinda)
    job = _upload(client, b"Nama;Alamat\nBudi;Jl. Mawar\n")
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert any("NIK" in p for p in page.context["preview"]["problems"])
    client.post(
        reverse("imports:validate", args=[job.pk]),
        {"header": ["Nama", "Alamat"], "field": ["nama", ""]},
    )
    job.refresh_from_db()
    assert job.status == JobStatus.REFUSED
    assert any("NIK" in m for m in job.messages)
    assert Worker.objects.count() == 0


def test_operator_cannot_open_another_regions_import(op_samarinda, op_balikpapan):
    job = _upload(client_for(op_balikpapan), workers_csv(kabkota="647101"), proposer="64.71")
    assert client_for(op_samarinda).get(reverse("imports:job", args=[job.pk])).status_code == 404


def test_operator_cannot_propose_for_another_office(op_samarinda):
    response = client_for(op_samarinda).post(
        reverse("imports:list"),
        {
            "kind": "workers",
            "file": SimpleUploadedFile("u.csv", workers_csv()),
            "proposer": "64.71",
        },
    )
    assert response.status_code == 200 and "proposer" in response.context["form"].errors


def test_leader_cannot_import(pimpinan):
    assert client_for(pimpinan).get(reverse("imports:list")).status_code == 403


def test_oversized_upload_is_refused_with_its_size(op_samarinda, settings):
    settings.LINDUNG_MAX_UPLOAD_BYTES = 100
    response = client_for(op_samarinda).post(
        reverse("imports:list"),
        {
            "kind": "workers",
            "file": SimpleUploadedFile("besar.csv", workers_csv(10)),
            "proposer": "64.72",
        },
    )
    assert response.status_code == 200
    assert "melebihi batas" in str(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()


def test_cli_import_is_idempotent_and_dry_run_stores_nothing(tmp_path, capsys):
    path = tmp_path / "usulan.csv"
    path.write_bytes(workers_csv())
    call_command("import", "workers", str(path), "--proposer", "64.72", "--dry-run")
    assert Worker.objects.count() == 0
    call_command("import", "workers", str(path), "--proposer", "64.72")
    assert Worker.objects.count() == 3
    call_command("import", "workers", str(path), "--proposer", "64.72")
    out = capsys.readouterr().out
    assert Worker.objects.count() == 3
    assert "Tidak berubah" in out and (tmp_path / "usulan-laporan.xlsx").exists()


def test_cli_refuses_a_file_without_required_columns(tmp_path):
    path = tmp_path / "salah.csv"
    path.write_text("nama;alamat\nBudi;Jl. Mawar\n")
    with pytest.raises(CommandError, match="NIK"):
        call_command("import", "workers", str(path))


def test_report_neutralises_formulas_from_the_file(tmp_path):
    from python_calamine import CalamineWorkbook

    path = tmp_path / "jahat.csv"
    path.write_text(
        "nik;nama;kode_wilayah\n"
        '=HYPERLINK("http://evil.example","klik");+cmd|calc;64.72.01.1001\n'
        "@SUM(1+1);-2+3;64.72.01.1001\n"
    )
    report = tmp_path / "laporan.xlsx"
    call_command("import", "workers", str(path), "--proposer", "64.72", "--report", str(report))
    rows = CalamineWorkbook.from_path(str(report)).get_sheet_by_name("Masalah").to_python()
    values = [str(cell) for row in rows[1:] for cell in row if isinstance(cell, str)]
    risky = [v for v in values if v and v[0] in "=+-@"]
    assert not risky, risky
    assert any(v.startswith("'=HYPERLINK") for v in values)
    stored = Worker.objects.values_list("name", flat=True)
    assert set(stored) == {"+cmd|calc", "-2+3"}  # kept as text; exports neutralise them


def test_progress_fragment_polls_while_running_and_refreshes_when_done(op_samarinda):
    client = client_for(op_samarinda)
    job = _upload(client, workers_csv())
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, progress=55, stage="Menyimpan"
    )
    running = client.get(reverse("imports:progress", args=[job.pk]))
    assert 'hx-trigger="every 1s"' in running.text and 'value="55"' in running.text
    assert "HX-Refresh" not in running
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, progress=100)
    done = client.get(reverse("imports:progress", args=[job.pk]))
    assert done["HX-Refresh"] == "true" and "every 1s" not in done.text
