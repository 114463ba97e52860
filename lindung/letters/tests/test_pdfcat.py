"""The byte-level concatenation of Typst chunk PDFs: pages, bookmarks and text all kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from lindung.letters import pdfcat, production
from lindung.letters.defaults import TEMPLATES
from lindung.letters.rendering import Kop, Wording, letter_json, renderer
from lindung.letters.tests.helpers import SAMARINDA, page_range, text_of


def _letters(n: int, start: int = 0) -> list[dict]:
    spec = next(t for t in TEMPLATES if t["kind"] == "teguran_1")
    names = {f.name for f in dataclasses.fields(Wording)}
    wording = Wording(**{k: v for k, v in spec.items() if k in names})  # type: ignore[arg-type]
    return [
        letter_json(
            dataclasses.replace(SAMARINDA, nama_perusahaan=f"PT Sambung ({i}) 1 0 R"),
            wording,
            nomor=f"500.15/{i:04d}/Uji (0 R)/2026",
            tanggal=dt.date(2026, 11, 26),
            kota="Samarinda",
        )
        for i in range(start, start + n)
    ]


def test_concat_keeps_pages_bookmarks_and_text() -> None:
    groups = [_letters(3), _letters(1, 3), _letters(2, 4)]
    pdfs = [renderer().pdf(g, title="Uji") for g in groups]
    out = io.BytesIO()
    found = pdfcat.concat(pdfs, out, title="Surat — uji", author="Dinas")
    merged = out.getvalue()
    reader = PdfReader(io.BytesIO(merged), strict=True)
    originals = [PdfReader(io.BytesIO(p)) for p in pdfs]
    assert len(reader.pages) == sum(len(r.pages) for r in originals)
    assert [count for _starts, count in found] == [len(r.pages) for r in originals]
    assert text_of(merged) == " ".join(text_of(p) for p in pdfs)
    outline = reader.outline
    assert [o.title for o in outline] == [x["nomor"] for g in groups for x in g]  # type: ignore[union-attr]
    offsets = [0, len(originals[0].pages), len(originals[0].pages) + len(originals[1].pages)]
    expected = [off + s for off, (starts, _n) in zip(offsets, found, strict=True) for s in starts]
    assert [reader.get_destination_page_number(o) for o in outline] == expected  # type: ignore[arg-type]
    assert reader.metadata is not None and reader.metadata.title == "Surat — uji"


def test_produce_falls_back_to_pypdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    letters = _letters(3)

    def refuse(*_args: object, **_kw: object) -> None:
        raise pdfcat.Unsupported("test")

    fast = production.produce(Kop(), letters, tmp_path / "a", title="Uji", stem="a", workers=1)
    monkeypatch.setattr(pdfcat, "concat", refuse)
    slow = production.produce(Kop(), letters, tmp_path / "b", title="Uji", stem="b", workers=1)
    assert fast.page_ranges == slow.page_ranges and fast.pages == slow.pages
    assert text_of(fast.pdf_path.read_bytes()) == text_of(slow.pdf_path.read_bytes())
    first, count = fast.page_ranges[1]
    single = production.single(Kop(), letters[1], "Uji")
    assert text_of(single) == text_of(page_range(fast.pdf_path.read_bytes(), first, count))
