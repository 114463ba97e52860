"""Letter downloads: the register a user may read, files only from inside media, every PDF
audited — the same for the register page and the API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404
from django.urls import reverse

from lindung.audit.models import AuditEntry
from lindung.compliance.models import Company
from lindung.letters import downloads
from lindung.letters.models import LetterKind, OutgoingLetter
from lindung.testing import api_client_headers, client_for

pytestmark = pytest.mark.django_db


def _stored(number: str, kabkota: str, pdf_path: str) -> OutgoingLetter:
    company = Company.objects.create(name=f"PT {number}", kabkota_id=kabkota)
    return OutgoingLetter.objects.create(
        number=number, date=dt.date(2026, 2, 2), kind=LetterKind.IMBAUAN, company=company,
        addressee="Pimpinan", subject="Imbauan", pdf_path=pdf_path,
    )  # fmt: skip


def _media_pdf(name: str) -> str:
    path = Path(settings.MEDIA_ROOT) / "letters" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return str(path.relative_to(settings.MEDIA_ROOT))


def test_an_operator_reads_only_letters_to_their_kab_kota(op_samarinda, pimpinan):
    smd = _stored("001/SMD", "64.72", _media_pdf("a.pdf"))
    bpp = _stored("002/BPP", "64.71", _media_pdf("b.pdf"))
    assert list(downloads.letters_for(op_samarinda)) == [smd]
    assert set(downloads.letters_for(pimpinan)) == {smd, bpp}


def test_a_stored_path_outside_media_is_never_served(tmp_path, op_samarinda, client):
    secret = tmp_path / "rahasia.pdf"
    secret.write_bytes(b"%PDF-1.4 rahasia")
    letter = _stored("003/SMD", "64.72", "../rahasia.pdf")
    with pytest.raises(Http404):
        downloads.media_file(secret, "x.pdf")
    page = client_for(op_samarinda).get(reverse("letters:letter-pdf", args=[letter.pk]))
    api = client.get(f"/api/v1/letters/{letter.pk}/pdf", **api_client_headers(op_samarinda))
    assert (page.status_code, api.status_code) == (404, 404)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_page_and_api_downloads_are_both_audited(op_samarinda, client):
    letter = _stored("004/SMD", "64.72", _media_pdf("c.pdf"))
    page = client_for(op_samarinda).get(reverse("letters:letter-pdf", args=[letter.pk]))
    api = client.get(f"/api/v1/letters/{letter.pk}/pdf", **api_client_headers(op_samarinda))
    assert b"".join(page.streaming_content) == b"".join(api.streaming_content)  # type: ignore[attr-defined]
    exports = AuditEntry.objects.filter(
        actor=op_samarinda, action=AuditEntry.Action.EXPORT, object_id=str(letter.pk)
    )
    assert sorted(e.detail.get("via", "web") for e in exports) == ["api", "web"]
