"""LetterData → PDF with Typst, reusing one compiler per process.

The layout (``typst/surat.typ``) is fixed code; the words come from the template and the data
as JSON through ``sys.inputs``, so no user text is ever evaluated as Typst markup. One compile
can hold many letters (page breaks between them): that is the print-ready batch PDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lindung.core.typesetting import layout
from lindung.letters import data as d
from lindung.letters.logo import PLACEHOLDER

LAYOUT = Path(__file__).resolve().parent / "typst" / "surat.typ"


@dataclass(frozen=True)
class Kop:
    """The letterhead as printed; built from the Letterhead model (or its defaults)."""

    pemerintah: str = "Pemerintah Provinsi Kalimantan Timur"
    instansi: str = "Dinas Tenaga Kerja dan Transmigrasi"
    alamat: str = "Jalan Kesuma Bangsa Nomor 1, Samarinda, Kalimantan Timur 75123"
    kontak: str = "Telepon (0541) 000000 · Pos-el disnakertrans@kaltimprov.go.id"
    kota: str = "Samarinda"
    logo: Path = PLACEHOLDER

    @classmethod
    def from_model(cls, head: Any) -> Kop:
        logo = Path(head.logo.path) if head.logo else PLACEHOLDER
        return cls(head.pemerintah, head.instansi, head.alamat, head.kontak, head.kota, logo)


@dataclass(frozen=True)
class Wording:
    """The parts of a LetterTemplate the layout needs (kept free of the ORM for speed)."""

    name: str
    subject: str
    body: str
    sifat: str = "Penting"
    lampiran: str = "-"
    addressee: str = "Pimpinan {nama_perusahaan}\n{alamat}"
    place: str = "{di}"
    deadline_days: int = 10
    signer_position: str = "a.n. Gubernur Kalimantan Timur\nKepala Dinas,"
    signer_name: str = ""
    signer_rank: str = ""
    signer_nip: str = ""
    copies_to: str = ""

    @classmethod
    def from_model(cls, t: Any) -> Wording:
        return cls(
            t.name,
            t.subject,
            t.body,
            t.sifat,
            t.lampiran,
            t.addressee,
            t.place,
            t.deadline_days,
            t.signer_position,
            t.signer_name,
            t.signer_rank,
            t.signer_nip,
            t.copies_to,
        )

    def texts(self) -> tuple[str, ...]:
        return (
            self.subject,
            self.addressee,
            self.place,
            self.body,
            self.lampiran,
            self.sifat,
            self.copies_to,
        )

    def check(self) -> None:
        d.check_placeholders(self.name, *self.texts())


def letter_json(
    data: d.LetterData, wording: Wording, *, nomor: str, tanggal: dt.date, kota: str
) -> dict[str, Any]:
    """One letter as the layout reads it: every string final, nothing left to evaluate."""
    vals = d.values(data, nomor=nomor, tanggal=tanggal, tenggat_hari=wording.deadline_days)

    def f(text: str) -> str:
        return d.fill(text, vals)

    isi: list[dict[str, Any]] = []
    for block in d.body_blocks(wording.body):
        if block["jenis"] == "angka-tempat":
            rows = d.figures(data)
            if rows:
                isi.append({"jenis": "angka", "baris": rows})
        elif block["jenis"] == "daftar":
            isi.append({"jenis": "daftar", "butir": [f(t) for t in block["butir"]]})
        else:
            isi.append({"jenis": "paragraf", "teks": f(block["teks"])})
    tujuan = [ln for ln in (f(x) for x in d.lines(wording.addressee)) if ln.strip("- ")]
    return {
        "nomor": nomor,
        "tempat_tanggal": f"{kota}, {d.tanggal_id(tanggal)}",
        "sifat": f(wording.sifat),
        "lampiran": f(wording.lampiran),
        "perihal": f(wording.subject),
        "tujuan": tujuan or [data.nama_perusahaan],
        "di": f(wording.place),
        "isi": isi,
        "penanda": {
            "jabatan": d.lines(wording.signer_position),
            "nama": wording.signer_name,
            "pangkat": wording.signer_rank,
            "nip": wording.signer_nip,
        },
        "tembusan": [f(x) for x in d.lines(wording.copies_to)],
    }


class Renderer:
    """Letters under one letterhead, through the shared compiler of the letter layout."""

    def __init__(self, kop: Kop | None = None) -> None:
        self.kop = kop or Kop()
        self._layout = layout(LAYOUT)

    def _payload(self, letters: list[dict[str, Any]], title: str) -> dict[str, Any]:
        head = {
            "pemerintah": self.kop.pemerintah,
            "instansi": self.kop.instansi,
            "alamat": self.kop.alamat,
            "kontak": self.kop.kontak,
        }
        return {"kop": head, "logo": str(self.kop.logo), "title": title, "letters": letters}

    def pdf(self, letters: list[dict[str, Any]], title: str = "Surat") -> bytes:
        """One PDF holding ``letters`` in order, each starting on a new page."""
        return self._layout.pdf(self._payload(letters, title))

    def png(self, letters: list[dict[str, Any]], ppi: float = 110) -> list[bytes]:
        return self._layout.png(self._payload(letters, "Surat"), ppi=ppi)


_renderers: dict[Kop, Renderer] = {}


def renderer(kop: Kop | None = None) -> Renderer:
    """The process-wide renderer for this letterhead."""
    key = kop or Kop()
    if key not in _renderers:
        _renderers[key] = Renderer(key)
    return _renderers[key]


def render_letter(
    data: d.LetterData,
    wording: Wording,
    *,
    nomor: str,
    tanggal: dt.date,
    kop: Kop | None = None,
) -> bytes:
    """One letter as PDF bytes (checks the template's placeholders first)."""
    wording.check()
    r = renderer(kop)
    return r.pdf(
        [letter_json(data, wording, nomor=nomor, tanggal=tanggal, kota=r.kop.kota)],
        title=f"{wording.subject} — {data.nama_perusahaan}",
    )
