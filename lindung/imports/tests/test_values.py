"""Cell parsers: every accepted spelling, every refusal message, and fuzzing (no DB)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lindung.imports import values as V
from lindung.imports.schemas import COMPANIES, EMPLOYERS, PARTICIPANTS, WORKERS, FieldKind

TODAY = date(2026, 11, 26)
UNKNOWN_DATE = "tidak dikenali; tulis hari-bulan-tahun, misalnya 17-08-1985"
UNKNOWN_MONEY = "tidak dikenali; tulis angka, misalnya 1500000 atau Rp 1.500.000"
BIRTH = WORKERS.field("tanggal_lahir")
MEMBERSHIP = PARTICIPANTS.field("tanggal_kepesertaan")
INCOME = WORKERS.field("penghasilan_bulanan")
DECILE = WORKERS.field("desil")
NAME = WORKERS.field("nama")
SEGMENT = PARTICIPANTS.field("segmen")
PROGRAMME = PARTICIPANTS.field("program")


def run(parser, values, *args, **kwargs):
    raw = pl.Series("x", values, dtype=pl.String)
    parsed, problem = parser(raw, *args, **kwargs)
    assert len(parsed) == len(raw) == len(problem)
    assert problem.dtype == pl.String
    return parsed.to_list(), problem.to_list()


def one(parser, value, *args, **kwargs):
    parsed, problem = run(parser, [value], *args, **kwargs)
    return parsed[0], problem[0]


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "17-08-1985", "17/08/1985", "17/8/1985", "17.08.1985", "1985-08-17", "1985/08/17",
        "17-08-85", "17/08/85", " 17-08-1985 ", "1985-08-17 00:00:00", "1985-08-17T00:00:00",
        "17 Agustus 1985", "17 agustus 1985", "17 AGUSTUS 1985", "17 Agu 1985", "17-Ags-1985",
        "17 Agt. 1985", "17 August 1985", "17-Aug-85", "Aug 17, 1985", "August 17 1985",
        "Sabtu, 17 Agustus 1985", "17081985", "19850817", "31276", "31276.0",
    ],
)  # fmt: skip
def test_dates_in_every_supported_spelling(text):
    assert one(V.parse_date, text, BIRTH, today=TODAY) == (date(1985, 8, 17), None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7/3/2001", date(2001, 3, 7)),  # D/M/YYYY, day first
        ("17 Nopember 1990", date(1990, 11, 17)),
        ("1 Pebruari 1990", date(1990, 2, 1)),
        ("5 Mei 1970", date(1970, 5, 5)),
        ("2 Des 1999", date(1999, 12, 2)),
        ("29-02-2000", date(2000, 2, 29)),
        ("31045", date(1984, 12, 29)),  # Excel serial (1900 leap-year bug: epoch 30-12-1899)
        ("31045.0", date(1984, 12, 29)),
        ("10000", date(1927, 5, 18)),
        ("01/01/26", date(2026, 1, 1)),  # YY up to this year's → 20YY
        ("01/01/27", date(1927, 1, 1)),  # above → 19YY
    ],
)
def test_date_values(text, expected):
    assert one(V.parse_date, text, BIRTH, today=TODAY) == (expected, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31-02-1990", "Tanggal 31-02-1990 tidak ada di kalender"),
        ("29-02-1900", "Tanggal 29-02-1900 tidak ada di kalender"),
        ("12/31/1990", "Bulan 31 tidak ada (tanggal ditulis hari-bulan-tahun)"),
        ("17-08-2030", "Tanggal lahir 17-08-2030 ada di masa depan"),
        ("01-01-1850", "Tahun 1850 tidak masuk akal (sebelum 1900)"),
        ("1985", "Hanya tahun (1985); isi tanggal lengkap, misalnya 17-08-1985"),
        ("kemarin", f"Tanggal 'kemarin' {UNKNOWN_DATE}"),
        ("17 Agustusan 1985", f"Tanggal '17 Agustusan 1985' {UNKNOWN_DATE}"),
    ],
)  # fmt: skip
def test_date_problems(text, message):
    assert one(V.parse_date, text, BIRTH, today=TODAY) == (None, message)


def test_other_dates_may_lie_up_to_a_year_ahead():
    soon = (TODAY + timedelta(days=30)).strftime("%d-%m-%Y")
    assert one(V.parse_date, soon, MEMBERSHIP, today=TODAY)[0] == TODAY + timedelta(days=30)
    later = (TODAY + timedelta(days=400)).strftime("%d-%m-%Y")
    assert one(V.parse_date, later, MEMBERSHIP, today=TODAY) == (
        None,
        f"Tanggal {later} lebih dari satu tahun ke depan",
    )


def test_blank_dates_are_null_without_problem():
    assert run(V.parse_date, [None, "", "   "], BIRTH) == ([None] * 3, [None] * 3)


_FORMATS = [
    lambda d: d.strftime("%d-%m-%Y"),
    lambda d: d.strftime("%d/%m/%Y"),
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: d.strftime("%Y-%m-%d"),
    lambda d: d.strftime("%d.%m.%Y"),
    lambda d: d.strftime("%d%m%Y"),
    lambda d: str((d - date(1899, 12, 30)).days),
    lambda d: f"{(d - date(1899, 12, 30)).days}.0",
    lambda d: f"{d.day} {_ID_MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{d.day}-{_ID_MONTHS[d.month - 1][:3]}-{d.year}",
    lambda d: d.strftime("%d %B %Y"),
    lambda d: d.strftime("%b %d, %Y"),
]
_ID_MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
)
_ID_MONTHS = _ID_MONTHS.split()  # type: ignore[assignment]


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(1928, 1, 1), max_value=TODAY))
def test_round_trip_of_valid_dates_in_every_format(day):
    texts = [fmt(day) for fmt in _FORMATS]
    parsed, problems = run(V.parse_date, texts, BIRTH, today=TODAY)
    assert problems == [None] * len(texts), list(zip(texts, problems, strict=True))
    assert parsed == [day] * len(texts), list(zip(texts, parsed, strict=True))


# --- sex -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L", "L"), ("l", "L"), ("Laki-laki", "L"), ("Laki laki", "L"), ("LAKI-LAKI", "L"),
        ("Pria", "L"), ("LK", "L"), ("Lk", "L"), ("M", "L"), ("Male", "L"), ("1", "L"),
        ("P", "P"), ("Perempuan", "P"), ("Wanita", "P"), ("PR", "P"), ("Pr", "P"), ("W", "P"),
        ("F", "P"), ("Female", "P"), ("2", "P"), (" p ", "P"),
    ],
)  # fmt: skip
def test_sex_spellings(text, expected):
    assert one(V.parse_sex, text) == (expected, None)


def test_sex_problem():
    assert one(V.parse_sex, "X") == (
        None,
        "Jenis kelamin 'X' tidak dikenali; tulis L (laki-laki) atau P (perempuan)",
    )
    assert one(V.parse_sex, None) == (None, None)


# --- money and integers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rp 1.500.000", 1_500_000), ("Rp1.500.000,00", 1_500_000), ("1,500,000", 1_500_000),
        ("1500000", 1_500_000), ("1.500.000,-", 1_500_000), ("Rp. 750.000", 750_000),
        ("IDR 2,000,000.00", 2_000_000), ("1500000.0", 1_500_000), ("1,5 jt", 1_500_000),
        ("1.5 juta", 1_500_000), ("750 rb", 750_000), ("0", 0), ("1.000", 1_000),
        ("1.5E+06", 1_500_000),
    ],
)  # fmt: skip
def test_money_spellings(text, expected):
    assert one(V.parse_money, text, INCOME) == (expected, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-500000", "Jumlah uang tidak boleh negatif"),
        ("Rp -5.000", "Jumlah uang tidak boleh negatif"),
        ("(500)", "Jumlah uang tidak boleh negatif"),
        ("2000000000", "Jumlah uang melebihi batas Rp 1.000.000.000"),
        ("9" * 40, "Jumlah uang melebihi batas Rp 1.000.000.000"),
        ("Sejuta", f"Jumlah uang 'Sejuta' {UNKNOWN_MONEY}"),
    ],
)  # fmt: skip
def test_money_problems(text, message):
    assert one(V.parse_money, text, INCOME) == (None, message)


@pytest.mark.parametrize(
    ("text", "expected", "problem"),
    [
        ("7", 7, None), ("7.0", 7, None), (" 10 ", 10, None),
        ("11", None, "Nilai 11 di luar rentang 1–10"), ("0", None, "Nilai 0 di luar rentang 1–10"),
        ("3,5", None, "'3,5' bukan bilangan bulat"),
        ("tujuh", None, "'tujuh' bukan bilangan bulat"),
        ("9" * 30, None, "Angka terlalu besar"),
    ],
)  # fmt: skip
def test_int_with_range(text, expected, problem):
    assert one(V.parse_int, text, DECILE) == (expected, problem)


def test_int_thousands_and_minimum():
    field = COMPANIES.field("jumlah_pekerja")
    assert one(V.parse_int, "1.250", field) == (1250, None)
    assert one(V.parse_int, "-3", field) == (None, "Nilai -3 di luar rentang 0–1.000.000")


# --- codes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("64.72.01.1001", "64.72.01.1001"), ("6472011001", "64.72.01.1001"), ("64.72", "64.72"),
        ("6472", "64.72"), ("647201", "64.72.01"), ("64", "64"), (" 64.72.01 ", "64.72.01"),
        ("64-72-01-1001", "64.72.01.1001"), ("64.1", "64.10"),
    ],
)  # fmt: skip
def test_region_codes_become_dotted(text, expected):
    assert one(V.parse_region, text) == (expected, None)


@pytest.mark.parametrize("text", ["12345", "Samarinda", "64.72.1", "647201100"])
def test_region_problems(text):
    parsed, problem = one(V.parse_region, text)
    assert parsed is None
    assert problem.startswith(f"Kode wilayah '{text}' tidak dikenali; tulis kode Kemendagri")


def test_enum_is_case_and_space_insensitive():
    parsed, problems = run(
        V.parse_enum,
        ["PU", " penerima  upah ", "Bukan_Penerima_Upah", "jakon", "BPU", "xx"],
        SEGMENT,
    )
    assert parsed == ["PU", "PU", "BPU", "JAKON", "BPU", None]
    assert problems[-1] == "Segmen 'xx' tidak dikenali; pilihan: PU, BPU, JAKON"


def test_list_is_canonical_sorted_and_unique():
    parsed, problems = run(
        V.parse_list,
        ["JKK, JKM", "jkm/jkk", "JKK+JKM+JHT", "JKK dan JKM", "jkk;jkk", "JKM JKK", "JKK,JKX", ""],
        PROGRAMME,
    )
    assert parsed == ["JKK,JKM", "JKK,JKM", "JHT,JKK,JKM", "JKK,JKM", "JKK", "JKK,JKM", None, None]
    assert problems[:6] == [None] * 6
    assert problems[6] == "Program 'JKX' tidak dikenali; pilihan: JKK, JKM, JHT, JP, JKP"


def test_text_is_trimmed_and_collapsed_and_formulas_stay_text():
    parsed, problems = run(
        V.parse_text,
        [
            "  Siti   Aminah ",
            '=HYPERLINK("http://x","klik")',
            "+6281234",
            "@SUM(A1)",
            "\t",
            "a\x00b",
        ],
        NAME,
    )
    assert parsed == [
        "Siti Aminah",
        '=HYPERLINK("http://x","klik")',
        "+6281234",
        "@SUM(A1)",
        None,
        "ab",
    ]
    assert problems == [None] * 6


def test_text_too_long():
    assert one(V.parse_text, "x" * 151, NAME) == (
        None,
        "Teks terlalu panjang: 151 karakter; maksimum 150",
    )


def test_parse_column_dedupes_large_columns_with_the_same_answers():
    texts = ["17-08-1985", "31-02-1990", None, "x", "1/2/1990"] * 2_000
    for field, sample in (
        (BIRTH, texts),
        (INCOME, ["Rp 1.500.000", "-5", "abc", None] * 2_500),
        (EMPLOYERS.field("program"), ["JKK, JKM", "JKX", None, "jht"] * 2_500),
    ):
        raw = pl.Series("x", sample, dtype=pl.String)
        fast = V.parse_column(raw, field, today=TODAY)
        direct = V.PARSERS[field.kind](
            raw, field, **({"today": TODAY} if field.kind is FieldKind.DATE else {})
        )
        assert fast[0].to_list() == direct[0].to_list()
        assert fast[1].to_list() == direct[1].to_list()


# --- fuzz ----------------------------------------------------------------------------------------

_TEXT = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(alphabet="0123456789-/.,: rpRPjtJTbBeE+()", max_size=25),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=30))
def test_parsers_never_raise_on_arbitrary_text(values):
    fields = {
        FieldKind.DATE: BIRTH,
        FieldKind.SEX: WORKERS.field("jenis_kelamin"),
        FieldKind.MONEY: INCOME,
        FieldKind.INT: DECILE,
        FieldKind.REGION: WORKERS.field("kode_wilayah"),
        FieldKind.ENUM: SEGMENT,
        FieldKind.LIST: PROGRAMME,
        FieldKind.TEXT: NAME,
    }
    raw = pl.Series("x", values, dtype=pl.String)
    for kind, field in fields.items():
        parsed, problem = V.parse_column(raw, field, today=TODAY)
        assert len(parsed) == len(problem) == len(values), kind
        # a value is either parsed or has a problem (or is blank), never both
        both = [p is not None and q is not None for p, q in zip(parsed, problem, strict=True)]
        assert not any(both), kind
