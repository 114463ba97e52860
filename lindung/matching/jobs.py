"""Matching runs in the background worker, with progress the browser can poll.

The overview page only creates a queued :class:`MatchRun` and enqueues :func:`process_run`; the
worker process (``lindung worker``) runs :func:`lindung.matching.services.run_matching` and
writes progress into the run's row.
"""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from lindung.audit.services import acting_as
from lindung.matching import services
from lindung.matching.models import MatchRun, RunStatus

log = logging.getLogger(__name__)


def progress_writer(run: MatchRun) -> services.Progress:
    def progress(percent: int, stage: str) -> None:
        MatchRun.objects.filter(pk=run.pk).update(progress=percent, stage=stage[:100])

    return progress


def active_run() -> MatchRun | None:
    return MatchRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).first()


def enqueue(user: Any, *, kabkota: str | None = None) -> MatchRun:
    """Queue a run, unless one is already queued or running (then that one is returned)."""
    running = active_run()
    if running is not None:
        return running
    run = MatchRun.objects.create(
        created_by=user, kabkota_id=kabkota, stage="Menunggu giliran", status=RunStatus.QUEUED
    )
    process_run.enqueue(run.pk)
    return run


@task()
def process_run(run_id: int) -> None:
    run = MatchRun.objects.select_related("created_by").get(pk=run_id)
    with acting_as(run.created_by, label=None if run.created_by else "pencocokan"):
        try:
            services.run_matching(progress_writer(run), run=run)
        except Exception:  # recorded on the run by run_matching
            log.warning("matching run %s failed", run_id)
