"""The batch generator (and the optional ZIP) in the background worker (``lindung worker``)."""

from __future__ import annotations

import logging

from django_tasks import task

from lindung.audit.services import acting_as
from lindung.letters import services
from lindung.letters.data import PlaceholderError
from lindung.letters.models import LetterBatch, LetterTemplate

log = logging.getLogger(__name__)


def run_batch(batch: LetterBatch) -> LetterBatch:
    items = services.data_from_json(batch.request)
    try:
        with acting_as(batch.created_by):
            return services.generate_batch(items, batch.kind, batch.created_by, batch=batch)
    except (PlaceholderError, LetterTemplate.DoesNotExist) as exc:
        services.fail(batch, str(exc))
    except Exception:
        log.exception("letter batch %s failed", batch.pk)
        services.fail(batch, "Pembuatan surat gagal karena kesalahan sistem.")
    batch.refresh_from_db()
    return batch


@task()
def process_batch(batch_id: int) -> None:
    run_batch(LetterBatch.objects.select_related("created_by").get(pk=batch_id))


def enqueue(batch: LetterBatch) -> None:
    process_batch.enqueue(batch.pk)


@task()
def build_zip(batch_id: int) -> None:
    """The ZIP of single-letter PDFs of a finished batch (asked for separately; slower)."""
    services.build_zip(LetterBatch.objects.get(pk=batch_id))


def enqueue_zip(batch: LetterBatch) -> None:
    build_zip.enqueue(batch.pk)
