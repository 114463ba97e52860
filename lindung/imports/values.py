"""Vectorised parsers for the cell values of import files, one per :class:`FieldKind`.

Every parser takes the raw text column (``pl.Series`` of Utf8, as produced by
:func:`lindung.imports.reading.read_table`) and returns ``(parsed, problem)``, two series of the
same length:

- ``parsed``: the value in its stored form (Utf8, ``pl.Date`` or Int64), null when the cell is
  blank *or* has a problem;
- ``problem``: null when the cell is fine or blank, otherwise one Indonesian sentence saying what
  is wrong (without row or column: :mod:`lindung.imports.validate` adds those).

Blank cells (empty or whitespace only) are never a problem here: whether a field may be blank is
the validator's business. The parsers never raise on any text: every branch is a Polars
expression that yields null for what it cannot read, and messages are only built for the rows
that have a problem (usually few). Nothing is ever evaluated: a cell that looks like a formula
(``=SUM(A1)``) is just text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta

import polars as pl

from lindung.core.formats import rupiah, thousands
from lindung.imports.schemas import Field, FieldKind

__all__ = [
    "MONTHS",
    "PARSERS",
    "SEXES",
    "clean_text",
    "parse_column",
    "parse_date",
    "parse_enum",
    "parse_int",
    "parse_list",
    "parse_money",
    "parse_nik",
    "parse_region",
    "parse_sex",
    "parse_text",
    "rupiah",
]

Parsed = tuple[pl.Series, pl.Series]

# Whitespace as typed or pasted: Unicode spaces plus zero-width space, word joiner and BOM.
_WS = r"[\s\x{200B}\x{2060}\x{FEFF}]+"
# Control characters other than whitespace: never meaningful in a cell (and NUL breaks Postgres).
_CONTROL = r"[\x00-\x08\x0E-\x1F\x7F]"
_SHOWN = 40  # characters of the raw value quoted inside a message


def _as_text(raw: pl.Series) -> pl.Series:
    return raw if raw.dtype == pl.String else raw.cast(pl.String, strict=False)


# A cell needs cleaning when it has outer or doubled whitespace, whitespace other than a plain
# space, or control characters; most cells have none, and are left alone (much faster).
_DIRTY = r"^\s|\s$|\s\s|[^\S ]|[\x00-\x08\x0E-\x1F\x7F\x{200B}\x{2060}\x{FEFF}]"


def clean_text(raw: pl.Series) -> pl.Series:
    """Strip, drop control characters, collapse internal whitespace; blank → null."""
    text = _as_text(raw)
    dirty = text.str.contains(_DIRTY).fill_null(False).arg_true()
    if len(dirty):
        fixed = (
            text.gather(dirty)
            .str.replace_all(_CONTROL, "")
            .str.replace_all(_WS, " ")
            .str.strip_chars(" ")
        )
        text = text.scatter(dirty, fixed)
    return pl.select(pl.when(text.str.len_bytes() > 0).then(text)).to_series().alias(raw.name)


def _key(raw: pl.Series) -> pl.Series:
    """Lowercase cleaned text, for matching spellings."""
    return clean_text(raw).str.to_lowercase()


def _null_problems(n: int) -> pl.Series:
    return pl.Series("problem", [None] * n, dtype=pl.String)


def _shown(expr: pl.Expr) -> pl.Expr:
    """The raw value as quoted inside a message: cleaned and cut to a readable length."""
    return (
        pl.when(expr.str.len_chars() > _SHOWN)
        .then(expr.str.slice(0, _SHOWN - 1) + "…")
        .otherwise(expr)
    )


def _finish(raw: pl.Series, parsed: pl.Series, problem: pl.Series) -> Parsed:
    parsed = pl.select(pl.when(problem.is_null()).then(parsed)).to_series()
    return parsed.alias(raw.name), problem.alias("problem")


# --- TEXT ----------------------------------------------------------------------------------------


def parse_text(raw: pl.Series, field: Field | None = None) -> Parsed:
    """Trimmed text with whitespace runs collapsed; longer than ``field.max_length`` → problem.

    Text that looks like a spreadsheet formula (``=``, ``+``, ``-``, ``@`` first) is kept as it
    is: exports neutralise it, nothing here evaluates it.
    """
    text = clean_text(raw)
    max_length = field.max_length if field else None
    if not max_length:
        return text.alias(raw.name), _null_problems(len(raw))
    length = text.str.len_chars()
    problem = (
        pl.select(
            pl.when(length > max_length).then(
                pl.format(
                    "Teks terlalu panjang: {} karakter; maksimum {}",
                    length,
                    pl.lit(thousands(max_length)),
                )
            )
        )
        .to_series()
        .cast(pl.String)
    )
    return _finish(raw, text, problem)


# --- DATE ----------------------------------------------------------------------------------------

#: Month names and abbreviations, Indonesian (incl. the common older spellings "Pebruari",
#: "Nopember") and English; keys are lowercase without dots.
MONTHS: dict[str, int] = {
    **dict.fromkeys(("januari", "january", "jan", "djanuari"), 1),
    **dict.fromkeys(("februari", "pebruari", "february", "feb", "peb", "pebr", "febr"), 2),
    **dict.fromkeys(("maret", "march", "mar", "mrt"), 3),
    **dict.fromkeys(("april", "apr", "apl"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul", "djuli"), 7),
    **dict.fromkeys(("agustus", "august", "agu", "ags", "agt", "agst", "agus", "aug"), 8),
    **dict.fromkeys(("september", "sep", "sept", "sepr"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec", "dsb"), 12),
}
_WEEKDAYS = (
    "senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"
)
_TIME_SUFFIX = r"(?:[ t]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?(?: ?[ap]\.?m\.?)?z?)$"
_NUMERIC_DATE = r"^(?P<a>\d{1,4})[-/.](?P<b>\d{1,2})[-/.](?P<c>\d{1,4})$"
_NAMED_DATE = r"^(?P<d>\d{1,2})[\s\-/.,]*(?P<mon>[a-z]+)\.?[\s\-/.,]*(?P<y>\d{4}|\d{2})$"
_ENGLISH_DATE = (
    r"^(?P<mon>[a-z]+)\.?[\s\-/.]*(?P<d>\d{1,2})(?:st|nd|rd|th)?,?[\s\-/.]*(?P<y>\d{4})$"
)
_SERIAL = r"^(?P<s>\d{5})(?:\.\d+)?$"
_COMPACT = r"^(?P<p>\d{4})(?P<q>\d{4})$"
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 61+ (Excel counts a fictitious 29-02-1900 as 60)
_EARLIEST_YEAR = 1900


def _is_birth(field: Field | None) -> bool:
    return field is not None and "lahir" in (field.name + " " + field.label).lower()


def _int(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int32, strict=False)


def _year2(yy: pl.Expr, today: date) -> pl.Expr:
    """Two-digit year: up to this year's two digits → 2000s, above → 1900s."""
    return pl.when(yy <= today.year % 100).then(yy + 2000).otherwise(yy + 1900)


