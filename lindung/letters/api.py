"""Letter endpoints of the REST API (read-only): the register of outgoing letters and each PDF.

A kab/kota operator sees the letters to companies of their kab/kota, as on the register page.
A letter's PDF is rendered from the register's snapshot, exactly as it was printed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from lindung.accounts.access import Capability, require
from lindung.api.fields import RowId
from lindung.api.pagination import keyset_page
from lindung.letters import downloads
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
    return downloads.letters_for(request.user)


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
    letter = get_object_or_404(_letters(request), pk=letter_id)
    return downloads.letter_pdf(letter, via="api")
