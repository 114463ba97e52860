"""What a letter says about one company: the input the compliance service hands over.

``LetterData`` is the contract with the compliance status service (written separately): one
instance per company, with the figures that justify the letter. Every field name is also a
placeholder a template may use (``{nama_perusahaan}``), as are the formatted extras in
:data:`DERIVED` (``{selisih_pekerja}``, ``{nomor_surat}`` …). Nothing else is allowed, and
:func:`check_placeholders` says so in Indonesian before a batch starts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from lindung.core.formats import long_date, thousands
from lindung.core.formats import rupiah as rupiah_text

PROGRAM_NAMES = {
    "JKK": "Jaminan Kecelakaan Kerja (JKK)",
    "JKM": "Jaminan Kematian (JKM)",
    "JHT": "Jaminan Hari Tua (JHT)",
    "JP": "Jaminan Pensiun (JP)",
    "JKP": "Jaminan Kehilangan Pekerjaan (JKP)",
}

PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")


def tanggal_id(day: dt.date | None) -> str:
    """26 November 2026 — an Indonesian date, independent of the process locale."""
    if day is None:
        return "-"
    return long_date(day)


def rupiah(value: int | None) -> str:
    """Rp 3.394.513 (dots for thousands); "-" when unknown."""
    if value is None:
        return "-"
    return rupiah_text(value)


def angka(value: int | None) -> str:
    return "-" if value is None else thousands(value)


@dataclasses.dataclass(frozen=True)
class LetterData:
    """One company's facts for a compliance letter. Only ``nama_perusahaan`` is required.

    Figures are ``None`` when unknown (a company without NPWP, NIB or BPJS record still gets a
    letter; the figure prints as "-").
    """

    nama_perusahaan: str
    company_id: int | None = None  # compliance.Company, for the register (buku agenda)
    alamat: str = ""
    kabkota: str = ""  # "Kota Samarinda"
    di: str = ""  # place after "di" in the address block; defaults to kabkota
    npwp: str = ""
    nib: str = ""
    npp: str = ""  # BPJS Ketenagakerjaan company number, when registered
    pekerja_dilaporkan: int | None = None  # WLKP / labour reports
    pekerja_terdaftar: int | None = None  # registered with BPJS Ketenagakerjaan
    upah_rata_rata: int | None = None  # average reported wage, Rp per month
    umk: int | None = None  # kab/kota minimum wage, Rp per month
    program_belum: tuple[str, ...] = ()  # mandatory programmes not taken: ("JHT", "JP")
    nomor_teguran_1: str = ""
    tanggal_teguran_1: dt.date | None = None
    nomor_teguran_2: str = ""
    tanggal_teguran_2: dt.date | None = None

    @classmethod
    def field_names(cls) -> frozenset[str]:
        return frozenset(f.name for f in dataclasses.fields(cls))


#: Formatted placeholders computed from LetterData and the letter itself.
DERIVED = {
    "nomor_surat": "nomor surat ini",
    "tanggal_surat": "tanggal surat ini (26 November 2026)",
    "batas_waktu": "tanggal batas tindak lanjut (tanggal surat + tenggat templat)",
    "tenggat_hari": "tenggat dalam hari",
    "pekerja_belum_terdaftar": "pekerja dilaporkan dikurangi pekerja terdaftar",
    "daftar_program_belum": "program yang belum diikuti, dengan nama lengkap",
    "upah_rata_rata_rp": "upah rata-rata dalam rupiah",
    "umk_rp": "UMK dalam rupiah",
}


def known_placeholders() -> frozenset[str]:
    return LetterData.field_names() | frozenset(DERIVED)


class PlaceholderError(ValueError):
    """A template names a placeholder that LetterData cannot fill."""


def placeholders_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def check_placeholders(template_name: str, *texts: str) -> None:
    """Refuse a template that uses an unknown ``{placeholder}``, naming each one."""
    known = known_placeholders()
    unknown: list[str] = []
    for text in texts:
        for name in placeholders_in(text):
            if name not in known and name not in unknown:
                unknown.append(name)
    if unknown:
        names = ", ".join("{" + n + "}" for n in unknown)
        raise PlaceholderError(
            f"Templat '{template_name}' memakai {names} yang tidak dikenal. "
            f"Yang dikenal: {', '.join(sorted(known))}."
        )


def values(data: LetterData, *, nomor: str, tanggal: dt.date, tenggat_hari: int) -> dict[str, str]:
    """Every placeholder of one letter as printed text."""
    out: dict[str, str] = {}
    for f in dataclasses.fields(data):
        v: Any = getattr(data, f.name)
        if isinstance(v, dt.date):
            out[f.name] = tanggal_id(v)
        elif isinstance(v, int) and f.name in {"upah_rata_rata", "umk"}:
            out[f.name] = rupiah(v)
        elif isinstance(v, int) and not isinstance(v, bool):
            out[f.name] = angka(v)
        elif isinstance(v, tuple):
            out[f.name] = ", ".join(v) or "-"
        else:
            out[f.name] = "-" if v is None or v == "" else str(v)
    out["di"] = data.di or data.kabkota or "Tempat"
    gap = None
    if data.pekerja_dilaporkan is not None and data.pekerja_terdaftar is not None:
        gap = max(data.pekerja_dilaporkan - data.pekerja_terdaftar, 0)
    out.update(
        nomor_surat=nomor,
        tanggal_surat=tanggal_id(tanggal),
        batas_waktu=tanggal_id(tanggal + dt.timedelta(days=tenggat_hari)),
        tenggat_hari=str(tenggat_hari),
        pekerja_belum_terdaftar=angka(gap),
        daftar_program_belum=", ".join(PROGRAM_NAMES.get(p, p) for p in data.program_belum) or "-",
        upah_rata_rata_rp=rupiah(data.upah_rata_rata),
        umk_rp=rupiah(data.umk),
    )
    return out


def fill(text: str, vals: dict[str, str]) -> str:
    """Replace each ``{placeholder}`` (already checked) with its value."""
    return PLACEHOLDER.sub(lambda m: vals.get(m.group(1), m.group(0)), text)


def figures(data: LetterData) -> list[list[str]]:
    """The company's own figures as table rows; empty when nothing is known."""
    rows: list[list[str]] = []
    if data.pekerja_dilaporkan is not None:
        rows.append(["Jumlah pekerja dilaporkan (WLKP)", angka(data.pekerja_dilaporkan)])
    if data.pekerja_terdaftar is not None:
        rows.append(["Pekerja terdaftar BPJS Ketenagakerjaan", angka(data.pekerja_terdaftar)])
    if data.upah_rata_rata is not None:
        rows.append(["Rata-rata upah dilaporkan ke BPJS", rupiah(data.upah_rata_rata)])
    if data.umk is not None:
        rows.append(["Upah minimum kabupaten/kota (UMK)", rupiah(data.umk)])
    if data.program_belum:
        rows.append(["Program wajib yang belum diikuti", ", ".join(data.program_belum)])
    return rows


def body_blocks(text: str) -> list[dict[str, Any]]:
    """Plain text → paragraphs and bullet lists ("- " lines), as the Typst layout expects."""
    blocks: list[dict[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [ln.strip() for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        if all(ln.startswith("- ") for ln in lines):
            blocks.append({"jenis": "daftar", "butir": [ln[2:].strip() for ln in lines]})
        elif lines == ["[data perusahaan]"]:
            blocks.append({"jenis": "angka-tempat"})
        else:
            blocks.append({"jenis": "paragraf", "teks": " ".join(lines)})
    return blocks


def lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.replace("\r\n", "\n").split("\n") if ln.strip()]
