"""Letters as HTTP downloads, for the pages and the REST API alike.

The register as a user may read it, files served only from inside the media directory, and an
audit entry for every letter downloaded: written once here so a page and an API token can never
see or hand out different letters.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, Http404

from lindung.accounts.access import region_code
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.letters import services
from lindung.letters.models import OutgoingLetter


def letters_for(user: Any) -> QuerySet[OutgoingLetter]:
    """The register as ``user`` may read it: a kab/kota operator, letters to their companies."""
    letters = OutgoingLetter.objects.select_related("company", "batch")
    code = region_code(user)
    return letters if code is None else letters.filter(company__kabkota_id=code)


def media_file(path: Path, name: str) -> FileResponse:
    """A stored file as an attachment; 404 unless it is a file inside ``MEDIA_ROOT``.

    Paths come from database rows; resolving them first means a damaged or crafted row
    (``../../etc/passwd``, a symlink) can never serve anything outside the media directory.
    """
    media = Path(settings.MEDIA_ROOT).resolve()
    full = path.resolve()
    if media not in full.parents or not full.is_file():
        raise Http404
    return FileResponse(full.open("rb"), as_attachment=True, filename=name)


def letter_pdf(letter: OutgoingLetter, **detail: Any) -> FileResponse:
    """One registered letter as a PDF attachment, recorded as an export with ``detail``.

    Rendered now from the register's snapshot; an older letter without one is its stored file.
    """
    name = letter.number.replace("/", "-") + ".pdf"
    body = services.letter_pdf(letter)
    if body is not None:
        response = FileResponse(
            io.BytesIO(body), as_attachment=True, filename=name, content_type="application/pdf"
        )
    elif letter.pdf_path:
        response = media_file(Path(settings.MEDIA_ROOT) / letter.pdf_path, name)
    else:
        raise Http404
    record(AuditEntry.Action.EXPORT, letter, detail={"format": "pdf", **detail})
    return response
