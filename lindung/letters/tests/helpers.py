from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader, PdfWriter

from lindung.letters.data import LetterData

SAMARINDA = LetterData(
    nama_perusahaan="PT Mahakam Sejahtera Abadi",
    alamat="Jalan Pahlawan Nomor 12, Sungai Pinang",
    kabkota="Kota Samarinda",
    di="Samarinda",
    npwp="012345678901000",
    nib="9120001234567",
    pekerja_dilaporkan=120,
    pekerja_terdaftar=45,
    upah_rata_rata=2_900_000,
    umk=3_579_313,
    program_belum=("JP", "JKP"),
)


def text_of(pdf: bytes | str) -> str:
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    raw = " ".join(page.extract_text() or "" for page in reader.pages)
    flat = re.sub(r"\s+", " ", raw)
    return re.sub(r"(?<=\w)- (?=\w)", "-", flat)  # "Undang-" ⏎ "Undang" broken at the hyphen


def pages_of(pdf: bytes | str) -> int:
    return len(PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf).pages)


def embedded_fonts(pdf: bytes) -> dict[str, str]:
    """Base font name → FontFile key, for every font used on any page ('' = not embedded)."""
    found: dict[str, str] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"].get_object()
        fonts: Any = resources.get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            desc_holder = font
            if "/DescendantFonts" in font:
                desc_holder = font["/DescendantFonts"][0].get_object()
            desc = desc_holder.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            key = next((k for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in desc), "")
            found[str(font["/BaseFont"])] = key
    return found


def page_range(pdf: bytes | str, first: int, count: int) -> bytes:
    """Pages ``first``..``first + count - 1`` (1-based) of ``pdf`` as a PDF of their own."""
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    writer = PdfWriter()
    for page in reader.pages[first - 1 : first - 1 + count]:
        writer.add_page(page)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
