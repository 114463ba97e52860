"""The import pages as the UX review found them: what a person reads and may do at each step."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from lindung import nik as nik_module
from lindung.audit.models import AuditEntry
from lindung.imports import pipeline, services
from lindung.imports.loaders import LoadContext
from lindung.imports.models import ImportJob, JobStatus
from lindung.imports.reading import ROW, read_table
from lindung.imports.schemas import SCHEMAS
from lindung.imports.tests.test_jobs import IMMEDIATE, _upload, workers_csv
from lindung.testing import client_for

pytestmark = pytest.mark.django_db


def _validate_as_detected(client, job):  # type: ignore[no-untyped-def]
    """Post the mapping the page proposes, as a user who accepts it does."""
    preview = client.get(reverse("imports:job", args=[job.pk])).context["preview"]
    fields = [preview["mapping"].columns.get(h, "") for h in preview["headers"]]
    client.post(
        reverse("imports:validate", args=[job.pk]), {"header": preview["headers"], "field": fields}
    )
    job.refresh_from_db()
    return job


def _issue_rows(html: str) -> list[str]:
    """The issue table's rows as plain text, cells separated by " | "."""
    table = html.rsplit("<table", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]
    return [" | ".join(re.sub(r"<[^>]+>", "", c) for c in row) for row in cells if row]


@override_settings(TASKS=IMMEDIATE)
def test_a_whole_row_problem_shows_a_dash_not_none(op_samarinda):
    lines = workers_csv(2, bad_last=False).decode().splitlines()
    content = ("\n".join([*lines, lines[-1]]) + "\n").encode()  # row 4 repeats row 3
    client = client_for(op_samarinda)
    job = _validate_as_detected(client, _upload(client, content))
    assert job.status == JobStatus.VALIDATED
    rows = _issue_rows(client.get(reverse("imports:job", args=[job.pk])).text)
    assert rows == ["4 | — | — | Baris duplikat dari baris 3 | ditolak"]


def _audits(job) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    entries = AuditEntry.objects.filter(object_type="imports.importjob", object_id=str(job.pk))
    return [dict(e) for e in entries.order_by("id").values("action", "actor_label", "changes")]


