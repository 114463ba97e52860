"""Which import jobs a user sees and how one is stored: the pages and the API agree."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from lindung.imports import services
from lindung.imports.models import ImportJob, ImportKind, JobStatus
from lindung.testing import api_client_headers, client_for

pytestmark = pytest.mark.django_db


def _job(user, kind: ImportKind) -> ImportJob:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("data.csv", b"NIK\n")
    return services.create_job(user, {"kind": kind, "file": upload, "source": "uji"})


def test_create_job_stores_the_upload_in_the_users_region(op_samarinda):
    job = _job(op_samarinda, ImportKind.WORKERS)
    assert (job.kabkota_id, job.created_by) == ("64.72", op_samarinda)
    assert job.status == JobStatus.UPLOADED
    assert (job.original_name, job.size_bytes, job.source) == ("data.csv", 4, "uji")


def test_a_job_of_a_kind_the_user_may_not_import_does_not_exist_for_them(
    client, admin_provinsi, petugas_bpjs
):
    workers = _job(admin_provinsi, ImportKind.WORKERS)
    participants = _job(petugas_bpjs, ImportKind.PARTICIPANTS)
    assert list(services.jobs_for(petugas_bpjs)) == [participants]
    assert set(services.jobs_for(admin_provinsi)) == {workers, participants}
    with pytest.raises(Http404):
        services.job_for(petugas_bpjs, workers.pk)
    page = client_for(petugas_bpjs).get(reverse("imports:list"))
    assert list(page.context["jobs"]) == [participants]
    api = client.get("/api/v1/imports/", **api_client_headers(petugas_bpjs))
    assert [item["id"] for item in api.json()["items"]] == [participants.pk]


def test_an_operator_sees_only_jobs_of_their_kab_kota(op_samarinda, op_balikpapan):
    own = _job(op_samarinda, ImportKind.WORKERS)
    _job(op_balikpapan, ImportKind.WORKERS)
    assert list(services.jobs_for(op_samarinda)) == [own]


def test_a_role_that_may_import_nothing_is_refused(pimpinan):
    with pytest.raises(PermissionDenied):
        services.jobs_for(pimpinan)
    assert client_for(pimpinan).get(reverse("imports:list")).status_code == 403
