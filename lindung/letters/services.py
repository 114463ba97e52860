"""Letters for many companies at once: check, number, render, register, audit.

``generate_batch`` is what the background task and the benchmark call. The template's
placeholders are checked before anything is numbered or written, so a wrong template never
costs letter numbers. The batch makes one print-ready PDF; each register row keeps the exact
data the letter was printed from (LetterData, template version, layout input) and its pages in
that PDF, so :func:`letter_pdf` renders a single letter on demand and :func:`build_zip` makes
the optional ZIP of single-letter PDFs later.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lindung.audit.models import AuditEntry
from lindung.audit.services import acting_as, record
from lindung.compliance.cases_service import record_letters_sent
from lindung.letters import numbering, production
from lindung.letters.data import LetterData, PlaceholderError
from lindung.letters.models import (
    BatchStatus,
    LetterBatch,
    Letterhead,
    LetterKind,
    LetterTemplate,
    OutgoingLetter,
)
from lindung.letters.rendering import Kop, Wording, letter_json, render_letter

log = logging.getLogger(__name__)

__all__ = ["LetterData", "PlaceholderError", "check_template", "generate_batch", "render_letter"]


def check_template(template: LetterTemplate) -> None:
    """Raise :class:`PlaceholderError` (Indonesian message) for unknown placeholders."""
    Wording.from_model(template).check()


def today() -> dt.date:
    return timezone.localdate()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60] or "surat"


def _data_json(item: LetterData) -> dict[str, Any]:
    row = dataclasses.asdict(item)
    for key, value in row.items():
        if isinstance(value, dt.date):
            row[key] = value.isoformat()
        elif isinstance(value, tuple):
            row[key] = list(value)
    return row


def data_to_json(items: Sequence[LetterData]) -> list[dict[str, Any]]:
    """LetterData as JSON for the batch row (the task runs in another process)."""
    return [_data_json(item) for item in items]


def kop_to_json(kop: Kop) -> dict[str, str]:
    return {k: str(v) for k, v in dataclasses.asdict(kop).items()}


def kop_from_json(row: dict[str, Any]) -> Kop:
    if not row:
        return Kop.from_model(Letterhead.current())
    return Kop(**{**row, "logo": Path(row["logo"])})


def data_from_json(rows: Sequence[dict[str, Any]]) -> list[LetterData]:
    dates = {f.name for f in dataclasses.fields(LetterData) if "date" in str(f.type)}
    items = []
    for row in rows:
        kw = dict(row)
        for key in dates:
            if kw.get(key):
                kw[key] = dt.date.fromisoformat(kw[key])
        kw["program_belum"] = tuple(kw.get("program_belum") or ())
        items.append(LetterData(**kw))
    return items


def create_batch(companies_data: Sequence[LetterData], kind: str, user: Any) -> LetterBatch:
    """A queued batch, after the template has been checked (raises PlaceholderError)."""
    template = LetterTemplate.current(kind)
    check_template(template)
    return LetterBatch.objects.create(
        kind=kind,
        template=template,
        created_by=user if getattr(user, "pk", None) else None,
        request=data_to_json(companies_data),
        counts={"requested": len(companies_data)},
    )


def generate_batch(
    companies_data: Sequence[LetterData],
    kind: str,
    user: Any,
    *,
    batch: LetterBatch | None = None,
    tanggal: dt.date | None = None,
    workers: int | None = None,
) -> LetterBatch:
    """Make, number and register one letter per company; returns the finished batch.

    Raises :class:`PlaceholderError` before any number is taken if the template is wrong.
    """
    kind = LetterKind(kind)
    template = LetterTemplate.current(kind)
    wording = Wording.from_model(template)
    wording.check()
    if batch is None:
        batch = LetterBatch.objects.create(
            kind=kind,
            template=template,
            created_by=user if getattr(user, "pk", None) else None,
            counts={"requested": len(companies_data)},
        )
    tanggal = tanggal or today()
    head = Letterhead.current()
    kop = Kop.from_model(head)
    total = len(companies_data)
    LetterBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, progress=1, template=template
    )
    numbers = numbering.reserve(template.sequence_id, total, tanggal.year)
    letters = [
        letter_json(item, wording, nomor=nomor, tanggal=tanggal, kota=kop.kota)
        for item, nomor in zip(companies_data, numbers, strict=True)
    ]
    folder = Path(settings.MEDIA_ROOT) / "letters" / "batches" / str(batch.pk)

    def progress(done: int) -> None:
        LetterBatch.objects.filter(pk=batch.pk).update(progress=max(1, done * 90 // total))

    produced = production.produce(
        kop,
        letters,
        folder,
        title=f"{template.subject} ({total} surat)",
        stem=f"surat-{kind}-{batch.pk}",
        progress=progress,
        workers=workers,
    )
    media = Path(settings.MEDIA_ROOT)
    with acting_as(user) if getattr(user, "pk", None) else nullcontext(), transaction.atomic():
        registered = OutgoingLetter.objects.bulk_create(
            [
                OutgoingLetter(
                    number=nomor,
                    date=tanggal,
                    kind=kind,
                    company_id=item.company_id,
                    addressee=(letter["tujuan"][0] if letter["tujuan"] else "")[:250],
                    subject=letter["perihal"][:250],
                    batch=batch,
                    created_by=batch.created_by,
                    template=template,
                    template_version=template.version,
                    data=_data_json(item),
                    content=letter,
                    page_first=first,
                    page_count=count,
                )
                for item, nomor, letter, (first, count) in zip(
                    companies_data, numbers, letters, produced.page_ranges, strict=True
                )
            ],
            batch_size=1000,
        )
        # Case tracking (compliance): open or advance the companies' cases to this stage.
        record_letters_sent(registered)
        batch.status = BatchStatus.DONE
        batch.progress = 100
        batch.counts = {"requested": total, "letters": total, "pages": produced.pages}
        batch.letterhead = kop_to_json(kop)
        batch.pdf_file.name = str(produced.pdf_path.relative_to(media))
        batch.finished_at = timezone.now()
        batch.message = (
            f"{total} surat, nomor {numbers[0]} s.d. {numbers[-1]}." if numbers else "0 surat."
        )
        batch.save()
        record(
            AuditEntry.Action.CREATE,
            batch,
            detail={
                "letters": total,
                "kind": kind.value,
                "template": f"{template.name} v{template.version}",
                "first_number": numbers[0] if numbers else "",
                "last_number": numbers[-1] if numbers else "",
            },
        )
    return batch


def fail(batch: LetterBatch, message: str) -> None:
    LetterBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.FAILED, message=message, finished_at=timezone.now(), progress=100
    )


def letter_title(letter: OutgoingLetter) -> str:
    company = (letter.data or {}).get("nama_perusahaan") or letter.addressee
    return f"{letter.subject} — {company}"


def letter_pdf(letter: OutgoingLetter) -> bytes | None:
    """One registered letter as its own PDF, rendered now from its snapshot (≈ 10–20 ms).

    The same layout input as its pages in the batch PDF, under the letterhead the batch was
    printed with. ``None`` for a row without a snapshot (older letters keep ``pdf_path``).
    """
    if not letter.content:
        return None
    kop = kop_from_json(letter.batch.letterhead if letter.batch else {})
    return production.single(kop, letter.content, letter_title(letter))


def letter_file_name(letter: OutgoingLetter, position: int | None = None) -> str:
    company = (letter.data or {}).get("nama_perusahaan") or letter.addressee
    prefix = f"{position:05d}-" if position is not None else ""
    return f"{prefix}{_slug(company)}.pdf"


def build_zip(batch: LetterBatch) -> Path:
    """The optional ZIP of a finished batch: one PDF per letter, rendered from the snapshots.

    Slower than the batch itself (one compile per letter), so it is made only when asked for.
    """
    media = Path(settings.MEDIA_ROOT)
    kop = kop_from_json(batch.letterhead)
    rows = batch.letters.order_by("id").only("number", "addressee", "subject", "data", "content")
    path = media / "letters" / "batches" / str(batch.pk) / f"surat-{batch.kind}-{batch.pk}.zip"
    production.write_zip(
        kop,
        (
            (letter_file_name(x, i + 1), x.content, letter_title(x))
            for i, x in enumerate(rows.iterator(chunk_size=500))
            if x.content
        ),
        path,
    )
    LetterBatch.objects.filter(pk=batch.pk).update(zip_file=str(path.relative_to(media)))
    batch.zip_file.name = str(path.relative_to(media))
    return path