def test_an_uploaded_job_can_be_cancelled_and_the_cancellation_is_audited(op_samarinda):
    client = client_for(op_samarinda)
    job = _upload(client, workers_csv())
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert reverse("imports:cancel", args=[job.pk]) in page.text

    client.post(reverse("imports:cancel", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert _audits(job) == [
        {
            "action": "update",
            "actor_label": "op.samarinda",
            "changes": {"status": ["diunggah", "dibatalkan"]},
        }
    ]
    again = client.post(reverse("imports:cancel", args=[job.pk]), follow=True)
    assert "tidak dapat dibatalkan" in again.text
    assert len(_audits(job)) == 1


def test_a_refused_job_can_be_cancelled_a_saved_one_cannot(op_samarinda):
    client = client_for(op_samarinda)
    refused, done = _upload(client, workers_csv()), _upload(client, workers_csv())
    ImportJob.objects.filter(pk=refused.pk).update(status=JobStatus.REFUSED)
    ImportJob.objects.filter(pk=done.pk).update(status=JobStatus.DONE)
    assert (
        reverse("imports:cancel", args=[refused.pk])
        in client.get(reverse("imports:job", args=[refused.pk])).text
    )
    assert (
        reverse("imports:cancel", args=[done.pk])
        not in client.get(reverse("imports:job", args=[done.pk])).text
    )

    client.post(reverse("imports:cancel", args=[refused.pk]))
    client.post(reverse("imports:cancel", args=[done.pk]))

    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert (statuses[refused.pk], statuses[done.pk]) == (JobStatus.CANCELLED, JobStatus.DONE)


def test_cancelling_a_running_job_asks_the_worker_to_stop_and_is_audited(op_samarinda):
    client = client_for(op_samarinda)
    job = _upload(client, workers_csv())
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)

    client.post(reverse("imports:cancel", args=[job.pk]))

    assert ImportJob.objects.get(pk=job.pk).cancel_requested
    assert [a["changes"] for a in _audits(job)] == [{"cancel_requested": [False, True]}]


def test_confirming_the_column_mapping_is_audited(op_samarinda):
    client = client_for(op_samarinda)
    job = _upload(client, workers_csv())
    with override_settings(TASKS=IMMEDIATE):
        client.post(
            reverse("imports:validate", args=[job.pk]),
            {"header": ["NIK", "Nama Lengkap", "Tgl Lahir"], "field": ["nik", "nama", ""]},
        )
    first = _audits(job)[0]
    assert first["actor_label"] == "op.samarinda"
    assert first["changes"] == {"mapping": [{}, {"NIK": "nik", "Nama Lengkap": "nama"}]}


UNREADABLE = b"PK\x03\x04 not really a workbook"


def test_an_unreadable_file_is_refused_by_the_upload_and_the_page_only_reads(op_samarinda):
    client = client_for(op_samarinda)
    job = _upload(client, UNREADABLE)
    assert job.status == JobStatus.REFUSED and job.messages
    assert _audits(job)[0]["changes"]["status"] == ["diunggah", "ditolak"]
    audits = AuditEntry.objects.count()

    page = client.get(reverse("imports:job", args=[job.pk]))

    assert job.messages[0] in page.text
    assert AuditEntry.objects.count() == audits


def test_a_get_never_changes_a_job_even_when_its_file_cannot_be_read(op_samarinda):
    """A job stored before uploads were checked: its page shows the reason, nothing is saved."""
    job = services.create_job(
        op_samarinda, {"kind": "workers", "file": SimpleUploadedFile("x.xlsx", UNREADABLE)}
    )
    page = client_for(op_samarinda).get(reverse("imports:job", args=[job.pk]))
    assert page.status_code == 200 and 'role="alert"' in page.text
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.UPLOADED
    assert not _audits(job)


def test_the_bpjs_liaison_sees_only_the_fields_of_participant_data(petugas_bpjs):
    page = client_for(petugas_bpjs).get(reverse("imports:list"))
    assert "Instansi pengusul" not in page.text and "DTKS 2025" not in page.text
    assert "Sumber data" in page.text and "kepesertaan BPJS" in page.text


def test_the_fields_follow_the_kind_chosen_on_the_upload_page(admin_provinsi):
    client = client_for(admin_provinsi)
    workers = client.get(reverse("imports:list"))
    assert "Instansi pengusul" in workers.text and "DTKS 2025" in workers.text
    participants = client.get(reverse("imports:list"), {"kind": "participants"})
    assert "Instansi pengusul" not in participants.text and "DTKS 2025" not in participants.text
    assert 'value="participants" selected' in participants.text
    # what the kind selector asks for when it changes (htmx swaps #kind-fields)
    assert 'hx-target="#kind-fields"' in participants.text


def test_a_participant_upload_has_no_proposer_even_if_one_is_posted(petugas_bpjs):
    job = _upload(client_for(petugas_bpjs), b"NIK;Nama\n", proposer="64.72", kind="participants")
    assert job.kind == "participants" and job.proposer is None


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_the_upload_page_lists_the_columns_and_aliases_of_the_chosen_kind(admin_provinsi, kind):
    page = client_for(admin_provinsi).get(reverse("imports:list"), {"kind": kind}).text
    expected = page.split('id="expected-columns"', 1)[1].split("</details>", 1)[0]
    for f in SCHEMAS[kind].fields:
        assert f"<code>{f.name}</code>" in expected and ", ".join(f.aliases) in expected
    assert reverse("imports:template", args=[kind]) in page


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_each_template_has_the_canonical_headers_and_an_example_that_imports_cleanly(
    admin_provinsi, tmp_path, kind
):
    response = client_for(admin_provinsi).get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="templat-')
    path = tmp_path / "templat.xlsx"
    path.write_bytes(response.content)
    table = read_table(path, max_bytes=10**6)
    headers = [c for c in table.frame.columns if c != ROW]
    assert headers == [f.name for f in SCHEMAS[kind].fields]

    outcome = pipeline.run(path, kind, context=LoadContext(proposer_code="64", source="uji"))

    assert not outcome.refused, outcome.messages
    assert outcome.issues is not None
    assert outcome.issues.is_empty(), outcome.issues.to_dicts()
    assert (outcome.kind, outcome.counts["created"]) == (kind, 1)


def test_a_template_of_a_kind_the_user_may_not_import_does_not_exist(petugas_bpjs):
    client = client_for(petugas_bpjs)
    assert client.get(reverse("imports:template", args=["workers"])).status_code == 404
    assert client.get(reverse("imports:template", args=["participants"])).status_code == 200


BORN = dt.date(1985, 8, 17)
PARTICIPANT_NIK = nik_module.make_nik("647201", BORN, "L", 7)


def participants_csv() -> bytes:
    """Two rows of one participant (same NIK, segment and NPP) with different names."""
    return (
        "NIK;Nama;Tgl Lahir;Segmen;Status;NPP\n"
        f"{PARTICIPANT_NIK};Budi Santoso;17-08-1985;PU;AKTIF;10234567\n"
        f"{PARTICIPANT_NIK};Budi Susanto;17-08-1985;PU;AKTIF;10234567\n"
    ).encode()


@override_settings(TASKS=IMMEDIATE)
def test_the_bpjs_liaison_sees_masked_niks_and_birth_years_in_preview_and_report(petugas_bpjs):
    client = client_for(petugas_bpjs)
    job = _upload(client, participants_csv(), kind="participants")
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert page.context["preview"]["rows"][0][:3] == (
        nik_module.mask(PARTICIPANT_NIK),
        "Budi Santoso",
        "1985",
    )
    assert PARTICIPANT_NIK not in page.text and "17-08-1985" not in page.text

    job = _validate_as_detected(client, job)
    assert any(PARTICIPANT_NIK in str(row[2]) for row in job.issue_sample)  # the report keeps it
    report = client.get(reverse("imports:job", args=[job.pk])).text
    assert PARTICIPANT_NIK not in report and nik_module.mask(PARTICIPANT_NIK) in report


def test_an_operator_may_see_the_full_niks_of_their_own_upload(op_samarinda):
    client = client_for(op_samarinda)
    job = _upload(client, workers_csv(1, bad_last=False))
    rows = client.get(reverse("imports:job", args=[job.pk])).context["preview"]["rows"]
    assert nik_module.check(rows[0][0]).ok and rows[0][2] == "01-01-1980"