def parse_date(raw: pl.Series, field: Field | None = None, *, today: date | None = None) -> Parsed:
    """Dates as written in Indonesian files → ``pl.Date``.

    Accepts ``DD-MM-YYYY``, ``DD/MM/YYYY``, ``D/M/YYYY``, ``DD.MM.YYYY``, ``DD-MM-YY``
    (YY up to this year → 20YY, else 19YY), ``YYYY-MM-DD`` (optionally followed by a time, as
    spreadsheets export dates), ``DDMMYYYY``/``YYYYMMDD``, Excel serial numbers (``31045`` or
    ``31045.0`` → 1984-12-29), and month names in Indonesian or English, full or abbreviated
    (``17 Agustus 1985``, ``17-Ags-1985``, ``17 Nopember 1985``, ``Aug 17, 1985``), optionally
    after a weekday ("Sabtu, 17 Agustus 1985"). Numeric dates are always day first, the
    Indonesian convention: ``12/31/1990`` is reported, not swapped.

    Problems: unrecognised text, impossible dates (31-02-1990), years before 1900, and dates in
    the future (birth dates: after ``today``; other dates: more than a year ahead).
    """
    today = today or date.today()
    latest = today if _is_birth(field) else today + timedelta(days=366)
    shown_text = clean_text(raw)
    text = shown_text.str.to_lowercase().str.replace(_TIME_SUFFIX, "")
    n = len(text)

    frame = pl.DataFrame({"t": text, "o": shown_text}).with_columns(
        num=pl.col("t").str.extract_groups(_NUMERIC_DATE)
    )
    a = pl.col("num").struct.field("a")
    b = pl.col("num").struct.field("b")
    c = pl.col("num").struct.field("c")
    ymd = (a.str.len_chars() == 4) & (c.str.len_chars() <= 2)
    dmy = (a.str.len_chars() <= 2) & c.str.len_chars().is_in([2, 4])
    frame = frame.select(
        "t",
        "o",
        y=pl.when(ymd)
        .then(_int(a))
        .when(dmy & (c.str.len_chars() == 2))
        .then(_year2(_int(c), today))
        .when(dmy)
        .then(_int(c)),
        m=pl.when(ymd | dmy).then(_int(b)),
        d=pl.when(ymd).then(_int(c)).when(dmy).then(_int(a)),
        # 1: recognised; 2: only a year
        kind=pl.when(ymd | dmy).then(pl.lit(1, pl.Int8)),
    )

    # The other spellings are rarer: parse them only on the rows still unrecognised.
    rest = frame.with_row_index("i").filter(pl.col("kind").is_null() & pl.col("t").is_not_null())
    if rest.height:
        other = _parse_other_dates(rest.select("i", "t"), today)
        frame = frame.with_row_index("i").update(other, on="i", include_nulls=False).drop("i")

    y, m, d = pl.col("y"), pl.col("m"), pl.col("d")
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    max_day = (
        pl.when(m == 2)
        .then(pl.when(leap).then(29).otherwise(28))
        .when(m.is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )
    month_ok = m.is_between(1, 12).fill_null(False)
    day_ok = month_ok & d.is_between(1, max_day).fill_null(False)
    recognised = (pl.col("kind") == 1).fill_null(False)
    real = recognised & day_ok & y.is_between(1, 9999)
    safe = pl.when(real)
    value = pl.date(
        safe.then(y).otherwise(2000), safe.then(m).otherwise(1), safe.then(d).otherwise(1)
    )
    frame = frame.with_columns(value=pl.when(real).then(value))
    v = pl.col("value")

    shown = _shown(pl.col("o"))
    dmy_text = pl.format(
        "{}-{}-{}",
        d.cast(pl.String).str.zfill(2),
        m.cast(pl.String).str.zfill(2),
        y.cast(pl.String),
    )
    later = (
        "Tanggal lahir {} ada di masa depan"
        if latest == today
        else ("Tanggal {} lebih dari satu tahun ke depan")
    )
    problem = (
        pl.when(pl.col("t").is_null())
        .then(None)
        .when(pl.col("kind") == 2)
        .then(pl.format("Hanya tahun ({}); isi tanggal lengkap, misalnya 17-08-1985", y))
        .when(~recognised)
        .then(
            pl.format(
                "Tanggal '{}' tidak dikenali; tulis hari-bulan-tahun, misalnya 17-08-1985",
                shown,
            )
        )
        .when(~month_ok)
        .then(pl.format("Bulan {} tidak ada (tanggal ditulis hari-bulan-tahun)", m))
        .when(~day_ok | v.is_null())
        .then(pl.format("Tanggal {} tidak ada di kalender", dmy_text))
        .when(y < _EARLIEST_YEAR)
        .then(pl.format("Tahun {} tidak masuk akal (sebelum 1900)", y))
        .when(v > pl.lit(latest))
        .then(pl.format(later, dmy_text))
    )
    result = frame.select(value=v, problem=problem.cast(pl.String))
    if result.height != n:  # pragma: no cover - defensive
        raise AssertionError("date parser changed the row count")
    return _finish(raw, result["value"], result["problem"])


def _parse_other_dates(rest: pl.DataFrame, today: date) -> pl.DataFrame:
    """Month names, Excel serials, compact digits and bare years, for the rows in ``rest``."""
    t = pl.col("t").str.replace(rf"^(?:{_WEEKDAYS})[,.]?\s*", "")
    frame = rest.with_columns(
        t=t,
    ).with_columns(
        named=pl.col("t").str.extract_groups(_NAMED_DATE),
        english=pl.col("t").str.extract_groups(_ENGLISH_DATE),
        serial=pl.col("t").str.extract(_SERIAL, 1).cast(pl.Int64, strict=False),
        compact=pl.col("t").str.extract_groups(_COMPACT),
        year_only=pl.col("t").str.extract(r"^((?:19|20)\d\d)(?:\.0+)?$", 1).cast(pl.Int32),
    )
    months = MONTHS
    named, english, compact = pl.col("named"), pl.col("english"), pl.col("compact")
    named_m = named.struct.field("mon").replace_strict(months, default=None, return_dtype=pl.Int32)
    english_m = english.struct.field("mon").replace_strict(
        months, default=None, return_dtype=pl.Int32
    )
    named_y = named.struct.field("y")
    serial = pl.col("serial")
    serial_date = pl.lit(_EXCEL_EPOCH) + pl.duration(days=serial.clip(0, 2_958_465))
    p, q = _int(compact.struct.field("p")), _int(compact.struct.field("q"))
    # DDMMYYYY unless it reads as a plausible YYYYMMDD (year 1900–2099 first).
    compact_ymd = p.is_between(1900, 2099) & ~q.is_between(1900, 2099)

    is_named = named_m.is_not_null()
    is_english = ~is_named & english_m.is_not_null()
    is_serial = ~is_named & ~is_english & serial.is_not_null()
    is_compact = ~is_named & ~is_english & ~is_serial & p.is_not_null()
    is_year = pl.col("year_only").is_not_null()
    return frame.select(
        "i",
        y=pl.when(is_named & (named_y.str.len_chars() == 2))
        .then(_year2(_int(named_y), today))
        .when(is_named)
        .then(_int(named_y))
        .when(is_english)
        .then(_int(english.struct.field("y")))
        .when(is_serial)
        .then(serial_date.dt.year().cast(pl.Int32))
        .when(is_compact & compact_ymd)
        .then(p)
        .when(is_compact)
        .then(q)
        .when(is_year)
        .then(pl.col("year_only")),
        m=pl.when(is_named)
        .then(named_m)
        .when(is_english)
        .then(english_m)
        .when(is_serial)
        .then(serial_date.dt.month().cast(pl.Int32))
        .when(is_compact & compact_ymd)
        .then(q // 100)
        .when(is_compact)
        .then(p % 100),
        d=pl.when(is_named)
        .then(_int(named.struct.field("d")))
        .when(is_english)
        .then(_int(english.struct.field("d")))
        .when(is_serial)
        .then(serial_date.dt.day().cast(pl.Int32))
        .when(is_compact & compact_ymd)
        .then(q % 100)
        .when(is_compact)
        .then(p // 100),
        kind=pl.when(is_named | is_english | is_serial | is_compact)
        .then(pl.lit(1, pl.Int8))
        .when(is_year)
        .then(pl.lit(2, pl.Int8)),
    )


# --- SEX -----------------------------------------------------------------------------------------

#: Accepted spellings (lowercase, letters and digits only) → "L" / "P". "1"/"2" are the codes
#: used by BPS, DTKS/P3KE and Dukcapil exports (1 = laki-laki, 2 = perempuan).
SEXES: dict[str, str] = {
    **dict.fromkeys(
        (
            "l",
            "lk",
            "lakilaki",
            "laki",
            "laki2",
            "lelaki",
            "pria",
            "cowok",
            "m",
            "male",
            "man",
            "1",
        ),
        "L",
    ),
    **dict.fromkeys(
        ("p", "pr", "pw", "perempuan", "wanita", "cewek", "w", "f", "female", "woman", "2"), "P"
    ),
}


def parse_sex(raw: pl.Series, field: Field | None = None) -> Parsed:
    """L/P, Laki-laki/Laki laki/Pria/LK, Perempuan/Wanita/PR/W, M/F, Male/Female, 1/2 → "L"/"P"."""
    key = _key(raw).str.replace_all(r"[^a-z0-9]", "")
    parsed = key.replace_strict(SEXES, default=None, return_dtype=pl.String)
    problem = (
        pl.select(
            pl.when(key.is_not_null() & parsed.is_null()).then(
                pl.format(
                    "Jenis kelamin '{}' tidak dikenali; tulis L (laki-laki) atau P (perempuan)",
                    _shown(pl.lit(clean_text(raw))),
                )
            )
        )
        .to_series()
        .cast(pl.String)
    )
    return _finish(raw, parsed, problem)


# --- numbers -------------------------------------------------------------------------------------

_MULTIPLIERS = {"jt": 1_000_000, "juta": 1_000_000, "rb": 1_000, "ribu": 1_000, "k": 1_000}


def _number_parts(text: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Integer digits, fraction digits (or null) and whether the text was a number at all.

    Indonesian style ``1.500.000,50``, English style ``1,500,000.50``, plain ``1500000`` and
    ``1500000.0``/``1500000,5`` (one decimal separator followed by 1–2 digits, or any number of
    digits when ``loose_fraction``)."""
    dot_thousands = text.str.contains(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
    comma_thousands = text.str.contains(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
    decimal = text.str.contains(r"^\d+[.,]\d+$")
    plain = text.str.contains(r"^\d+$")
    whole = (
        pl.when(dot_thousands)
        .then(text.str.replace(r",\d*$", "").str.replace_all(r"\.", ""))
        .when(comma_thousands)
        .then(text.str.replace(r"\.\d*$", "").str.replace_all(",", ""))
        .when(decimal)
        .then(text.str.extract(r"^(\d+)", 1))
        .when(plain)
        .then(text)
    )
    fraction = (
        pl.when(dot_thousands)
        .then(text.str.extract(r",(\d+)$", 1))
        .when(comma_thousands)
        .then(text.str.extract(r"\.(\d+)$", 1))
        .when(decimal)
        .then(text.str.extract(r"[.,](\d+)$", 1))
    )
    return whole, fraction, whole.is_not_null()


def parse_money(raw: pl.Series, field: Field | None = None) -> Parsed:
    """Rupiah amounts → Int64: ``Rp 1.500.000``, ``Rp1.500.000,00``, ``1,500,000``, ``1500000``,
    ``1.500.000,-``, ``1,5 jt``/``1.5 juta``, ``750 rb``; rounded to whole Rupiah.

    Problems: unreadable text, negative amounts, and amounts outside ``field.minimum`` /
    ``field.maximum``.
    """
    shown = clean_text(raw)
    t = shown.str.to_lowercase().str.replace_all(r"\s", "")
    frame = pl.DataFrame({"t": t, "o": shown}).with_columns(
        negative=pl.col("t").str.contains(r"^(?:-|\(.*\)$|(?:rp|idr)\.?-)"),
    )
    s = (
        pl.col("t")
        .str.replace(r"^\((.*)\)$", "$1")
        .str.replace(r"^-", "")
        .str.replace(r"^(?:rp|idr)\.?", "")
        .str.replace(r"^-", "")
        .str.replace(r"(?:,-|\.-|-)$", "")
    )
    frame = frame.with_columns(s=s).with_columns(
        suffix=pl.col("s").str.extract(r"(jt|juta|rb|ribu|k)$", 1),
        s=pl.col("s").str.replace(r"(jt|juta|rb|ribu|k)$", ""),
    )
    whole, fraction, ok = _number_parts(pl.col("s"))
    scientific = pl.col("s").str.contains(r"^\d+(?:\.\d+)?e[+]?\d{1,3}$")
    multiplier = pl.col("suffix").replace_strict(_MULTIPLIERS, default=1, return_dtype=pl.Float64)
    amount = (
        pl.when(ok)
        .then(
            pl.concat_str(whole, pl.lit("."), fraction.fill_null("0")).cast(
                pl.Float64, strict=False
            )
        )
        .when(scientific)
        .then(pl.col("s").cast(pl.Float64, strict=False))
        * multiplier
    ).round(0)
    frame = frame.with_columns(amount=amount)
    amt = pl.col("amount")
    maximum = field.maximum if field and field.maximum is not None else None
    minimum = field.minimum if field and field.minimum is not None else 0
    problem = (
        pl.when(pl.col("t").is_null())
        .then(None)
        .when(amt.is_null() | amt.is_nan())
        .then(
            pl.format(
                "Jumlah uang '{}' tidak dikenali; tulis angka, misalnya 1500000 atau Rp 1.500.000",
                _shown(pl.col("o")),
            )
        )
        .when(pl.col("negative"))
        .then(pl.lit("Jumlah uang tidak boleh negatif"))
        .when(amt < minimum)
        .then(pl.lit(f"Jumlah uang kurang dari batas {rupiah(minimum)}"))
    )
    if maximum is not None:
        problem = problem.when(amt > maximum).then(
            pl.lit(f"Jumlah uang melebihi batas {rupiah(maximum)}")
        )
    else:
        problem = problem.when(amt >= 2.0**62).then(pl.lit("Jumlah uang terlalu besar"))
    result = frame.select(
        value=pl.when(amt.abs() < 2.0**62).then(amt).cast(pl.Int64),
        problem=problem.cast(pl.String),
    )
    return _finish(raw, result["value"], result["problem"])


def parse_int(raw: pl.Series, field: Field | None = None) -> Parsed:
    """Whole numbers → Int64: ``7``, ``1.000``/``1,000`` (thousands), ``7.0`` (from Excel).

    Problems: not a whole number, or outside ``field.minimum`` .. ``field.maximum``.
    """
    shown = clean_text(raw)
    t = shown.str.to_lowercase().str.replace_all(r"\s", "")
    frame = pl.DataFrame({"t": t, "o": shown}).with_columns(
        sign=pl.col("t").str.extract(r"^([-+])", 1),
        s=pl.col("t").str.replace(r"^[-+]", ""),
    )
    s = pl.col("s")
    digits = (
        pl.when(s.str.contains(r"^\d+$"))
        .then(s)
        .when(s.str.contains(r"^\d{1,3}(?:[.,]\d{3})+$"))  # 1.000 → a thousand, as in Indonesia
        .then(s.str.replace_all(r"[.,]", ""))
        .when(s.str.contains(r"^\d+[.,]0+$"))  # 7.0 from a spreadsheet
        .then(s.str.replace(r"[.,]0+$", ""))
    )
    number = digits.str.slice(0, 18).cast(pl.Int64, strict=False)
    too_long = digits.str.len_chars() > 18
    value = pl.when(pl.col("sign") == "-").then(-number).otherwise(number)
    frame = frame.with_columns(value=pl.when(~too_long).then(value), too_long=too_long)
    v = pl.col("value")
    lo = field.minimum if field else None
    hi = field.maximum if field else None
    problem = (
        pl.when(pl.col("t").is_null())
        .then(None)
        .when(pl.col("too_long"))
        .then(pl.lit("Angka terlalu besar"))
        .when(v.is_null())
        .then(pl.format("'{}' bukan bilangan bulat", _shown(pl.col("o"))))
    )
    if lo is not None and hi is not None:
        problem = problem.when(~v.is_between(lo, hi)).then(
            pl.format(
                "Nilai {} di luar rentang {}–{}", v, pl.lit(thousands(lo)), pl.lit(thousands(hi))
            )
        )
    elif lo is not None:
        problem = problem.when(v < lo).then(
            pl.format("Nilai {} kurang dari batas {}", v, pl.lit(thousands(lo)))
        )
    elif hi is not None:
        problem = problem.when(v > hi).then(
            pl.format("Nilai {} melebihi batas {}", v, pl.lit(thousands(hi)))
        )
    result = frame.select(value=v, problem=problem.cast(pl.String))
    return _finish(raw, result["value"], result["problem"])


# --- codes ---------------------------------------------------------------------------------------


def parse_region(raw: pl.Series, field: Field | None = None) -> Parsed:
    """Kemendagri region codes, dotted or not → dotted: ``6472011001`` → ``64.72.01.1001``,
    ``64.72`` stays; ``64.1`` (a number 64.10 that lost its trailing zero in Excel) → ``64.10``.

    Only the shape is checked (2, 4, 6 or 10 digits); whether the code exists is the loader's
    job, against the region table.
    """
    shown = clean_text(raw)
    t = shown.str.to_lowercase().str.replace_all(r"\s", "")
    t = t.str.replace(r"^(\d{2})\.(\d)$", "${1}.${2}0")
    digits = t.str.replace_all(r"[.\-/]", "")
    shaped = t.str.contains(r"^\d{2}(?:[.\-/]\d{2}(?:[.\-/]\d{2}(?:[.\-/]\d{4})?)?)?$") | (
        t.str.contains(r"^\d+$") & digits.str.len_chars().is_in([2, 4, 6, 10])
    )
    dotted = pl.concat_str(
        [
            digits.str.slice(0, 2),
            pl.when(digits.str.len_chars() >= 4).then("." + digits.str.slice(2, 2)),
            pl.when(digits.str.len_chars() >= 6).then("." + digits.str.slice(4, 2)),
            pl.when(digits.str.len_chars() >= 10).then("." + digits.str.slice(6, 4)),
        ],
        ignore_nulls=True,
    )
    frame = pl.DataFrame({"t": t, "o": shown, "digits": digits, "ok": shaped}).select(
        value=pl.when(pl.col("ok")).then(dotted.replace("", None)),
        problem=pl.when(pl.col("t").is_not_null() & ~pl.col("ok").fill_null(False))
        .then(
            pl.format(
                "Kode wilayah '{}' tidak dikenali; tulis kode Kemendagri, misalnya 64.72 "
                "(kabupaten/kota), 64.72.01 (kecamatan) atau 64.72.01.1001 (desa/kelurahan)",
                _shown(pl.col("o")),
            )
        )
        .cast(pl.String),
    )
    frame = frame.with_columns(pl.col("value").cast(pl.String))
    return _finish(raw, frame["value"], frame["problem"])


def _choice_key(expr: pl.Series) -> pl.Series:
    return _key(expr).str.replace_all(r"[\s_\-]+", " ").str.strip_chars(" ")


def _choice_map(choices: Mapping[str, str]) -> dict[str, str]:
    keys = list(choices) + list(dict.fromkeys(choices.values()))
    values = list(choices.values()) + list(dict.fromkeys(choices.values()))
    normalised = _choice_key(pl.Series(keys, dtype=pl.String)).to_list()
    mapping: dict[str, str] = {}
    for key, value in zip(normalised, values, strict=True):
        if key:
            mapping.setdefault(key, value)
    return mapping


def _choices_text(choices: Mapping[str, str]) -> str:
    return ", ".join(dict.fromkeys(choices.values()))


def parse_enum(raw: pl.Series, field: Field | None = None) -> Parsed:
    """One of ``field.choices`` (case-, space-, underscore- and dash-insensitive; the stored
    values themselves are accepted too) → the stored value."""
    choices = field.choices if field else {}
    key = _choice_key(raw)
    parsed = key.replace_strict(_choice_map(choices), default=None, return_dtype=pl.String)
    label = field.label if field else "Nilai"
    problem = (
        pl.select(
            pl.when(key.is_not_null() & parsed.is_null()).then(
                pl.format(
                    "{} '{}' tidak dikenali; pilihan: {}",
                    pl.lit(label),
                    _shown(pl.lit(clean_text(raw))),
                    pl.lit(_choices_text(choices)),
                )
            )
        )
        .to_series()
        .cast(pl.String)
    )
    return _finish(raw, parsed, problem)


_LIST_FILLERS = ["dan", "and", "plus", "serta"]


def parse_list(raw: pl.Series, field: Field | None = None) -> Parsed:
    """Codes separated by ``,`` ``;`` ``/`` ``+`` ``&``, spaces or "dan" → canonical, sorted,
    unique, comma-joined stored values: ``"jkm / JKK"`` → ``"JKK,JKM"``."""
    choices = field.choices if field else {}
    mapping = _choice_map(choices)
    label = field.label if field else "Nilai"
    key = _key(raw)
    frame = pl.DataFrame({"t": key}).with_row_index("i")
    tokens = (
        frame.select(
            "i",
            token=pl.col("t").str.extract_all(r"[\p{L}\p{N}]+").list.set_difference(_LIST_FILLERS),
        )
        .explode("token")
        .filter(pl.col("token").is_not_null())
        .with_columns(
            value=pl.col("token").replace_strict(mapping, default=None, return_dtype=pl.String)
        )
    )
    grouped = tokens.group_by("i").agg(
        value=pl.col("value").drop_nulls().unique().sort().str.join(","),
        unknown=pl.col("token").filter(pl.col("value").is_null()).unique(maintain_order=True),
    )
    frame = frame.join(grouped, on="i", how="left").sort("i")
    unknown = pl.col("unknown")
    problem = pl.when(pl.col("t").is_not_null() & (unknown.list.len() > 0)).then(
        pl.format(
            "{} '{}' tidak dikenali; pilihan: {}",
            pl.lit(label),
            _shown(unknown.list.join(", ").str.to_uppercase()),
            pl.lit(_choices_text(choices)),
        )
    )
    result = frame.select(
        value=pl.when(pl.col("value") != "").then(pl.col("value")),
        problem=problem.cast(pl.String),
    )
    return _finish(raw, result["value"], result["problem"])


def parse_nik(raw: pl.Series, field: Field | None = None) -> Parsed:
    """Normalised NIK (see :func:`lindung.nik.check_series`); problem = its message unless
    valid or blank. The validator calls ``check_series`` itself to keep ``nik_status``."""
    from lindung import nik

    checked = nik.check_series(_as_text(raw))
    problem = pl.select(
        pl.when(checked["nik_status"].is_in(["valid", "kosong"]).not_()).then(
            checked["nik_message"]
        )
    ).to_series()
    value = pl.select(pl.when(checked["nik"] != "").then(checked["nik"])).to_series()
    return value.alias(raw.name), problem.cast(pl.String).alias("problem")


PARSERS: dict[FieldKind, Callable[..., Parsed]] = {
    FieldKind.NIK: parse_nik,
    FieldKind.TEXT: parse_text,
    FieldKind.DATE: parse_date,
    FieldKind.SEX: parse_sex,
    FieldKind.INT: parse_int,
    FieldKind.MONEY: parse_money,
    FieldKind.REGION: parse_region,
    FieldKind.ENUM: parse_enum,
    FieldKind.LIST: parse_list,
}


#: Columns at least this long are parsed once per distinct value when values repeat a lot
#: (sex, dates, region codes, amounts …): far faster on large files.
DEDUPE_MIN_ROWS = 5_000
_DEDUPE_SAMPLE = 10_000


def parse_column(raw: pl.Series, field: Field, *, today: date | None = None) -> Parsed:
    """Parse ``raw`` with the parser for ``field.kind``.

    Large columns with many repeated values are parsed once per distinct value and joined back;
    the result is the same row for row."""
    raw = _as_text(raw)

    def run(values: pl.Series) -> Parsed:
        if field.kind is FieldKind.DATE:
            return parse_date(values, field, today=today)
        return PARSERS[field.kind](values, field)

    if field.kind is FieldKind.NIK or len(raw) < DEDUPE_MIN_ROWS:
        return run(raw)
    if field.kind is FieldKind.TEXT and raw.head(_DEDUPE_SAMPLE).n_unique() * 2 > min(
        len(raw), _DEDUPE_SAMPLE
    ):
        return run(raw)  # mostly distinct (names, addresses): nothing to gain
    distinct = raw.unique()
    if len(distinct) * 2 > len(raw):
        return run(raw)
    values, problem = run(distinct)
    lookup = pl.DataFrame({"k": distinct, "v": values, "p": problem})
    joined = raw.to_frame("k").join(
        lookup, on="k", how="left", nulls_equal=True, maintain_order="left"
    )
    return joined["v"].alias(raw.name), joined["p"].alias("problem")
