"""Queue a dashboard refresh when the numbers behind it change in bulk.

A finished matching run rewrites every worker's coverage; a committed worker import adds and
changes workers. Both are followed by :func:`lindung.reporting.jobs.refresh_dashboard`, queued
once the change is committed. Single review decisions and beneficiary selection do not queue a
refresh: coverage figures pick them up at the next refresh (``lindung refresh-dashboard``), and
programme figures are read live.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save


def _queue_refresh() -> None:
    from lindung.reporting.jobs import refresh_dashboard

    transaction.on_commit(refresh_dashboard.enqueue)


def _after_match_run(sender: Any, instance: Any, **kwargs: Any) -> None:
    from lindung.matching.models import RunStatus

    if instance.status == RunStatus.DONE:
        _queue_refresh()


def _after_import(sender: Any, instance: Any, **kwargs: Any) -> None:
    from lindung.imports.models import ImportKind, JobStatus

    if instance.status == JobStatus.DONE and instance.kind == ImportKind.WORKERS:
        _queue_refresh()


def connect() -> None:
    from lindung.imports.models import ImportJob
    from lindung.matching.models import MatchRun

    post_save.connect(_after_match_run, sender=MatchRun, dispatch_uid="reporting-match-run")
    post_save.connect(_after_import, sender=ImportJob, dispatch_uid="reporting-import")
