"""Write validated import frames into the database: fast, idempotent, all-or-nothing, audited.

Input is the validator's output: a Polars frame with one column per canonical field of the
schema (``lindung.imports.schemas``), ``nik_status`` when the schema has a NIK, and ``__row``
(the row number in the file, for the report). :func:`load` turns it into rows of the target
table, rejecting what the validator cannot know (regions that do not exist, rows outside the
operator's region, repeats of a natural key inside the file) and flagging what it settles on
its own (kecamatan-level region codes, unknown occupations).

How a load works, for a million rows:

1. **Prepare** (Polars; the only query reads the ~1,700 regions it needs): derived columns
   (``name_search``, kecamatan and kab/kota from the desa code, occupation codes), region and
   occupation names resolved once per distinct spelling and joined back, issues as a frame.
2. **Stage** into a TEMP table. PostgreSQL: ``COPY … FROM STDIN`` (psycopg 3) fed with CSV that
   Polars writes in slices. SQLite: ``executemany`` in large batches.
3. **Set-based SQL** inside one ``transaction.atomic()``:

   * match staged rows to stored records by natural key (``target_id``);
   * select old and new values of matched rows that differ (``IS DISTINCT FROM``) and
     bulk-create one audit entry per changed record, field by field, old → new;
   * ``UPDATE … FROM`` the staging table, those rows only;
   * ``INSERT … SELECT`` the rows that matched nothing (SQLite: big inserts into a table at
     most as big as the insert drop and rebuild its indexes, which costs half as much);
   * one summary audit entry (action "import") with the counts.

Any exception rolls everything back. A dry run does all of it and rolls back, so its counts are
exactly what a real load would do. Loading the same frame twice changes nothing the second time
(no updates, no per-record audit entries). Columns absent from the file are neither compared nor
overwritten: a file without an address column leaves stored addresses alone.

Natural keys:

* workers: (proposer, NIK) when the NIK is valid, else (proposer, name key, birth date, NIK
  text) — damaged and missing NIKs are stored with their status, never as "valid";
* participants: (NIK, segment, NPP) when the NIK is valid, else (name key, birth date, NIK
  text, segment, NPP);
* companies: the NIB if present, else the NPWP, else (name key, kab/kota). A file never blanks
  a stored NIB or NPWP, and a record found by a weaker key gets the stronger key filled in;
* employers: the NPP.
"""

from __future__ import annotations

import io
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from lindung import nik as nik_module
from lindung.audit.models import AuditEntry
from lindung.audit.services import acting_as, current_actor, record
from lindung.compliance.models import Company, Employer
from lindung.compliance.names import company_name_key_expr
from lindung.matching.models import Participant
from lindung.regions.models import Region
from lindung.registry.models import Worker, WorkerStatus
from lindung.registry.names import search_key
from lindung.registry.occupations import classify

__all__ = [
    "ISSUE_SCHEMA",
    "KINDS",
    "LoadContext",
    "LoadResult",
    "load",
    "search_key_expr",
    "search_key_series",
]

KALTIM = "64"
REJECT = "ditolak"
FLAG = "ditandai"
ISSUE_SCHEMA: dict[str, Any] = {
    "row": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "problem": pl.String,
    "severity": pl.String,
}
NIK_STATUSES = ("valid", "rusak", "tidak_valid", "kosong")
INT_MAX = 2_147_483_647  # PositiveIntegerField on PostgreSQL

#: Rows per slice written to COPY (PostgreSQL) or per executemany batch (SQLite).
STAGE_BATCH = 100_000
#: SQLite page cache during a load, KiB (pages are only allocated when used).
SQLITE_CACHE_KIB = 262_144
#: SQLite: an insert of at least this many rows, and at least as many as the table holds,
#: drops the table's indexes and rebuilds them afterwards.
SQLITE_REBUILD_MIN_ROWS = 50_000
#: Changed records per audit bulk_create.
AUDIT_BATCH = 5_000


# --- public API -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadContext:
    """Who loads what, for whom.

    ``user``: recorded as the actor (None: whoever :func:`acting_as` set, e.g. "cli").
    ``proposer_code``: the proposing office for workers, "64" (province) or a kab/kota code.
    ``scope_kabkota``: an operator's kab/kota; rows outside it are rejected (None for
    province-wide roles and the command line). ``dry_run``: do everything, store nothing.
    """

    user: Any = None
    proposer_code: str | None = None
    source: str = ""
    scope_kabkota: str | None = None
    dry_run: bool = False


def _no_issues() -> pl.DataFrame:
    return pl.DataFrame(schema=ISSUE_SCHEMA)


@dataclass
class LoadResult:
    """Counts of one load; ``issues`` lists the rows the loader rejected or flagged."""

    kind: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    flagged: int = 0
    issues: pl.DataFrame = field(default_factory=_no_issues)
    dry_run: bool = False
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


KINDS = ("workers", "participants", "companies", "employers")


def load(kind: str, rows: pl.DataFrame, *, context: LoadContext) -> LoadResult:
    """Load a validated frame of ``kind`` into its table in one transaction (see module doc)."""
    if kind not in KINDS:
        raise ValueError(f"Jenis impor tidak dikenal: {kind!r}")
    started = time.perf_counter()
    clock = _Clock()
    actor = current_actor()
    as_user = context.user is not None and actor.user is not context.user
    with acting_as(context.user, ip=actor.ip) if as_user else nullcontext():
        regions = _Regions.load()
        frame = rows.with_row_index("__i")
        if "__row" not in frame.columns:  # hand-made frames: file rows start at 2
            frame = frame.with_columns((pl.col("__i").cast(pl.Int64) + 2).alias("__row"))
        prepared = _PREPARERS[kind](frame, context, regions)
        clock.lap("prepare")
        result = _write(kind, prepared, context, clock)
    result.seconds = time.perf_counter() - started
    result.timings = clock.timings
    return result


def search_key_expr(names: pl.Expr) -> pl.Expr:
    """:func:`lindung.registry.names.search_key` for ASCII text, as a Polars expression."""
    return (
        names.str.to_lowercase()
        .str.replace_all(r"[^a-z0-9 ]+", " ")
        .str.replace_all(r" {2,}", " ")
        .str.strip_chars(" ")
    )


def search_key_series(names: pl.Series) -> pl.Series:
    """``search_key`` of every value: Polars for ASCII values, the Python function otherwise.

    Unicode normalisation tables differ between Python and Rust releases, so the few
    non-ASCII names ("Bahrúddin") go through the reference function itself: the result is
    identical to ``[search_key(n) for n in names]`` (nulls become "").
    """
    names = names.cast(pl.String).fill_null("")
    out = pl.select(search_key_expr(pl.lit(names))).to_series().alias(names.name)
    non_ascii = (names.str.len_bytes() != names.str.len_chars()).arg_true()
    if non_ascii.len():
        out = out.scatter(non_ascii, [search_key(v) for v in names.gather(non_ascii).to_list()])
    return out


# --- preparation: shared pieces ---------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


