"""One letter as PDF: the words, the numbers, the legal basis, the fonts, the look."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from lindung.letters import rendering
from lindung.letters.data import LetterData, tanggal_id
from lindung.letters.models import LetterKind, LetterTemplate
from lindung.letters.tests.helpers import SAMARINDA, embedded_fonts, pages_of, text_of

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 26)
NOMOR = "500.15/0042/Disnakertrans/2026"


def _pdf(kind: str, data: LetterData = SAMARINDA) -> bytes:
    wording = rendering.Wording.from_model(LetterTemplate.current(kind))
    return rendering.render_letter(data, wording, nomor=NOMOR, tanggal=DAY)


def test_indonesian_dates() -> None:
    assert tanggal_id(DAY) == "26 November 2026"
    assert tanggal_id(dt.date(2027, 2, 1)) == "1 Februari 2027"


@pytest.mark.parametrize("kind", LetterKind.values)
def test_every_kind_prints_company_number_date_and_legal_basis(kind: str) -> None:
    pdf = _pdf(kind)
    text = text_of(pdf)
    assert "PT Mahakam Sejahtera Abadi" in text
    assert NOMOR in text
    assert "Samarinda, 26 November 2026" in text
    assert "PEMERINTAH PROVINSI KALIMANTAN TIMUR" in text
    assert "Undang-Undang Nomor 24 Tahun 2011" in text
    if kind != LetterKind.IMBAUAN:
        assert "Peraturan Pemerintah Nomor 86 Tahun 2013" in text
    if kind in {LetterKind.TEGURAN_2, LetterKind.REKOMENDASI_SANKSI}:
        assert "Peraturan Menteri Ketenagakerjaan Nomor 4 Tahun 2018" in text
    assert "{" not in text  # every placeholder filled
    assert 1 <= pages_of(pdf) <= 2


def test_teguran_1_figures_signature_and_copies() -> None:
    text = text_of(_pdf(LetterKind.TEGURAN_1))
    assert "Instruksi Presiden Nomor 2 Tahun 2021" in text
    assert "Pekerja terdaftar BPJS Ketenagakerjaan 45" in text
    assert "Rp 2.900.000" in text and "Rp 3.579.313" in text
    assert "6 Desember 2026" in text  # deadline: 10 days after the letter
    assert "a.n. Gubernur Kalimantan Timur" in text
    assert "NIP. 19700101 199503 1 001" in text
    assert "Tembusan:" in text and "Kota Samarinda" in text


def test_teguran_2_cites_teguran_1() -> None:
    data = dataclasses.replace(
        SAMARINDA,
        nomor_teguran_1="500.15/0007/Disnakertrans/2026",
        tanggal_teguran_1=dt.date(2026, 11, 10),
    )
    text = text_of(_pdf(LetterKind.TEGURAN_2, data))
    assert "Nomor 500.15/0007/Disnakertrans/2026 tanggal 10 November 2026" in text


def test_fonts_are_embedded() -> None:
    fonts = embedded_fonts(_pdf(LetterKind.TEGURAN_1))
    assert fonts, "no fonts found"
    assert all(fonts.values()), f"not embedded: {fonts}"


def test_company_text_is_never_typst_markup() -> None:
    data = dataclasses.replace(SAMARINDA, nama_perusahaan='PT #Sinar "Baru" $x$ *Tbk*')
    assert 'PT #Sinar "Baru" $x$ *Tbk*' in text_of(_pdf(LetterKind.IMBAUAN, data))


def test_page_renders_to_png() -> None:
    wording = rendering.Wording.from_model(LetterTemplate.current(LetterKind.TEGURAN_1))
    letter = rendering.letter_json(SAMARINDA, wording, nomor=NOMOR, tanggal=DAY, kota="Samarinda")
    first = rendering.renderer().png([letter], ppi=40)[0]
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
