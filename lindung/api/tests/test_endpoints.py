"""Imports, programmes, companies and letters through the API: contents, scope and masking."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from lindung.audit.models import AuditEntry
from lindung.imports.models import ImportJob, JobStatus

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return sorted(item["id"] for item in response.json()["items"])


# --- imports -------------------------------------------------------------------------------------


def test_import_jobs_are_scoped_and_by_kind(client, world, headers):
    smd, bpp, part = world.job_samarinda, world.job_balikpapan, world.job_participants
    assert _ids(client.get("/api/v1/imports/", **headers["op.samarinda"])) == [smd.pk]
    assert _ids(client.get("/api/v1/imports/", **headers["bpjs"])) == [part.pk]
    assert _ids(client.get("/api/v1/imports/", **headers["admin"])) == sorted(
        [smd.pk, bpp.pk, part.pk]
    )
    assert client.get(f"/api/v1/imports/{bpp.pk}", **headers["op.samarinda"]).status_code == 404
    assert client.get("/api/v1/imports/", **headers["pimpinan"]).status_code == 403


def test_import_job_detail_has_progress_and_counts(client, world, headers):
    body = client.get(f"/api/v1/imports/{world.job_samarinda.pk}", **headers["op.samarinda"]).json()
    assert body["status"] == "divalidasi"
    assert body["counts"]["rejected"] == 2
    assert body["progress"] == 0 and body["has_report"] is False
    assert body["created_by"] == "op.samarinda"


def test_import_list_pages_with_a_cursor(client, world, headers, admin_provinsi):
    for n in range(55):
        ImportJob.objects.create(kind="workers", file=f"imports/{n}.csv", original_name=f"{n}.csv")
    first = client.get("/api/v1/imports/", **headers["admin"]).json()
    assert len(first["items"]) == 50
    rest = client.get(f"/api/v1/imports/?after={first['next_after']}", **headers["admin"]).json()
    assert len(rest["items"]) == 55 + 3 - 50 and rest["next_after"] is None
    seen = {i["id"] for i in first["items"]} | {i["id"] for i in rest["items"]}
    assert len(seen) == 58


WORKERS_CSV = (
    "nik,nama,tanggal_lahir,jenis_kelamin,kode_desa,pekerjaan\n"
    "6472015708850001,Siti Aminah,17-08-1985,P,64.72.01.1001,nelayan\n"
)


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
def test_upload_validates_then_commit_stores(client, headers, op_samarinda):
    upload = SimpleUploadedFile("usulan.csv", WORKERS_CSV.encode(), content_type="text/csv")
    response = client.post(
        "/api/v1/imports/",
        {"kind": "workers", "proposer": "64.72", "file": upload},
        **headers["op.samarinda"],
    )
    assert response.status_code == 201, response.content
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.kabkota_id == "64.72" and job.created_by == op_samarinda
    assert job.status == JobStatus.VALIDATED, job.messages
    assert response.json()["status"] == "divalidasi"
    committed = client.post(f"/api/v1/imports/{job.pk}/commit", **headers["op.samarinda"])
    assert committed.status_code == 202
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.counts["created"] == 1
    again = client.post(f"/api/v1/imports/{job.pk}/commit", **headers["op.samarinda"])
    assert again.status_code == 409


def test_upload_errors_name_the_field(client, headers):
    upload = SimpleUploadedFile("usulan.csv", WORKERS_CSV.encode(), content_type="text/csv")
    response = client.post(
        "/api/v1/imports/", {"kind": "participants", "file": upload}, **headers["op.samarinda"]
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["form", "kind"]
    assert ImportJob.objects.count() == 0


# --- programmes ----------------------------------------------------------------------------------


def test_programmes_for_an_operator_are_those_of_their_region(client, world, headers):
    assert _ids_plain(client.get("/api/v1/programmes/", **headers["op.samarinda"])) == [
        world.programme.pk
    ]
    both = client.get("/api/v1/programmes/", **headers["pimpinan"]).json()
    assert {p["id"]: p["beneficiaries"] for p in both} == {
        world.programme.pk: 2,
        world.programme_balikpapan.pk: 1,
    }
    own = client.get(f"/api/v1/programmes/{world.programme.pk}", **headers["op.samarinda"])
    assert own.json()["beneficiaries"] == 1
    other = f"/api/v1/programmes/{world.programme_balikpapan.pk}"
    assert client.get(other, **headers["op.samarinda"]).status_code == 404


def _ids_plain(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return sorted(item["id"] for item in response.json())


def test_beneficiaries_are_scoped_and_masked(client, world, headers):
    url = f"/api/v1/programmes/{world.programme.pk}/beneficiaries"
    smd = client.get(url, **headers["op.samarinda"])
    assert [b["worker_id"] for b in smd.json()["items"]] == [world.covered.pk]
    everyone = client.get(url, **headers["pimpinan"])
    assert sorted(b["worker_id"] for b in everyone.json()["items"]) == sorted(
        [world.covered.pk, world.balikpapan.pk]
    )
    for response in (smd, everyone):
        for worker in (world.covered, world.balikpapan):
            assert worker.nik.encode() not in response.content
    assert world.covered.masked_nik in smd.content.decode()


# --- companies and letters -----------------------------------------------------------------------


def test_companies_are_scoped_with_evidence(client, world, headers):
    smd, bpp = world.company_samarinda, world.company_balikpapan
    assert _ids(client.get("/api/v1/companies/", **headers["op.samarinda"])) == [smd.pk]
    assert _ids(client.get("/api/v1/companies/?status=tidak_patuh", **headers["admin"])) == sorted(
        [smd.pk, bpp.pk]
    )
    body = client.get(f"/api/v1/companies/{smd.pk}", **headers["pimpinan"]).json()
    assert body["compliance"]["status"] == "pds_tenaga_kerja"
    assert body["compliance"]["evidence"]["pekerja_terdaftar"] == 12
    assert client.get(f"/api/v1/companies/{bpp.pk}", **headers["op.samarinda"]).status_code == 404
    summary = client.get("/api/v1/companies/summary", **headers["op.samarinda"]).json()
    assert [r["kabkota"] for r in summary["rows"]] == ["64.72"]
    assert summary["total"]["counts"]["pds_tenaga_kerja"] == 1
    assert summary["total"]["not_compliant"] == 1


def test_letters_are_scoped_and_pdf_download_is_audited(client, world, headers, op_samarinda):
    smd, bpp = world.letter_samarinda, world.letter_balikpapan
    assert _ids(client.get("/api/v1/letters/", **headers["op.samarinda"])) == [smd.pk]
    assert _ids(client.get("/api/v1/letters/", **headers["pimpinan"])) == sorted([smd.pk, bpp.pk])
    pdf = client.get(f"/api/v1/letters/{smd.pk}/pdf", **headers["op.samarinda"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(
        actor=op_samarinda, action=AuditEntry.Action.EXPORT, object_id=str(smd.pk)
    ).exists()
    assert client.get(f"/api/v1/letters/{bpp.pk}/pdf", **headers["op.samarinda"]).status_code == 404
    assert client.get("/api/v1/letters/", **headers["bpjs"]).status_code == 403
