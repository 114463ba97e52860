"""Tests for lindung.nik: properties (hypothesis) and one example per message.

Pure Python: no database, no Django settings needed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindung import nik as N
from lindung.nik import NikProblem, NikStatus
from lindung.regions.reference import province_codes, regency_codes

PROVINCES = province_codes()
REGENCIES = regency_codes()
REGENCY_LIST = sorted(REGENCIES)

# Small custom code sets: the module must work without the shipped reference files.
MY_PROVINCES = frozenset({"64", "65"})
MY_REGENCIES = frozenset({"6401", "6472", "6502"})

VALID = "6472014508900123"  # Samarinda, kecamatan 01, woman born 05-08-(19)90, serial 0123

# Whitespace, separators and apostrophes the cleaner must remove (also the exotic ones).
NOISE = [" ", "\t", "\n", "\r", "\xa0", "\u2009", "\u200b", "\u3000", "\ufeff", ".", "-", "\u2013"]
APOSTROPHES = ["'", "\u2018", "\u2019", "`"]

fast = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- strategies ----------------------------------------------------------------------------------

districts = st.builds(
    lambda regency, kec: f"{regency}{kec:02d}",
    st.sampled_from(REGENCY_LIST),
    st.integers(1, 99),
)
births = st.dates(date(1930, 1, 1), date(2025, 12, 31))
sexes = st.sampled_from(["L", "P"])
serials = st.integers(1, 9999)
niks = st.builds(N.make_nik, districts, births, sexes, serials)
zeroed_niks = niks.map(lambda n: n[:15] + "0")


@st.composite
def decorated(draw: st.DrawFn, base: st.SearchStrategy[str] = niks) -> str:
    """A NIK as found in files: apostrophe prefix, spaces, dots and dashes in between."""
    value = draw(base)
    chars = list(value)
    for _ in range(draw(st.integers(0, 4))):
        chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from(NOISE)))
    prefix = draw(st.sampled_from(["", *APOSTROPHES]))
    return draw(st.sampled_from(["", " "])) + prefix + "".join(chars)


scientific = st.builds(
    lambda lead, frac, sep, e, sign, exp: f"{lead}{sep + frac if frac else ''}{e}{sign}{exp}",
    st.integers(1, 9),
    st.from_regex(r"[0-9]{0,14}", fullmatch=True),
    st.sampled_from([".", ","]),
    st.sampled_from(["E", "e"]),
    st.sampled_from(["+", "", "-"]),
    st.integers(0, 20),
)
typed = st.one_of(
    st.sampled_from(["", " ", "-", "'", "nan", "NULL", "6472014508900123.0", "6472O14508900123"]),
    st.from_regex(r"[0-9]{1,20}", fullmatch=True),
    st.from_regex(r"[0-9]{16}\.0{1,3}", fullmatch=True),
    scientific,
    st.text(max_size=20),
)
strings = st.one_of(niks, zeroed_niks, decorated(), typed)
floats = st.one_of(
    st.floats(),
    niks.map(float),
    st.floats(1e15, 1e16),
    st.integers(-(2**53), 2**53).map(float),
)
ints = st.one_of(niks.map(int), st.integers(-(2**63), 2**63 - 1))
decimals = st.one_of(st.decimals(allow_nan=True), niks.map(Decimal))
anything = st.one_of(st.none(), strings, floats, ints, decimals, st.booleans(), st.binary())


# --- make_nik / parse / birth_date / sex ---------------------------------------------------------


@fast
@given(districts, births, sexes, serials)
def test_make_nik_round_trips(district: str, born: date, sx: str, serial: int) -> None:
    nik = N.make_nik(district, born, sx, serial)
    parts = N.parse(nik)
    assert len(nik) == 16 and nik.isascii() and nik.isdigit()
    assert (parts.province, parts.regency, parts.district) == (district[:2], district[:4], district)
    assert (parts.day, parts.month, parts.yy) == (born.day, born.month, born.year % 100)
    assert parts.sex == N.sex(nik) == sx
    assert parts.serial == serial
    assert N.birth_date(nik, year_hint=born.year) == born
    assert N.birth_date(nik, year_hint=born.year + 7) == born  # a rough hint is enough
    assert N.birth_date(nik, today=date(2026, 1, 1)) == born  # ages 0–99: no hint needed
    assert N.check(nik).ok


def test_parse_and_builders_reject_bad_input() -> None:
    for bad in ["", "647201450890012", "64720145089001234", "6472O14508900123", "6.47201E+15"]:
        with pytest.raises(ValueError):
            N.parse(bad)
    with pytest.raises(ValueError):
        N.parse("6472013102900001")  # 31 February
    with pytest.raises(ValueError):
        N.parse("6472014508900000")  # serial 0000
    with pytest.raises(ValueError):
        N.sex("6472017208900001")  # day 72 - 40 = 32
    with pytest.raises(ValueError):
        N.make_nik("6472", date(1990, 8, 5), "L", 1)
    with pytest.raises(ValueError):
        N.make_nik("647200", date(1990, 8, 5), "L", 1)
    with pytest.raises(ValueError):
        N.make_nik("647201", date(1990, 8, 5), "X", 1)
    with pytest.raises(ValueError):
        N.make_nik("647201", date(1990, 8, 5), "L", 0)
    with pytest.raises(ValueError):
        N.make_nik("647201", date(1990, 8, 5), "L", 10_000)


def test_make_nik_example() -> None:
    assert N.make_nik("647201", date(1990, 8, 5), "P", 123) == VALID
    assert N.make_nik("647201", date(2001, 12, 31), "L", 1) == "6472013112010001"


def test_birth_date_century() -> None:
    today = date(2025, 11, 26)
    assert N.birth_date(VALID, today=today) == date(1990, 8, 5)
    assert N.birth_date("6472011511250001", today=today) == date(2025, 11, 15)
    assert N.birth_date("6472013112250001", today=today) == date(1925, 12, 31)  # not in future
    assert N.birth_date("6472010101990001", year_hint=2001) == date(1999, 1, 1)  # nearest
    assert N.birth_date("6472010101010001", year_hint=1999) == date(2001, 1, 1)
    assert N.birth_date("6472012902000001", today=today) == date(2000, 2, 29)
    assert N.birth_date("6472012902000001", year_hint=1905) is None  # 1900 is not a leap year
    assert N.birth_date("6472013102900001") is None
    assert N.birth_date("not a nik") is None


# --- mask ----------------------------------------------------------------------------------------


@fast
@given(decorated())
def test_mask_hides_birth_part(raw: str) -> None:
    nik = N.normalize(raw)
    masked = N.mask(raw)
    assert masked == nik[:6] + "******" + nik[12:]
    assert nik[6:12] not in masked.replace(nik[:6], "", 1)


@fast
@given(anything)
def test_mask_is_short_and_reveals_at_most_10(raw: object) -> None:
    masked = N.mask(raw)
    assert len(masked) <= 16
    assert sum(ch != "*" for ch in masked) <= 10


def test_mask_examples() -> None:
    assert N.mask("'6472014508900123") == "647201******0123"
    assert N.mask("647201450890012") == "6472***********"
    assert N.mask("Siti Aminah") == "*" * 10
    assert N.mask("6.47201E+15") == "*" * 11
    assert N.mask(None) == ""
    assert N.mask("1" * 40) == "1111" + "*" * 12


# --- normalize -----------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(anything)
def test_normalize_is_idempotent(raw: object) -> None:
    once = N.normalize(raw)
    assert N.normalize(once) == once


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  ", ""),
        (float("nan"), ""),
        ("'6472014508900123", VALID),
        (" 6472 0145 0890 0123 ", VALID),
        ("64.72.01.450890.0123", VALID),
        ("64-72-01-450890-0123", VALID),
        ("\u200b6472014508900123\xa0", VALID),
        (6472014508900123, VALID),
        (6472014508900123.0, VALID),
        ("6472014508900123.0", VALID),
        (Decimal("6472014508900123"), VALID),
        ("6.47201E+15", "6.47201E+15"),
        ("'6,47201E+15 ", "6,47201E+15"),
        (6.47201e15, "6472010000000000"),  # a float is exact: the damage shows as zeros
    ],
)
def test_normalize_examples(raw: object, expected: str) -> None:
    assert N.normalize(raw) == expected


# --- check ---------------------------------------------------------------------------------------


@fast
@given(st.sampled_from(["", "'", " ", *APOSTROPHES]), scientific)
def test_scientific_notation_is_never_valid(prefix: str, raw: str) -> None:
    result = N.check(prefix + raw)
    assert result.status is NikStatus.DAMAGED
    assert result.problems == (NikProblem.SCIENTIFIC,)


@fast
@given(strings)
def test_non_16_digits_is_never_valid(raw: str) -> None:
    result = N.check(raw, provinces=PROVINCES, regencies=REGENCIES)
    nik = N.normalize(raw)
    if not (len(nik) == 16 and nik.isascii() and nik.isdigit()):
        assert result.status is not NikStatus.VALID
    if result.ok:
        assert result.nik == nik and result.problems == () and result.message == ""


@fast
@given(niks, st.integers(0, 1), st.integers(0, 9))
def test_unknown_province_is_invalid(nik: str, position: int, digit: int) -> None:
    changed = nik[:position] + str(digit) + nik[position + 1 :]
    if changed[:2] in PROVINCES:
        return
    result = N.check(changed)
    assert result.status is NikStatus.INVALID
    assert result.problems[0] == NikProblem.PROVINCE
    assert result.message == f"Kode provinsi {changed[:2]} tidak dikenal"


@pytest.mark.parametrize(
    ("raw", "status", "problems", "message"),
    [
        (VALID, NikStatus.VALID, (), ""),
        ("6472014108900001", NikStatus.VALID, (), ""),  # woman born 1st: day 41
        ("6472017108900001", NikStatus.VALID, (), ""),  # woman born 31st: day 71
        ("6472012902000001", NikStatus.VALID, (), ""),  # 29-02-(20)00
        (None, NikStatus.EMPTY, ("kosong",), "NIK kosong"),
        ("  '", NikStatus.EMPTY, ("kosong",), "NIK kosong"),
        (
            "6.47201E+15",
            NikStatus.DAMAGED,
            ("notasi_ilmiah",),
            "NIK rusak oleh Excel (notasi ilmiah 6.47201E+15): "
            "minta file asli dengan kolom NIK berformat teks",
        ),
        (
            "6,47201E+15",
            NikStatus.DAMAGED,
            ("notasi_ilmiah",),
            "NIK rusak oleh Excel (notasi ilmiah 6,47201E+15): "
            "minta file asli dengan kolom NIK berformat teks",
        ),
        (
            "6472O14508900123",
            NikStatus.INVALID,
            ("bukan_angka",),
            'NIK hanya boleh berisi angka, ditemukan karakter "O"',
        ),
        ("647201450890012", NikStatus.INVALID, ("panjang",), "NIK harus 16 digit, ditemukan 15"),
        ("64720145089001234", NikStatus.INVALID, ("panjang",), "NIK harus 16 digit, ditemukan 17"),
        ("9972014508900123", NikStatus.INVALID, ("provinsi",), "Kode provinsi 99 tidak dikenal"),
        (
            "6499014508900123",
            NikStatus.INVALID,
            ("kabupaten",),
            "Kode kabupaten/kota 6499 tidak dikenal",
        ),
        (
            "6472004508900123",
            NikStatus.INVALID,
            ("kecamatan",),
            "Kode kecamatan dalam NIK tidak boleh 00",
        ),
        (
            "6472013102850001",
            NikStatus.INVALID,
            ("tanggal_lahir",),
            "Tanggal lahir dalam NIK tidak valid (31-02)",
        ),
        (
            "6472017202850001",
            NikStatus.INVALID,
            ("tanggal_lahir",),
            "Tanggal lahir dalam NIK tidak valid (72-02)",
        ),
        (
            "6472013180850001",  # swapped digits of 31-08-85: caught only because 80 is no month
            NikStatus.INVALID,
            ("tanggal_lahir",),
            "Tanggal lahir dalam NIK tidak valid (31-80)",
        ),
        (
            "6472016902010001",
            NikStatus.INVALID,
            ("tanggal_lahir",),
            "Tanggal lahir dalam NIK tidak valid (29-02-01, bukan tahun kabisat)",
        ),
        (
            "6472014508900000",
            NikStatus.INVALID,
            ("nomor_urut",),
            "Nomor urut NIK tidak boleh 0000",
        ),
        (
            "9900003102850000",
            NikStatus.INVALID,
            ("provinsi", "kecamatan", "tanggal_lahir", "nomor_urut"),
            "Kode provinsi 99 tidak dikenal",
        ),
    ],
)
def test_check_examples(
    raw: object, status: NikStatus, problems: tuple[str, ...], message: str
) -> None:
    result = N.check(raw)
    assert (result.status, result.problems, result.message) == (status, problems, message)
    assert result.ok is (status is NikStatus.VALID)


def test_check_zeroed_tail_message() -> None:
    result = N.check("6472014508900120", zeroed_tail_suspect=True)
    assert result.status is NikStatus.DAMAGED
    assert result.problems == ("digit_16_nol",)
    assert result.message == (
        "Digit ke-16 NIK kemungkinan diganti 0 oleh Excel (sebagian besar NIK di file ini "
        "berakhiran 0): minta file asli dengan kolom NIK berformat teks"
    )
    # A zeroed serial 0001 shows as 0000: the damage explains it, so damage comes first.
    assert N.check("6472014508900000", zeroed_tail_suspect=True).problems == (
        "digit_16_nol",
        "nomor_urut",
    )
    assert N.check(VALID, zeroed_tail_suspect=True).ok  # ends in 3: untouched
    assert N.check("6472014508900120").ok  # without the file-level flag


def test_check_with_custom_code_sets() -> None:
    assert N.check(VALID, provinces=MY_PROVINCES, regencies=MY_REGENCIES).ok
    result = N.check("6474014508900123", provinces=MY_PROVINCES, regencies=MY_REGENCIES)
    assert result.problems == ("kabupaten",)
    result = N.check(VALID, provinces={"65"}, regencies=MY_REGENCIES)
    assert result.problems == ("provinsi",)


# --- zeroed_tail_suspected -----------------------------------------------------------------------


def _zeroed(count: int, zeros: int) -> list[str]:
    values = [N.make_nik("647201", date(1990, 1, 1), "L", 10 * i + 1) for i in range(count)]
    return [v[:15] + "0" if i < zeros else v for i, v in enumerate(values)]


def test_zeroed_tail_suspected_threshold() -> None:
    assert N.zeroed_tail_suspected(_zeroed(20, 10))
    assert not N.zeroed_tail_suspected(_zeroed(20, 9))
    assert not N.zeroed_tail_suspected(_zeroed(19, 19))  # too few to judge
    assert N.zeroed_tail_suspected([*_zeroed(20, 20), "garbage", "", None])  # type: ignore[list-item]
    assert N.zeroed_tail_suspected([float(v) for v in _zeroed(30, 30)])  # type: ignore[misc]
    assert not N.zeroed_tail_suspected([])


@fast
@given(st.lists(st.one_of(niks, zeroed_niks, typed), max_size=60))
def test_zeroed_tail_counts_only_16_digit_values(values: list[str]) -> None:
    sixteen = [n for n in map(N.normalize, values) if len(n) == 16 and n.isdigit()]
    zeros = sum(n.endswith("0") for n in sixteen)
    expected = len(sixteen) >= 20 and zeros * 2 >= len(sixteen)
    assert N.zeroed_tail_suspected(values) is expected


# --- check_series --------------------------------------------------------------------------------


Codes = frozenset[str] | None


def _expected(values: list[object], provinces: Codes = None, regencies: Codes = None) -> list:
    suspect = N.zeroed_tail_suspected(values)
    rows = []
    for value in values:
        r = N.check(value, zeroed_tail_suspect=suspect, provinces=provinces, regencies=regencies)
        rows.append(
            (r.nik, str(r.status), r.problems[0] if r.problems else None, r.message or None)
        )
    return rows


def _actual(series: pl.Series, provinces: Codes = None, regencies: Codes = None) -> list:
    frame = N.check_series(series, provinces=provinces, regencies=regencies)
    assert frame.columns == ["nik", "nik_status", "nik_problem", "nik_message"]
    assert all(dtype == pl.String for dtype in frame.dtypes)
    return frame.rows()


def _agree(series: pl.Series, provinces: Codes = None, regencies: Codes = None) -> None:
    expected = _expected(series.to_list(), provinces, regencies)
    assert _actual(series, provinces, regencies) == expected


zeroed_file = st.builds(
    lambda damaged, other: damaged + other,
    st.lists(zeroed_niks, min_size=20, max_size=30),
    st.lists(strings, max_size=10),
)


@fast
@given(st.one_of(st.lists(st.one_of(st.none(), strings), max_size=40), zeroed_file))
def test_check_series_agrees_on_strings(values: list[str | None]) -> None:
    _agree(pl.Series(values, dtype=pl.String))


@fast
@given(st.lists(st.one_of(st.none(), strings), max_size=30))
def test_check_series_agrees_with_custom_codes(values: list[str | None]) -> None:
    _agree(pl.Series(values, dtype=pl.String), provinces=MY_PROVINCES, regencies=MY_REGENCIES)


@fast
@given(st.lists(st.one_of(st.none(), floats), max_size=40))
def test_check_series_agrees_on_floats(values: list[float | None]) -> None:
    _agree(pl.Series(values, dtype=pl.Float64))


@fast
@given(st.lists(st.one_of(st.none(), ints), max_size=40))
def test_check_series_agrees_on_ints(values: list[int | None]) -> None:
    _agree(pl.Series(values, dtype=pl.Int64))


@fast
@given(st.lists(anything, max_size=30))
def test_check_series_agrees_on_mixed_values(values: list[object]) -> None:
    _agree(pl.Series(values, dtype=pl.Object))


def test_check_series_zeroed_file_and_override() -> None:
    values = [*_zeroed(25, 25), VALID]
    frame = N.check_series(pl.Series(values))
    assert frame["nik_status"].to_list() == ["rusak"] * 25 + ["valid"]
    assert frame["nik_problem"][0] == "digit_16_nol"
    # A chunk of a file already judged clean (or damaged) keeps the file-level verdict.
    assert N.check_series(pl.Series(values), zeroed_tail_suspect=False)["nik_status"][1] == "valid"
    one = N.check_series(pl.Series(["6472014508900120"]), zeroed_tail_suspect=True)
    assert one["nik_status"][0] == "rusak"


def test_check_series_examples() -> None:
    frame = N.check_series(
        pl.Series(["'6472014508900123", None, "6.47201E+15", "9972014508900123", "x"])
    )
    assert frame.rows() == [
        (VALID, "valid", None, None),
        ("", "kosong", "kosong", "NIK kosong"),
        (
            "6.47201E+15",
            "rusak",
            "notasi_ilmiah",
            "NIK rusak oleh Excel (notasi ilmiah 6.47201E+15): "
            "minta file asli dengan kolom NIK berformat teks",
        ),
        ("9972014508900123", "tidak_valid", "provinsi", "Kode provinsi 99 tidak dikenal"),
        ("x", "tidak_valid", "bukan_angka", 'NIK hanya boleh berisi angka, ditemukan karakter "x"'),
    ]
    assert N.check_series(pl.Series([6472014508900123.0, 1.5]))["nik"].to_list() == [VALID, "15"]
    assert N.check_series(pl.Series([], dtype=pl.String)).height == 0
    assert N.check_series(pl.Series([None, None]))["nik_status"].to_list() == ["kosong"] * 2


@pytest.mark.parametrize(
    "values",
    [
        [1101010101000001, 1101010101000001, None, 0],
        ["6472014508900123", "6472014508900123.0", "6472O14508900123", None],
        ["6472014508900123", "'6472014508900123", "6472014508900000", "6472013102850001"],
    ],
)
def test_check_series_regressions(values: list[object]) -> None:
    # These made pl.format panic inside check_series (Polars 2.1, pola-rs/polars#25339).
    _agree(pl.Series(values))