def _issues(
    frame: pl.DataFrame,
    when: pl.Expr,
    column: str,
    value: pl.Expr | None,
    problem: pl.Expr | str,
    severity: str = REJECT,
) -> pl.DataFrame:
    """The issue rows (``__i`` + :data:`ISSUE_SCHEMA`) for the rows of ``frame`` where ``when``."""
    return frame.filter(when).select(
        pl.col("__i"),
        pl.col("__row").cast(pl.Int64).alias("row"),
        pl.lit(column, dtype=pl.String).alias("column"),
        (value if value is not None else pl.lit(None)).cast(pl.String).alias("value"),
        (pl.lit(problem) if isinstance(problem, str) else problem).cast(pl.String).alias("problem"),
        pl.lit(severity, dtype=pl.String).alias("severity"),
    )


class _Col(NamedTuple):
    """One stage column taken from one file column."""

    target: str
    source: str
    kind: str  # text | upper | lower | compact | digits | list | date | int
    max_length: int = 0


def _column_exprs(frame: pl.DataFrame, columns: Sequence[_Col]) -> tuple[list[pl.Expr], set[str]]:
    """Expressions for the stage columns and the set of those the file actually has.

    Text becomes "" when missing (the model's CharFields are NOT NULL), dates and numbers
    stay null; text is stripped and capped at the column's length.
    """
    exprs: list[pl.Expr] = []
    present: set[str] = set()
    for col in columns:
        if col.source in frame.columns:
            present.add(col.target)
            raw = pl.col(col.source)
        else:
            raw = pl.lit(None)
        if col.kind == "date":
            expr = raw.cast(pl.Date, strict=False)
        elif col.kind == "int":
            expr = raw.cast(pl.Int64, strict=False)
        else:
            text = raw.cast(pl.String).str.strip_chars().fill_null("")
            expr = {
                "text": text,
                "upper": text.str.to_uppercase(),
                "lower": text.str.to_lowercase(),
                "compact": text.str.replace_all(r"\s+", ""),
                "digits": text.str.replace_all(r"\D", ""),
                "list": text.str.to_uppercase().str.replace_all(r"\s+", ""),
            }[col.kind].str.slice(0, col.max_length)
        exprs.append(expr.alias(col.target))
    return exprs, present


def _nik_and_status(frame: pl.DataFrame) -> pl.DataFrame:
    """``nik`` (text, ≤ 32 chars) and ``nik_status``; "valid" only for 16 digits, ever."""
    if "nik" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("nik"))
    if "nik_status" not in frame.columns:  # hand-made frames: check here
        checked = nik_module.check_series(frame.get_column("nik"))
        frame = frame.with_columns(nik=checked["nik"], nik_status=checked["nik_status"])
    nik = pl.col("nik").cast(pl.String).fill_null("").str.strip_chars()
    status = pl.col("nik_status").cast(pl.String)
    return frame.with_columns(
        pl.when(nik == "")
        .then(pl.lit("kosong"))
        .when(status.is_null() | ~status.is_in(NIK_STATUSES))
        .then(pl.lit("tidak_valid"))
        .when((status == "valid") & ~nik.str.contains(r"^\d{16}$"))
        .then(pl.lit("tidak_valid"))
        .otherwise(status)
        .alias("nik_status"),
        nik.str.slice(0, 32).alias("nik"),
    )


def _name_search(frame: pl.DataFrame) -> pl.DataFrame:
    key = search_key_series(frame.get_column("name")).str.slice(0, 150)
    return frame.with_columns(key.alias("name_search"))


def _out_of_range(frame: pl.DataFrame, column: str, source: str, maximum: int) -> pl.DataFrame:
    """Rows whose number does not fit the column (the validator should have caught them)."""
    value = pl.col(column)
    bad = value.is_not_null() & ((value < 0) | (value > maximum))
    return _issues(
        frame, bad, source, value, f"Nilai di luar rentang 0–{maximum:_}".replace("_", ".")
    )


def _blank(frame: pl.DataFrame, column: str, source: str, label: str) -> pl.DataFrame:
    return _issues(frame, pl.col(column) == "", source, None, f"{label} kosong")


def _not_in(
    frame: pl.DataFrame, column: str, source: str, allowed: Sequence[str], message: str
) -> pl.DataFrame:
    value = pl.col(column)
    return _issues(frame, (value != "") & ~value.is_in(list(allowed)), source, value, message)


def _outside_scope(
    frame: pl.DataFrame, context: LoadContext, regions: _Regions, column: str
) -> list[pl.DataFrame]:
    scope = context.scope_kabkota
    if not scope:
        return []
    outside = pl.col("kabkota_id").is_null() | (pl.col("kabkota_id") != scope)
    name = regions.names.get(scope, scope)
    return [
        _issues(
            frame,
            outside,
            column,
            pl.col(column) if column in frame.columns else None,
            f"Di luar wilayah kewenangan Anda ({name})",
        )
    ]


def _map_distinct(values: pl.Series, fn: Callable[[str], Any], dtype: Any) -> pl.Series:
    """``fn`` once per distinct value (region names, occupations: a file has few distinct)."""
    mapping = {value: fn(value) for value in values.unique().drop_nulls().to_list()}
    return values.replace_strict(mapping, default=None, return_dtype=dtype)


