"""The refresh as a background task, queued after each matching run and worker import."""

from __future__ import annotations

import logging

from django_tasks import task

from lindung.reporting.summary import refresh_summaries, take_snapshot

log = logging.getLogger(__name__)


@task()
def refresh_dashboard() -> None:
    """Rebuild the summary tables, then record this month's snapshot from them."""
    result = refresh_summaries()
    take_snapshot()
    log.info(
        "dashboard summary v%s: %s workers in %.1f s",
        result.version,
        result.workers,
        result.seconds,
    )
