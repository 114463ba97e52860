"""Letter endpoints of the REST API (read-only): the register of outgoing letters and each PDF.

A kab/kota operator sees the letters to companies of their kab/kota, as on the register page.
A letter's PDF is rendered from the register's snapshot, exactly as it was printed.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from lindung.accounts.access import Capability, region_code, require
from lindung.api.fields import RowId
from lindung.api.pagination import keyset_page
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.letters import services
from lindung.letters.models import LetterKind, OutgoingLetter

router = Router(tags=["letters"])


class LetterOut(Schema):
    id: int
    number: str = Field(description="Nomor surat.")
    date: dt.date
    kind: LetterKind
    kind_label: str
    company_id: int | None
    addressee: str
    subject: str
    batch_id: int | None
    page_count: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_kind_label(obj: OutgoingLetter) -> str:
        return str(obj.get_kind_display())


class LetterPageOut(Schema):
    items: list[LetterOut]
    next_after: int | None


class LetterQuery(Schema):
    kind: LetterKind | None = None
    company: RowId | None = Field(None, description="Hanya surat untuk perusahaan ini.")
    after: RowId | None = None


def _letters(request: HttpRequest) -> QuerySet[OutgoingLetter]:
    """The register as the user may read it (an operator: letters to their kab/kota)."""
    require(request.user, Capability.VIEW_COMPLIANCE)
    letters = OutgoingLetter.objects.all()
    code = region_code(request.user)
    return letters if code is None else letters.filter(company__kabkota_id=code)


@router.get(
    "/", response=LetterPageOut, summary="Buku agenda surat keluar (keyset, 50 per halaman)"
)
def list_letters(request: HttpRequest, params: Query[LetterQuery]) -> dict[str, Any]:
    letters = _letters(request)
    if params.kind:
        letters = letters.filter(kind=params.kind)
    if params.company is not None:
        letters = letters.filter(company_id=params.company)
    return keyset_page(letters, params.after)


@router.get("/{letter_id}", response=LetterOut, summary="Satu surat keluar")
def get_letter(request: HttpRequest, letter_id: RowId) -> OutgoingLetter:
    return get_object_or_404(_letters(request), pk=letter_id)


@router.get(
    "/{letter_id}/pdf",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "Surat sebagai PDF.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    summary="Unduh PDF satu surat (dicatat di log audit)",
)
def letter_pdf(request: HttpRequest, letter_id: RowId) -> FileResponse:
    letter = get_object_or_404(_letters(request).select_related("batch"), pk=letter_id)
    name = letter.number.replace("/", "-") + ".pdf"
    body = services.letter_pdf(letter)
    if body is None:
        body = _stored_pdf(letter)
    record(AuditEntry.Action.EXPORT, letter, detail={"via": "api", "format": "pdf"})
    return FileResponse(
        io.BytesIO(body), as_attachment=True, filename=name, content_type="application/pdf"
    )


def _stored_pdf(letter: OutgoingLetter) -> bytes:
    """An older letter's stored file, only from inside the media directory."""
    media = Path(settings.MEDIA_ROOT).resolve()
    path = (media / letter.pdf_path).resolve() if letter.pdf_path else None
    if path is None or media not in path.parents or not path.is_file():
        raise Http404
    return path.read_bytes()