def _dotted(code: pl.Expr) -> pl.Expr:
    """Dotted Kemendagri code from dotted or plain digits (the validator already dots them)."""
    text = code.cast(pl.String).str.strip_chars()
    digits = text.str.replace_all(r"\D", "")
    parts = [
        digits.str.slice(0, 2),
        digits.str.slice(2, 2),
        digits.str.slice(4, 2),
        digits.str.slice(6),
    ]
    n = digits.str.len_chars()
    return (
        pl.when((text == "") | text.is_null())
        .then(None)
        .when(text.str.contains(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"))
        .then(text)
        .when(n == 10)
        .then(pl.concat_str(parts, separator="."))
        .when(n == 6)
        .then(pl.concat_str(parts[:3], separator="."))
        .when(n == 4)
        .then(pl.concat_str(parts[:2], separator="."))
        .otherwise(text)
    )


# --- regions ----------------------------------------------------------------------------------

_DESA_PREFIXES = ("desa", "kelurahan", "kalurahan", "kel", "ds")
_KEC_PREFIXES = ("kecamatan", "kec")
_KAB_PREFIXES = ("kabupaten", "kab", "kotamadya", "kodya", "kota", "pemkab", "pemkot")

#: Short names of the Kaltim kab/kota used in files (keys as made by ``_region_key``).
KABKOTA_ALIASES: dict[str, str] = {
    "kukar": "64.02", "kutai kertanegara": "64.02", "kubar": "64.07", "kutim": "64.08",
    "ppu": "64.09", "penajam": "64.09", "pasir": "64.01", "mahulu": "64.11", "bpp": "64.71",
    "bpn": "64.71", "smd": "64.72",
}  # fmt: skip
_CODE_TEXT = re.compile(r"^[\d.\s]+$")


def _region_key(text: str, prefixes: Sequence[str] = ()) -> str:
    """Region name key: apostrophes dropped ("Long La'ai" = "Long Laai"), ``search_key``, and a
    leading level word ("desa", "kec.", "kab.") removed."""
    key = search_key(re.sub(r"['’`]", "", text))
    for prefix in prefixes:
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1 :]
    return key


class _Place(NamedTuple):
    desa: str | None = None
    kecamatan: str | None = None
    kabkota: str | None = None
    column: str = ""
    problem: str = ""
    severity: str = ""


class _Regions:
    """The regions a load needs, read once: Kaltim down to desa, every province and kab/kota."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.rows = rows
        self.names = {code: name for code, name, _level in rows}
        self.levels = {code: level for code, _name, level in rows}
        self.frame = pl.DataFrame(
            [(code, level) for code, _name, level in rows], schema=["code", "level"], orient="row"
        )

    @classmethod
    def load(cls) -> _Regions:
        kaltim = Q(code=KALTIM) | Q(code__startswith=KALTIM + ".")
        rows = Region.objects.filter(kaltim | Q(level__in=("provinsi", "kabkota")))
        return cls(list(rows.values_list("code", "name", "level")))

    def _kaltim(self, level: str) -> dict[str, str]:
        return {c: n for c, n, lvl in self.rows if lvl == level and c.startswith(KALTIM + ".")}

    @cached_property
    def kaltim_kabkota(self) -> dict[str, str]:
        return self._kaltim("kabkota")

    @cached_property
    def _kabkota_keys(self) -> dict[str, str]:
        keys = {
            alias: code for alias, code in KABKOTA_ALIASES.items() if code in self.kaltim_kabkota
        }
        for code, name in self.kaltim_kabkota.items():
            keys[_region_key(name)] = keys[_region_key(name, _KAB_PREFIXES)] = code
        return keys

    def _index(self, level: str, prefixes: Sequence[str]) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for code, name in self._kaltim(level).items():
            index.setdefault(_region_key(name, prefixes), []).append(code)
        return index

    @cached_property
    def _kecamatan(self) -> dict[str, list[str]]:
        return self._index("kecamatan", _KEC_PREFIXES)

    @cached_property
    def _desa(self) -> dict[str, list[str]]:
        return self._index("desa", _DESA_PREFIXES)

    def kabkota_code(self, text: str | None) -> str | None:
        """The Kaltim kab/kota of a code ("64.72", "6472") or a name ("Kab. Paser", "Kukar")."""
        if text is None or not text.strip():
            return None
        if _CODE_TEXT.match(text):
            digits = re.sub(r"\D", "", text)
            code = f"{digits[:2]}.{digits[2:]}" if len(digits) == 4 else text.strip()
            return code if code in self.kaltim_kabkota else None
        keys = self._kabkota_keys
        return keys.get(_region_key(text)) or keys.get(_region_key(text, _KAB_PREFIXES))

    def describe(self, code: str) -> str:
        """ "Sidomulyo (Kec. Anggana, Kabupaten Kutai Kartanegara, 64.02.04.2007)"."""
        parts = code.split(".")
        where = [f"Kec. {self.names.get('.'.join(parts[:3]), '?')}"] if len(parts) > 3 else []
        where += [self.names.get(".".join(parts[:2]), ""), code]
        return f"{self.names.get(code, code)} ({', '.join(w for w in where if w)})"

    def resolve(self, desa: str, kecamatan: str, kabkota: str) -> _Place:
        """The region named by a desa, kecamatan and kab/kota name (any of them may be "").

        One desa: accepted. Only a kecamatan or a kab/kota: accepted and flagged. Names that
        match nothing, or several regions, are rejected (ambiguity lists the candidates).
        """
        kab = self.kabkota_code(kabkota) if kabkota else None
        if kabkota and kab is None:
            return _Place(
                column="kabupaten_kota",
                severity=REJECT,
                problem=f"Kabupaten/kota '{kabkota}' tidak dikenal di Kalimantan Timur",
            )
        kec_codes = (
            self._kecamatan.get(_region_key(kecamatan, _KEC_PREFIXES), []) if kecamatan else None
        )
        where = "".join(
            [f" di Kecamatan {kecamatan}" if kecamatan else "", f" ({kabkota})" if kabkota else ""]
        )
        if desa:
            found = self._desa.get(_region_key(desa, _DESA_PREFIXES), [])
            if kec_codes is not None:
                found = [c for c in found if c.rsplit(".", 1)[0] in kec_codes]
            if kab:
                found = [c for c in found if c.startswith(kab + ".")]
            if len(found) == 1:
                return _Place(found[0], found[0][:8], found[0][:5])
            if not found:
                return _Place(
                    column="desa",
                    severity=REJECT,
                    problem=f"Desa/kelurahan '{desa}' tidak ditemukan di Kalimantan Timur{where}",
                )
            listed = "; ".join(self.describe(c) for c in found[:10])
            return _Place(
                column="desa",
                severity=REJECT,
                problem=(
                    f"Nama desa/kelurahan '{desa}' ambigu, ada {len(found)}: {listed}. "
                    "Lengkapi kecamatan dan kabupaten/kota, atau isi kode wilayah."
                ),
            )
        if kec_codes is not None:
            found = [c for c in kec_codes if not kab or c.startswith(kab + ".")]
            if len(found) == 1:
                return _Place(
                    None,
                    found[0],
                    found[0][:5],
                    "kecamatan",
                    "Hanya kecamatan yang diketahui: desa/kelurahan dikosongkan",
                    FLAG,
                )
            if not found:
                return _Place(
                    column="kecamatan",
                    severity=REJECT,
                    problem=f"Kecamatan '{kecamatan}' tidak ditemukan di Kalimantan Timur{where}",
                )
            listed = "; ".join(self.describe(c) for c in found)
            return _Place(
                column="kecamatan",
                severity=REJECT,
                problem=f"Nama kecamatan '{kecamatan}' ambigu: {listed}. Lengkapi kabupaten/kota.",
            )
        if kab:
            return _Place(
                None,
                None,
                kab,
                "kabupaten_kota",
                "Hanya kabupaten/kota yang diketahui: kecamatan dan desa/kelurahan dikosongkan",
                FLAG,
            )
        return _Place(
            column="kode_wilayah",
            severity=REJECT,
            problem="Wilayah kosong: isi kode wilayah atau nama desa/kelurahan",
        )


def _kabkota_column(frame: pl.DataFrame, regions: _Regions) -> pl.Series:
    """Kaltim kab/kota code of the ``kabupaten_kota`` text column (null when unknown)."""
    if "kabupaten_kota" not in frame.columns:
        return pl.Series("kabkota_id", [None] * frame.height, dtype=pl.String)
    text = frame.get_column("kabupaten_kota").cast(pl.String)
    return _map_distinct(text, regions.kabkota_code, pl.String).alias("kabkota_id")


def _worker_regions(
    frame: pl.DataFrame, regions: _Regions
) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """desa_id, kecamatan_id, kabkota_id from ``kode_wilayah``, else from the region names."""
    cols = frame.columns
    code_column = (
        pl.col("kode_wilayah") if "kode_wilayah" in cols else pl.lit(None, dtype=pl.String)
    )
    # A dictionary lookup, not a join: a join would copy every column of a million rows.
    frame = frame.with_columns(_dotted(code_column).alias("__code"))
    frame = frame.with_columns(
        pl.col("__code").replace_strict(regions.levels, default=None).alias("__level")
    )
    code, level = pl.col("__code"), pl.col("__level")
    in_kaltim = code.str.starts_with(KALTIM + ".")
    frame = frame.with_columns(
        pl.when(level == "desa").then(code).alias("desa_id"),
        pl.when(level == "desa")
        .then(code.str.slice(0, 8))
        .when(level == "kecamatan")
        .then(code)
        .alias("kecamatan_id"),
        pl.when(level.is_in(["desa", "kecamatan", "kabkota"]) & in_kaltim)
        .then(code.str.slice(0, 5))
        .alias("kabkota_id"),
    )
    has_code = code.is_not_null()
    not_kaltim_desa = (level == "provinsi") | ((level == "kabkota") & ~in_kaltim)
    issues = [
        _issues(
            frame, has_code & level.is_null(), "kode_wilayah", code, "Kode wilayah tidak dikenal"
        ),
        _issues(
            frame,
            has_code & not_kaltim_desa,
            "kode_wilayah",
            code,
            "Kode wilayah bukan desa/kelurahan di Kalimantan Timur",
        ),
        _issues(
            frame,
            level == "kecamatan",
            "kode_wilayah",
            code,
            "Kode wilayah tingkat kecamatan, bukan desa/kelurahan: desa dikosongkan",
            FLAG,
        ),
        _issues(
            frame,
            (level == "kabkota") & in_kaltim,
            "kode_wilayah",
            code,
            "Kode wilayah tingkat kabupaten/kota: kecamatan dan desa/kelurahan dikosongkan",
            FLAG,
        ),
    ]
    if "kabupaten_kota" in cols:  # a kab/kota name contradicting the code: flagged, the code wins
        named = _kabkota_column(frame, regions)
        contradicts = (
            pl.col("kabkota_id").is_not_null()
            & named.is_not_null()
            & (named != pl.col("kabkota_id"))
        )
        issues.append(
            _issues(
                frame,
                contradicts,
                "kabupaten_kota",
                pl.col("kabupaten_kota"),
                "Kabupaten/kota tidak sesuai dengan kode wilayah: kode wilayah yang dipakai",
                FLAG,
            )
        )

    by_name = frame.filter(~has_code)
    if not by_name.height:
        return frame, issues
    names = ("desa", "kecamatan", "kabupaten_kota")
    keys = [f"__n_{c}" for c in names]
    given = {
        c: pl.col(c).cast(pl.String).str.strip_chars().fill_null("") for c in names if c in cols
    }
    by_name = by_name.with_columns(
        given.get(c, pl.lit("")).alias(k) for c, k in zip(names, keys, strict=True)
    )
    combos = by_name.select(keys).unique()
    places = [regions.resolve(*combo) for combo in combos.iter_rows()]
    resolved = combos.with_columns(
        pl.Series(f"__p_{name}", [getattr(p, name) for p in places], dtype=pl.String)
        for name in _Place._fields
    )
    by_name = by_name.join(resolved, on=keys, how="left", maintain_order="left")
    for column in (*names, "kode_wilayah"):
        value = pl.col(f"__n_{column}") if column != "kode_wilayah" else None
        for severity in (REJECT, FLAG):
            when = (pl.col("__p_column") == column) & (pl.col("__p_severity") == severity)
            issues.append(_issues(by_name, when, column, value, pl.col("__p_problem"), severity))
    patch = by_name.select(
        "__i",
        pl.col("__p_desa").alias("desa_id"),
        pl.col("__p_kecamatan").alias("kecamatan_id"),
        pl.col("__p_kabkota").alias("kabkota_id"),
    )
    return frame.update(patch, on="__i", how="left"), issues


# --- preparation per kind -----------------------------------------------------------------------


@dataclass
class _Prepared:
    """What a preparer hands to the writer."""

    spec: _Spec
    frame: pl.DataFrame  # __i, __row and the spec's stage columns; rejected rows removed
    issues: pl.DataFrame  # __i + ISSUE_SCHEMA
    present: frozenset[str]  # stage columns the file has: compared and updated
    total: int
    detail: dict[str, Any] = field(default_factory=dict)


def _finish(
    spec: _Spec,
    frame: pl.DataFrame,
    issues: list[pl.DataFrame],
    present: set[str],
    key: Sequence[pl.Expr],
    key_value: pl.Expr,
    key_column: str,
    detail: dict[str, Any] | None = None,
) -> _Prepared:
    """Drop rejected rows, then reject repeats of a natural key inside the file (first wins)."""
    schema = {"__i": pl.UInt32, **ISSUE_SCHEMA}
    found = pl.concat([pl.DataFrame(schema=schema), *issues], how="vertical_relaxed")
    rejected = found.filter(pl.col("severity") == REJECT).get_column("__i").unique()
    kept = frame.select("__i", "__row", *spec.columns)
    if rejected.len():
        kept = kept.filter(~pl.col("__i").is_in(rejected.implode()))
    # Repeats of a key: a 64-bit hash finds the candidates cheaply (no grouping of a million
    # structs), the exact comparison runs on those candidates only.
    candidates = kept.select(pl.struct(key).hash(seed=1).is_duplicated()).to_series()
    if candidates.any():
        suspects = kept.filter(candidates).with_columns(
            pl.col("__row").min().over(pl.struct(key)).alias("__first")
        )
        repeats = suspects.filter(pl.col("__row") != pl.col("__first"))
        if repeats.height:
            message = pl.format("Data ganda dalam file: sama dengan baris {}", pl.col("__first"))
            found = pl.concat(
                [found, _issues(repeats, pl.lit(True), key_column, key_value, message)]
            )
            kept = kept.filter(~pl.col("__i").is_in(repeats.get_column("__i").implode()))
    return _Prepared(
        spec=spec,
        frame=kept,  # in file order, so that new ids follow the file
        issues=found,
        present=frozenset(present),
        total=frame.height,
        detail=detail or {},
    )


_NIK_OR_NAME = pl.when(pl.col("nik") != "").then(pl.col("nik")).otherwise(pl.col("name"))


def _person_key(*extra: str) -> list[pl.Expr]:
    """NIK when valid, else NIK text + name key + birth date; plus ``extra`` columns."""
    valid = pl.col("nik_status") == "valid"
    return [
        valid.alias("valid"),
        pl.col("nik"),
        *(pl.col(c) for c in extra),
        pl.when(valid).then(None).otherwise(pl.col("name_search")).alias("name_search"),
        pl.when(valid).then(None).otherwise(pl.col("birth_date")).alias("birth_date"),
    ]


_WORKER_COLUMNS = (
    _Col("name", "nama", "text", 150),
    _Col("birth_date", "tanggal_lahir", "date"),
    _Col("address", "alamat", "text", 255),
    _Col("monthly_income", "penghasilan_bulanan", "int"),
    _Col("poverty_decile", "desil", "int"),
    _Col("file_source", "sumber_data", "text", 100),
    _Col("sex", "jenis_kelamin", "upper", 1),
)


def _prepare_workers(frame: pl.DataFrame, context: LoadContext, regions: _Regions) -> _Prepared:
    proposer = (context.proposer_code or "").strip()
    if proposer != KALTIM and proposer not in regions.kaltim_kabkota:
        raise ValueError(
            f"Instansi pengusul harus '64' atau kode kab/kota Kaltim, bukan {proposer!r}"
        )
    if context.scope_kabkota and proposer != context.scope_kabkota:
        raise PermissionDenied("Operator kab/kota hanya dapat mengusulkan atas nama instansinya.")

    exprs, present = _column_exprs(frame, _WORKER_COLUMNS)
    frame = _name_search(_nik_and_status(frame).with_columns(exprs))
    present |= {"nik", "nik_status", "name", "desa_id", "kecamatan_id", "kabkota_id"}
    present.discard("file_source")
    # Sex from the file, else from a valid NIK (women: day + 40).
    nik_day = pl.col("nik").str.slice(6, 2).cast(pl.Int32, strict=False)
    from_nik = pl.when(pl.col("nik_status") == "valid").then(
        pl.when(nik_day > 40).then(pl.lit("P")).otherwise(pl.lit("L"))
    )
    sex = pl.col("sex")
    frame = frame.with_columns(
        pl.when(sex.is_in(["L", "P"])).then(sex).otherwise(from_nik).fill_null("").alias("sex"),
        pl.when(pl.col("file_source") != "")
        .then(pl.col("file_source"))
        .otherwise(pl.lit(context.source[:100]))
        .alias("source"),
        pl.lit(proposer).alias("proposer_id"),
    )
    issues = [
        _blank(frame, "name", "nama", "Nama"),
        _out_of_range(frame, "monthly_income", "penghasilan_bulanan", INT_MAX),
        _out_of_range(frame, "poverty_decile", "desil", 10),
        _issues(
            frame,
            pl.col("sex") == "",
            "jenis_kelamin",
            None,
            "Jenis kelamin kosong dan tidak dapat dibaca dari NIK",
            FLAG,
        ),
    ]
    # Occupation: free text → code, each distinct text once.
    if "pekerjaan" in frame.columns:
        text = frame.get_column("pekerjaan").cast(pl.String)
        frame = frame.with_columns(
            _map_distinct(text, lambda t: classify(t)[0], pl.String)
            .fill_null("lainnya")
            .alias("occupation"),
            _map_distinct(text, lambda t: classify(t)[1], pl.Boolean)
            .fill_null(True)
            .alias("__known"),
        )
        issues.append(
            _issues(
                frame,
                ~pl.col("__known"),
                "pekerjaan",
                pl.col("pekerjaan"),
                "Pekerjaan tidak dikenali: dicatat sebagai 'Lainnya'",
                FLAG,
            )
        )
        present.add("occupation")
    else:
        frame = frame.with_columns(pl.lit("lainnya").alias("occupation"))
    frame, region_issues = _worker_regions(frame, regions)
    issues += region_issues
    issues += _outside_scope(frame, context, regions, "kode_wilayah")
    return _finish(
        _WORKERS,
        frame,
        issues,
        present,
        _person_key(),
        _NIK_OR_NAME,
        "nik",
        detail={"proposer": proposer},
    )


_PARTICIPANT_COLUMNS = (
    _Col("name", "nama", "text", 150),
    _Col("birth_date", "tanggal_lahir", "date"),
    _Col("sex", "jenis_kelamin", "upper", 1),
    _Col("segment", "segmen", "upper", 5),
    _Col("status", "status", "upper", 8),
    _Col("npp", "npp", "compact", 20),
    _Col("membership_date", "tanggal_kepesertaan", "date"),
    _Col("programmes", "program", "list", 40),
    _Col("reported_wage", "upah", "int"),
    _Col("payer", "pembayar", "lower", 14),
)


def _prepare_participants(
    frame: pl.DataFrame, context: LoadContext, regions: _Regions
) -> _Prepared:
    exprs, present = _column_exprs(frame, _PARTICIPANT_COLUMNS)
    frame = _name_search(_nik_and_status(frame).with_columns(exprs))
    present |= {"nik", "nik_status", "name", "segment", "status", "npp"}
    # Region: any known code (any level, any province); kab/kota from its first two parts.
    code = (
        _dotted(pl.col("kode_wilayah"))
        if "kode_wilayah" in frame.columns
        else pl.lit(None, dtype=pl.String)
    )
    known = regions.frame.get_column("code").implode()
    kabkota = regions.frame.filter(pl.col("level") == "kabkota").get_column("code").implode()
    frame = frame.with_columns(code.alias("__code")).with_columns(
        pl.when(pl.col("__code").is_in(known)).then(pl.col("__code")).alias("region_id"),
        pl.when(pl.col("__code").str.slice(0, 5).is_in(kabkota))
        .then(pl.col("__code").str.slice(0, 5))
        .alias("kabkota_id"),
        pl.when(pl.col("sex").is_in(["L", "P"]))
        .then(pl.col("sex"))
        .otherwise(pl.lit(""))
        .alias("sex"),
        pl.lit(context.source[:100]).alias("source"),
    )
    if "kode_wilayah" in frame.columns:
        present |= {"region_id", "kabkota_id"}
    unknown_code = pl.col("__code").is_not_null() & pl.col("region_id").is_null()
    no_npp = pl.col("segment").is_in(["PU", "JAKON"]) & (pl.col("npp") == "")
    issues = [
        _blank(frame, "name", "nama", "Nama"),
        _blank(frame, "segment", "segmen", "Segmen"),
        _blank(frame, "status", "status", "Status kepesertaan"),
        _not_in(
            frame, "segment", "segmen", ("PU", "BPU", "JAKON"), "Segmen harus PU, BPU atau JAKON"
        ),
        _not_in(
            frame, "status", "status", ("AKTIF", "NONAKTIF"), "Status harus AKTIF atau NONAKTIF"
        ),
        _not_in(
            frame,
            "payer",
            "pembayar",
            ("mandiri", "pemberi_kerja", "pemerintah", "csr"),
            "Pembayar iuran tidak dikenal",
        ),
        _out_of_range(frame, "reported_wage", "upah", INT_MAX),
        _issues(
            frame,
            unknown_code,
            "kode_wilayah",
            pl.col("__code"),
            "Kode wilayah tidak dikenal: wilayah dikosongkan (kecuali kabupaten/kota)",
            FLAG,
        ),
        _issues(
            frame,
            no_npp,
            "npp",
            None,
            "NPP kosong untuk peserta penerima upah/jasa konstruksi",
            FLAG,
        ),
        *_outside_scope(frame, context, regions, "kode_wilayah"),
    ]
    key = _person_key("segment", "npp")
    return _finish(_PARTICIPANTS, frame, issues, present, key, _NIK_OR_NAME, "nik")


_BUSINESS_COLUMNS = (
    _Col("name", "nama", "text", 200),
    _Col("npwp", "npwp", "digits", 20),
    _Col("address", "alamat", "text", 255),
)


def _business_frame(
    frame: pl.DataFrame, context: LoadContext, regions: _Regions, columns: Sequence[_Col]
) -> tuple[pl.DataFrame, set[str]]:
    exprs, present = _column_exprs(frame, (*_BUSINESS_COLUMNS, *columns))
    frame = frame.with_columns(exprs)
    name_key = pl.select(
        company_name_key_expr(pl.lit(search_key_series(frame["name"])))
    ).to_series()
    frame = frame.with_columns(
        name_key.str.slice(0, 200).alias("name_key"),
        _kabkota_column(frame, regions),
        pl.lit(context.source[:100]).alias("source"),
    )
    if "kabupaten_kota" in frame.columns:
        present.add("kabkota_id")
    return frame, present | {"name"}


def _prepare_companies(frame: pl.DataFrame, context: LoadContext, regions: _Regions) -> _Prepared:
    columns = (
        _Col("nib", "nib", "compact", 20),
        _Col("kbli", "kbli", "compact", 10),
        _Col("size_class", "skala_usaha", "lower", 8),
        _Col("employees_reported", "jumlah_pekerja", "int"),
    )
    frame, present = _business_frame(frame, context, regions, columns)
    kab_text = pl.col("kabupaten_kota") if "kabupaten_kota" in frame.columns else None
    issues = [
        _blank(frame, "name", "nama", "Nama perusahaan"),
        _issues(
            frame,
            pl.col("kabkota_id").is_null(),
            "kabupaten_kota",
            kab_text,
            "Kabupaten/kota tidak dikenal di Kalimantan Timur",
        ),
        _not_in(
            frame,
            "size_class",
            "skala_usaha",
            ("mikro", "kecil", "menengah", "besar"),
            "Skala usaha tidak dikenal",
        ),
        _out_of_range(frame, "employees_reported", "jumlah_pekerja", INT_MAX),
        *_outside_scope(frame, context, regions, "kabupaten_kota"),
    ]
    has_nib, has_npwp = pl.col("nib") != "", pl.col("npwp") != ""
    key = [
        pl.when(has_nib)
        .then(pl.lit("nib"))
        .when(has_npwp)
        .then(pl.lit("npwp"))
        .otherwise(pl.lit("nama"))
        .alias("by"),
        pl.when(has_nib).then("nib").when(has_npwp).then("npwp").otherwise("name_key").alias("key"),
        pl.when(has_nib | has_npwp).then(None).otherwise("kabkota_id").alias("kabkota_id"),
    ]
    shown = pl.when(has_nib).then("nib").when(has_npwp).then("npwp").otherwise("name")
    return _finish(_COMPANIES, frame, issues, present, key, shown, "nama")


def _prepare_employers(frame: pl.DataFrame, context: LoadContext, regions: _Regions) -> _Prepared:
    columns = (
        _Col("npp", "npp", "compact", 20),
        _Col("workforce_registered", "tenaga_kerja_terdaftar", "int"),
        _Col("programmes", "program", "list", 40),
        _Col("average_wage", "rata_rata_upah", "int"),
    )
    frame, present = _business_frame(frame, context, regions, columns)
    kab_text = pl.col("kabupaten_kota") if "kabupaten_kota" in frame.columns else None
    unknown_kab = pl.col("kabkota_id").is_null() & (
        kab_text.str.strip_chars() != "" if kab_text is not None else pl.lit(False)
    )
    issues = [
        _blank(frame, "name", "nama", "Nama pemberi kerja"),
        _blank(frame, "npp", "npp", "NPP"),
        _issues(
            frame,
            unknown_kab.fill_null(False),
            "kabupaten_kota",
            kab_text,
            "Kabupaten/kota tidak dikenal di Kalimantan Timur: dikosongkan",
            FLAG,
        ),
        _out_of_range(frame, "workforce_registered", "tenaga_kerja_terdaftar", INT_MAX),
        _out_of_range(frame, "average_wage", "rata_rata_upah", INT_MAX),
        *_outside_scope(frame, context, regions, "kabupaten_kota"),
    ]
    return _finish(_EMPLOYERS, frame, issues, present, [pl.col("npp")], pl.col("npp"), "npp")


_PREPARERS: dict[str, Callable[[pl.DataFrame, LoadContext, _Regions], _Prepared]] = {
    "workers": _prepare_workers,
    "participants": _prepare_participants,
    "companies": _prepare_companies,
    "employers": _prepare_employers,
}


# --- what is written where ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    """How one model is written: stage columns, natural-key matchers and audited fields."""

    model: type[models.Model]
    columns: tuple[str, ...]  # stage columns = inserted columns (attnames)
    compare: tuple[str, ...]  # a difference here makes an update (and an audit entry)
    follow: tuple[str, ...]  # rewritten by an update, never the reason for one
    #: SQL conditions on stage ``s`` and table ``t``, tried in order: the first match wins
    matchers: tuple[str, ...]
    describe: Callable[[dict[str, Any]], str]  # object_repr of an audit entry, from new values
    repr_columns: tuple[str, ...] = ("name",)
    created_field: str = "created_at"
    updated_field: str = "updated_at"
    insert_constants: tuple[tuple[str, Any], ...] = ()
    #: a blank in the file never blanks these (NIB, NPWP: keys learnt from other sources)
    keep_when_blank: tuple[str, ...] = ()
    #: matchers may lead two staged rows to one record: the first keeps it, the others insert
    cascade: bool = False

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


#: Derived keys are rewritten with the name but, like in ``track()``, not audited.
_DERIVED = frozenset({"name_search", "name_key"})


def _masked(values: dict[str, Any]) -> str:
    return f"{values.get('name', '')} ({nik_module.mask(values.get('nik') or '')})"


_VALID = "s.nik_status = 'valid' AND t.nik_status = 'valid' AND t.nik = s.nik"
_NOT_VALID = (
    "s.nik_status <> 'valid' AND t.nik_status <> 'valid' AND t.nik = s.nik "
    "AND t.name_search = s.name_search "
    "AND (t.birth_date = s.birth_date OR (t.birth_date IS NULL AND s.birth_date IS NULL))"
)

_WORKERS = _Spec(
    model=Worker,
    columns=("nik", "nik_status", "name", "name_search", "birth_date", "sex", "address", "desa_id",
             "kecamatan_id", "kabkota_id", "occupation", "monthly_income", "poverty_decile",
             "proposer_id", "source"),
    compare=("nik", "nik_status", "name", "birth_date", "sex", "address", "desa_id", "kecamatan_id",
             "kabkota_id", "occupation", "monthly_income", "poverty_decile"),
    follow=("name_search", "source"),
    matchers=(f"{_VALID} AND t.proposer_id = s.proposer_id",
              f"{_NOT_VALID} AND t.proposer_id = s.proposer_id"),
    insert_constants=(("status", WorkerStatus.PROPOSED.value),),
    repr_columns=("name", "nik"),
    describe=_masked,
)  # fmt: skip

_PARTICIPANTS = _Spec(
    model=Participant,
    columns=("nik", "nik_status", "name", "name_search", "birth_date", "sex", "segment", "status",
             "npp", "region_id", "kabkota_id", "membership_date", "programmes", "reported_wage",
             "payer", "source"),
    compare=("nik", "nik_status", "name", "birth_date", "sex", "status", "region_id", "kabkota_id",
             "membership_date", "programmes", "reported_wage", "payer"),
    follow=("name_search", "source"),
    matchers=(f"{_VALID} AND t.segment = s.segment AND t.npp = s.npp",
              f"{_NOT_VALID} AND t.segment = s.segment AND t.npp = s.npp"),
    created_field="imported_at",
    repr_columns=("name", "nik", "segment"),
    describe=lambda v: f"{_masked(v)[:-1]}, {v.get('segment', '')})",
)  # fmt: skip

_COMPANIES = _Spec(
    model=Company,
    columns=("name", "name_key", "nib", "npwp", "address", "kabkota_id", "kbli", "size_class",
             "employees_reported", "source"),
    compare=("name", "nib", "npwp", "address", "kabkota_id", "kbli", "size_class",
             "employees_reported"),
    follow=("name_key", "source"),
    matchers=(
        "s.nib <> '' AND t.nib = s.nib",
        # the NPWP key of a record without NIB (a NIB in the file fills it in) …
        "s.npwp <> '' AND t.nib = '' AND t.npwp = s.npwp",
        # … or of any record when the file has no NIB either
        "s.nib = '' AND s.npwp <> '' AND t.npwp = s.npwp",
        # the name key of a record without NIB and NPWP (the file may fill them in) …
        "t.nib = '' AND t.npwp = '' AND t.kabkota_id = s.kabkota_id AND t.name_key = s.name_key",
        # … or of any record when the file has neither
        "s.nib = '' AND s.npwp = '' AND t.kabkota_id = s.kabkota_id AND t.name_key = s.name_key",
    ),
    keep_when_blank=("nib", "npwp"),
    cascade=True,
    describe=lambda v: str(v.get("name", "")),
)  # fmt: skip

_EMPLOYERS = _Spec(
    model=Employer,
    columns=("npp", "name", "name_key", "npwp", "address", "kabkota_id", "workforce_registered",
             "programmes", "average_wage", "source"),
    compare=("name", "npwp", "address", "kabkota_id", "workforce_registered", "programmes",
             "average_wage"),
    follow=("name_key", "source"),
    matchers=("t.npp = s.npp",),
    keep_when_blank=("npwp",),
    repr_columns=("name", "npp"),
    describe=lambda v: f"{v.get('name', '')} ({v.get('npp', '')})",
)  # fmt: skip


# --- writing ------------------------------------------------------------------------------------


def _write(kind: str, prepared: _Prepared, context: LoadContext, clock: _Clock) -> LoadResult:
    spec, issues = prepared.spec, prepared.issues
    rejected_rows = issues.filter(pl.col("severity") == REJECT).get_column("__i").unique()
    flagged_rows = issues.filter(
        (pl.col("severity") == FLAG) & ~pl.col("__i").is_in(rejected_rows.implode())
    ).get_column("__i")
    result = LoadResult(
        kind=kind,
        rejected=rejected_rows.len(),
        flagged=flagged_rows.n_unique(),
        issues=issues.sort("row", "column", maintain_order=True).drop("__i"),
        dry_run=context.dry_run,
    )
    writer = _Writer(spec, prepared.present, context, clock)
    with writer.tuned(), transaction.atomic():
        writer.lock()
        writer.stage(prepared.frame)
        matched = writer.match()
        audited = writer.audit_changes()
        result.updated = writer.update()
        result.created = writer.insert()
        writer.drop_stage()
        if audited != result.updated:  # both come from the same predicate
            raise RuntimeError(f"Audit ({audited}) dan perubahan ({result.updated}) tidak sama")
        result.unchanged = matched - result.updated
        record(
            AuditEntry.Action.IMPORT,
            object_type=spec.label,
            detail={
                "kind": kind,
                "batch": writer.batch,
                "source": context.source,
                "rows": prepared.total,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rejected": result.rejected,
                "flagged": result.flagged,
                "scope_kabkota": context.scope_kabkota,
                **prepared.detail,
            },
        )
        if context.dry_run:
            transaction.set_rollback(True)
        clock.lap("audit")
    clock.lap("commit")
    return result


class _Writer:
    """The set-based SQL of one load, on PostgreSQL or SQLite."""

    def __init__(
        self, spec: _Spec, present: frozenset[str], context: LoadContext, clock: _Clock
    ) -> None:
        if connection.vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError(f"Loader tidak mendukung {connection.vendor}")
        self.spec, self.context, self.clock = spec, context, clock
        self.postgres = connection.vendor == "postgresql"
        self.table = connection.ops.quote_name(spec.table)
        self.stage_table = f"lindung_stage_{spec.model._meta.model_name}"
        self.compare = [c for c in spec.compare if c in present]
        self.audited = [*self.compare, *(c for c in spec.follow if c not in _DERIVED)]
        self.batch = uuid.uuid4().hex
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())

    # SQL helpers -------------------------------------------------------------------------------

    @staticmethod
    def _q(name: str) -> str:
        return connection.ops.quote_name(name)

    def _new(self, column: str) -> str:
        """The value a matched record takes for ``column``."""
        s, t = f"s.{self._q(column)}", f"t.{self._q(column)}"
        return (
            f"CASE WHEN {s} = '' THEN {t} ELSE {s} END"
            if column in self.spec.keep_when_blank
            else s
        )

    def _changed(self) -> str:
        op = "IS DISTINCT FROM" if self.postgres else "IS NOT"
        return " OR ".join(f"t.{self._q(c)} {op} {self._new(c)}" for c in self.compare)

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    # steps -------------------------------------------------------------------------------------

    @contextmanager
    def tuned(self) -> Iterator[None]:
        """SQLite: a page cache big enough that index pages are not spilled mid-load."""
        if self.postgres:
            yield
            return
        before = {db: self._scalar(f"PRAGMA {db}.cache_size") for db in ("main", "temp")}
        for db in before:
            self._execute(f"PRAGMA {db}.cache_size = -{SQLITE_CACHE_KIB}")
        try:
            yield
        finally:
            for db, size in before.items():
                self._execute(f"PRAGMA {db}.cache_size = {int(size)}")

    def lock(self) -> None:
        """PostgreSQL: loads into one table wait for each other instead of colliding on keys
        (SQLite's write transactions are serialised already)."""
        if self.postgres:
            self._scalar(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"lindung.load.{self.spec.table}"]
            )

    def stage(self, frame: pl.DataFrame) -> None:
        fields = {f.attname: f for f in self.spec.model._meta.concrete_fields}
        types = {c: fields[c].db_type(connection) for c in self.spec.columns}
        ddl = ", ".join(
            ["row_no bigint", "target_id bigint", *(f"{self._q(c)} {t}" for c, t in types.items())]
        )
        self.drop_stage()
        self._execute(f"CREATE TEMP TABLE {self.stage_table} ({ddl})")
        data = frame.select(pl.col("__row").cast(pl.Int64).alias("row_no"), *self.spec.columns)
        if self.postgres:
            self._copy(data)
        else:
            self._executemany(data)
        self.clock.lap("stage")

    def drop_stage(self) -> None:
        self._execute(f"DROP TABLE IF EXISTS {self.stage_table}")

    def _copy(self, data: pl.DataFrame) -> None:
        """COPY of CSV that Polars writes, slice by slice, streamed through psycopg.

        Measured on 1M worker rows (2 vCPU, PostgreSQL 15): CSV with minimal quoting 3.5 s,
        CSV quoting every string 4.2 s, text format (escaped by Polars) 4.4 s, binary with
        psycopg ``write_row`` 3.4 s but all of it Python CPU time that the server then lacks.
        Minimal quoting leaves an unquoted string ``\\N`` indistinguishable from NULL, so a
        frame holding that exact string is written with every string quoted.
        """
        columns = ", ".join(self._q(c) for c in data.columns)
        sql = f"COPY {self.stage_table} ({columns}) FROM STDIN (FORMAT csv, NULL '\\N')"
        texts = [c for c, dtype in data.schema.items() if dtype == pl.String]
        ambiguous = data.select(pl.any_horizontal(pl.col(texts) == "\\N").any()).item()
        quoting = "non_numeric" if ambiguous else "necessary"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for offset in range(0, data.height, STAGE_BATCH):
                buffer = io.BytesIO()
                data.slice(offset, STAGE_BATCH).write_csv(
                    buffer, include_header=False, null_value="\\N", quote_style=quoting
                )
                copy.write(buffer.getbuffer())
        self._execute(f"ANALYZE {self.stage_table}")

    def _executemany(self, data: pl.DataFrame) -> None:
        data = data.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
        columns = ", ".join(self._q(c) for c in data.columns)
        marks = ", ".join("?" * data.width)
        sql = f"INSERT INTO {self.stage_table} ({columns}) VALUES ({marks})"
        connection.ensure_connection()
        cursor = connection.connection.cursor()  # the sqlite3 cursor: no per-row wrapping
        try:
            for offset in range(0, data.height, STAGE_BATCH):
                cursor.executemany(sql, data.slice(offset, STAGE_BATCH).iter_rows())
        finally:
            cursor.close()

    def match(self) -> int:
        """Set ``target_id`` of staged rows already stored; returns how many are."""
        for condition in self.spec.matchers:
            self._execute(
                f"UPDATE {self.stage_table} AS s SET target_id = t.id FROM {self.table} AS t "
                f"WHERE s.target_id IS NULL AND {condition}"
            )
        if self.spec.cascade:
            self._execute(
                f"UPDATE {self.stage_table} SET target_id = NULL WHERE row_no IN ("
                f"SELECT row_no FROM (SELECT row_no, ROW_NUMBER() OVER (PARTITION BY target_id "
                f"ORDER BY row_no) AS n FROM {self.stage_table} WHERE target_id IS NOT NULL) AS r "
                f"WHERE n > 1)"
            )
        matched = self._scalar(
            f"SELECT COUNT(*) FROM {self.stage_table} WHERE target_id IS NOT NULL"
        )
        self.clock.lap("match")
        return int(matched)

    def audit_changes(self) -> int:
        """One audit entry per record about to change, field by field (old → new)."""
        if not self.compare:
            return 0
        pairs = [f"t.{self._q(c)}, {self._new(c)}" for c in self.audited]
        shown = [f"s.{self._q(c)}" for c in self.spec.repr_columns]
        sql = (
            f"SELECT t.id, {', '.join(pairs + shown)} FROM {self.stage_table} AS s "
            f"JOIN {self.table} AS t ON t.id = s.target_id WHERE {self._changed()} ORDER BY t.id"
        )
        actor = current_actor()
        user = actor.user if getattr(actor.user, "pk", None) else None
        detail = {"import": self.spec.label, "batch": self.batch, "source": self.context.source}
        n = len(self.audited)
        count = 0
        with self._reader(sql) as cursor:
            while chunk := cursor.fetchmany(AUDIT_BATCH):
                entries = []
                for row in chunk:
                    olds, news = row[1 : 2 * n : 2], row[2 : 2 * n + 1 : 2]
                    changes = {
                        column: [_json(old), _json(new)]
                        for column, old, new in zip(self.audited, olds, news, strict=True)
                        if _json(old) != _json(new)
                    }
                    shown_values = dict(zip(self.spec.repr_columns, row[2 * n + 1 :], strict=True))
                    entries.append(
                        AuditEntry(
                            actor=user,
                            actor_label=actor.label[:150],
                            action=AuditEntry.Action.UPDATE,
                            object_type=self.spec.label,
                            object_id=str(row[0]),
                            object_repr=self.spec.describe(shown_values)[:200],
                            changes=changes,
                            detail=detail,
                            ip_address=actor.ip,
                        )
                    )
                AuditEntry.objects.bulk_create(entries, batch_size=AUDIT_BATCH)
                count += len(entries)
        self.clock.lap("audit")
        return count

    @contextmanager
    def _reader(self, sql: str) -> Iterator[Any]:
        """A cursor for a possibly large result: server-side on PostgreSQL."""
        if self.postgres:
            connection.ensure_connection()
            cursor = connection.connection.cursor(name=f"lindung_audit_{self.batch}")
            try:
                cursor.execute(sql)
                yield cursor
            finally:
                cursor.close()
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                yield cursor

    def update(self) -> int:
        if not self.compare:
            return 0
        columns = dict.fromkeys([*self.compare, *self.spec.follow])
        sets = [f"{self._q(c)} = {self._new(c)}" for c in columns]
        sets.append(f"{self._q(self.spec.updated_field)} = %s")
        updated = self._execute(
            f"UPDATE {self.table} AS t SET {', '.join(sets)} FROM {self.stage_table} AS s "
            f"WHERE t.id = s.target_id AND ({self._changed()})",
            [self.now],
        )
        self.clock.lap("update")
        return updated

    def insert(self) -> int:
        constants = self.spec.insert_constants
        targets = [
            *self.spec.columns,
            *(c for c, _ in constants),
            self.spec.created_field,
            self.spec.updated_field,
        ]
        values = [f"s.{self._q(c)}" for c in self.spec.columns] + ["%s"] * (len(constants) + 2)
        sql = (
            f"INSERT INTO {self.table} ({', '.join(self._q(c) for c in targets)}) "
            f"SELECT {', '.join(values)} FROM {self.stage_table} AS s WHERE s.target_id IS NULL"
        )
        with self._indexes_rebuilt_if_cheaper():
            created = self._execute(sql, [*(v for _, v in constants), self.now, self.now])
            self.clock.lap("insert")
        self.clock.lap("index")
        return created

    @contextmanager
    def _indexes_rebuilt_if_cheaper(self) -> Iterator[None]:
        """SQLite: drop the table's indexes for a big insert and rebuild them after it.

        Inserting a million rows into a table with ten indexes costs about twice as much as
        building the indexes afterwards. Worth it when at least half of the table will be new
        rows. Inside the load's transaction: an error restores the indexes with everything
        else, and WAL readers keep their snapshot meanwhile. Never on PostgreSQL, where
        DROP INDEX would lock readers out until the load commits.
        """
        if self.postgres:
            yield
            return
        new = self._scalar(f"SELECT COUNT(*) FROM {self.stage_table} WHERE target_id IS NULL")
        if new < SQLITE_REBUILD_MIN_ROWS or new < self._scalar(
            f"SELECT COUNT(*) FROM {self.table}"
        ):
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [self.spec.table],
            )
            indexes = cursor.fetchall()
            for name, _sql in indexes:
                cursor.execute(f"DROP INDEX {self._q(name)}")
        yield
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)


def _json(value: Any) -> Any:
    """A value as the audit log stores it (what ``track()`` stores after JSON encoding)."""
    return value.isoformat() if isinstance(value, date) else value
