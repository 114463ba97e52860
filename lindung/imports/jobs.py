"""Import jobs in the background worker, with progress the browser can poll.

The web request only stores the file and enqueues :func:`process_import`; the worker process
(``lindung worker``) runs the pipeline and writes progress into the ``ImportJob`` row, so the
user can leave the page and come back.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.core.files import File
from django.utils import timezone
from django_tasks import task

from lindung.audit.services import acting_as
from lindung.imports import pipeline
from lindung.imports.loaders import LoadContext
from lindung.imports.models import ImportJob, JobStatus
from lindung.imports.report import write_report

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The user asked to stop; the loader's transaction rolls back."""


def _progress_writer(job: ImportJob) -> pipeline.Progress:
    def progress(percent: int, stage: str) -> None:
        if ImportJob.objects.filter(pk=job.pk, cancel_requested=True).exists():
            raise Cancelled
        ImportJob.objects.filter(pk=job.pk).update(progress=percent, stage=stage)

    return progress


def enqueue(job: ImportJob, *, commit: bool) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, commit_requested=commit, progress=0, stage="Menunggu giliran"
    )
    process_import.enqueue(job.pk)


def _context(job: ImportJob) -> LoadContext:
    return LoadContext(
        user=job.created_by,
        proposer_code=job.proposer_id,
        source=job.source or job.original_name,
        scope_kabkota=job.kabkota_id,
        dry_run=not job.commit_requested,
    )


def run_job(job: ImportJob) -> ImportJob:
    """Run the pipeline for one job and store its outcome on the job."""
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    try:
        with acting_as(job.created_by):
            outcome = pipeline.run(
                Path(job.file.path),
                job.kind,
                context=_context(job),
                overrides=job.mapping or None,
                progress=_progress_writer(job),
            )
    except Cancelled:
        return _finish(
            job, JobStatus.CANCELLED, ["Impor dibatalkan; tidak ada data yang disimpan."]
        )
    except Exception:
        log.exception("import job %s failed", job.pk)
        return _finish(
            job,
            JobStatus.FAILED,
            ["Impor gagal karena kesalahan sistem; tidak ada data yang disimpan."],
        )
    if outcome.refused:
        return _finish(job, JobStatus.REFUSED, outcome.messages, kind=outcome.kind)
    job.kind = outcome.kind
    if outcome.issues is not None:
        _attach_report(job, outcome)
    status = JobStatus.DONE if job.commit_requested else JobStatus.VALIDATED
    return _finish(job, status, outcome.messages, counts=outcome.counts, kind=outcome.kind)


ISSUE_SAMPLE = 200


def _attach_report(job: ImportJob, outcome: pipeline.Outcome) -> None:
    """The full report as XLSX, and its first lines on the job for the page."""
    assert outcome.issues is not None
    job.issue_sample = [list(row) for row in outcome.issues.head(ISSUE_SAMPLE).rows()]
    path = Path(job.file.path).with_suffix(".laporan.xlsx")
    write_report(path, outcome.issues, outcome.counts, str(job))
    with path.open("rb") as handle:
        job.report.save(f"laporan-impor-{job.pk}.xlsx", File(handle), save=False)
    path.unlink(missing_ok=True)


def _finish(job: ImportJob, status: str, messages: list[str], **fields: object) -> ImportJob:
    job.status = status
    job.messages = messages
    job.progress = 100
    job.stage = ""
    job.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    return job


@task()
def process_import(job_id: int) -> None:
    run_job(ImportJob.objects.select_related("created_by").get(pk=job_id))
