"""Reading uploaded import files (CSV, Excel .xlsx, Parquet) into a table of text cells.

Files come from regency offices and BPJS Ketenagakerjaan, made by hand and often damaged, and
an upload is untrusted input. :func:`read_table` therefore:

- detects the format from the first bytes, never from the file name;
- refuses, with one Indonesian sentence (:class:`FileRefused`), what cannot be used: empty files,
  files over the size limit, binary data named ``.csv``, corrupted or password-protected Excel
  files, the old ``.xls`` format, zip bombs and sparse-sheet bombs, too many columns, and files
  with a header but no data;
- reads every value as text (``RawTable.frame`` is all Utf8): typing is the job of
  :mod:`lindung.imports.values`, which can then report *which* cell is wrong;
- keeps the row numbers the user sees in Excel (``__row``: the header is usually row 1, the
  first data row 2), also when title rows sit above the header or blank rows are skipped.

CSV text may be UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), Windows-1252, or a
mix of UTF-8 and Windows-1252 lines (files pasted together from several offices): the mix is
decoded line by line so the text stays right, and the rows concerned are named in a warning.

Excel numbers arrive as floats: whole numbers become their exact digits (a 16-digit NIK stored as
a number by a program keeps every digit; one that Excel already cut to 15 significant digits
stays as damaged as it is, for :mod:`lindung.nik` to report), dates become ``YYYY-MM-DD``.
"""

from __future__ import annotations

import codecs
import logging
import math
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import polars as pl

__all__ = ["FileRefused", "RawTable", "column_letter", "read_table"]

log = logging.getLogger(__name__)

ROW = "__row"

#: Bytes inspected for binary content and delimiter sniffing.
SNIFF_BYTES = 64 * 1024
#: Share of control characters (other than tab/CR/LF) from which text is called binary.
CONTROL_SHARE = 0.01
#: Rows above the header that may hold a title, blank lines or notes.
HEADER_SEARCH_ROWS = 30
#: Header text longer than this is cut (a header is a column name, not data).
MAX_HEADER_CHARS = 200
#: Zip bomb limits: total uncompressed size (also min(20 × max_bytes, 2 GiB)), ratio per member.
ZIP_MAX_TOTAL = 2 * 1024**3
ZIP_SIZE_FACTOR = 20
ZIP_MAX_RATIO = 200
ZIP_RATIO_MIN_MEMBER = 10 * 1024**2
#: A sheet is loaded as a dense rectangle from its first to its last cell: refuse rectangles
#: larger than this many cells (a cell at A1 and one at XFD1048576 would need 17 billion).
MAX_SHEET_CELLS = 60_000_000
#: More lines than this in one file is not a list of people (Kaltim has 4.1 million): refused
#: before parsing, so that a file of nothing but line breaks cannot exhaust memory.
MAX_ROWS = 5_000_000
#: Rows named in a warning before "… dan N baris lain".
ROWS_NAMED = 10

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_PARQUET = b"PAR1"
_OTHER_MAGIC = {
    b"%PDF": "dokumen PDF",
    b"\x89PNG": "gambar PNG",
    b"\xff\xd8\xff": "gambar JPEG",
    b"GIF8": "gambar GIF",
    b"Rar!": "arsip RAR",
    b"7z\xbc\xaf": "arsip 7-Zip",
    b"\x1f\x8b": "arsip gzip",
    b"MZ": "program Windows",
    b"\x7fELF": "program",
    b"SQLite format 3": "basis data SQLite",
}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"
_NON_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_HEADER_WS = re.compile(r"[\s\u200b\u2060\ufeff]+")
_NUMBERING = re.compile(r"^\(?(\d{1,3})\)?\.?$")

_ASK_SAVE = "Buka file di Excel lalu simpan sebagai Excel Workbook (.xlsx) atau CSV UTF-8."


class FileRefused(Exception):
    """The whole file cannot be used. ``message`` is one Indonesian sentence (or two) for the
    user; ``code`` a stable identifier for tests, logs and counts."""

    def __init__(self, message: str, code: str = "tidak_terbaca") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class RawTable:
    """A file's cells as text.

    ``frame``: one Utf8 column per file column, named by the header text (trimmed, duplicates
    numbered "nama", "nama (2)"), plus ``__row`` (Int64): the row number in the file as Excel
    shows it. Empty cells are null. ``format`` is "csv", "xlsx" or "parquet"; ``encoding`` and
    ``delimiter`` are set for CSV, ``sheet`` for Excel. ``warnings`` are Indonesian sentences
    about things that were fixed up or skipped while reading. ``header_row`` is the file row of
    the header; ``max_cell_chars`` the limit the validator enforces on each cell.
    """

    frame: pl.DataFrame
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    warnings: list[str] = field(default_factory=list)
    header_row: int = 1
    max_cell_chars: int = 10_000

    @property
    def headers(self) -> list[str]:
        return [c for c in self.frame.columns if c != ROW]


# --- small helpers -------------------------------------------------------------------------------


def _angka(n: float, decimals: int = 0) -> str:
    """Indonesian number: 10000 → "10.000", 1.5 → "1,5"."""
    text = f"{n:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _size(n: int, other: int | None = None) -> str:
    """Human size in Indonesian; with ``other``, precise enough that the two differ."""
    units = ((1024**3, "GB"), (1024**2, "MB"), (1024, "KB"))
    for factor, unit in units:
        if n >= factor or (other is not None and other >= factor):
            for decimals in (0, 1, 2):
                text = _angka(n / factor, decimals)
                if other is None or text != _angka(other / factor, decimals):
                    return f"{text} {unit}"
            return f"{_angka(n)} byte"
    return f"{_angka(n)} byte"


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA" (Excel column names)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index  # 1-based


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(_angka(r) for r in rows[:ROWS_NAMED])
    if len(rows) > ROWS_NAMED:
        shown += f" dan {_angka(len(rows) - ROWS_NAMED)} baris lain"
    return shown


# --- entry point ---------------------------------------------------------------------------------


def read_table(
    path: str | Path,
    *,
    max_bytes: int,
    max_columns: int = 500,
    max_cell_chars: int = 10_000,
    n_rows: int | None = None,
    header_row: int | None = None,
) -> RawTable:
    """Read an uploaded file into a :class:`RawTable`, or raise :class:`FileRefused`.

    ``n_rows`` limits the data rows read (for a preview). The header row is found
    automatically (the first row at least half as full as the fullest of the first 30, so that
    titles above the table are skipped); ``header_row`` (a file row number, from the preview
    screen) overrides that for CSV and Excel. Never raises anything but
    :class:`FileRefused` for a bad file: unexpected errors of the underlying readers are logged
    and turned into a generic refusal.
    """
    path = Path(path)
    try:
        table = _read(path, max_bytes, max_columns, n_rows, header_row)
    except FileRefused:
        raise
    except MemoryError as exc:
        raise FileRefused(
            "File terlalu besar untuk diproses; bagi menjadi beberapa file yang lebih kecil.",
            "terlalu_besar",
        ) from exc
    except Exception as exc:
        log.warning("read_table(%s) failed: %r", path.name, exc, exc_info=True)
        raise FileRefused(
            "File tidak dapat dibaca (isi file rusak atau formatnya tidak dikenali). " + _ASK_SAVE,
            "tidak_terbaca",
        ) from exc
    table.max_cell_chars = max_cell_chars
    return table


def _read(
    path: Path, max_bytes: int, max_columns: int, n_rows: int | None, header_row: int | None
) -> RawTable:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRefused("File tidak dapat dibuka.", "tidak_terbuka") from exc
    if size == 0:
        raise FileRefused("File kosong: tidak ada isi sama sekali.", "kosong")
    if size > max_bytes:
        raise FileRefused(
            f"Ukuran file {_size(size, max_bytes)} melebihi batas {_size(max_bytes, size)}. "
            "Bagi data menjadi beberapa file.",
            "terlalu_besar",
        )
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(_OLE2):
        _refuse_ole2(path)
    if head.startswith(_ZIP):
        return _read_xlsx(path, max_bytes, max_columns, n_rows, header_row)
    if head.startswith(_PARQUET):
        return _read_parquet(path, max_columns, n_rows)
    return _read_csv(path, max_columns, n_rows, header_row)


# --- legacy / encrypted Office -------------------------------------------------------------------


def _refuse_ole2(path: Path) -> None:
    """OLE2 compound file: an encrypted .xlsx (password), a legacy .xls, or another Office file."""
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data or (
        "EncryptionInfo".encode("utf-16-le") in data
    ):
        raise FileRefused(
            "File Excel dilindungi kata sandi (terenkripsi) sehingga tidak dapat dibaca. Buka "
            "file di Excel, hapus kata sandinya (File › Info › Lindungi Buku Kerja › Enkripsi "
            "dengan Kata Sandi, kosongkan isiannya), simpan, lalu unggah lagi.",
            "kata_sandi",
        )
    if "WordDocument".encode("utf-16-le") in data:
        raise FileRefused(
            "File ini dokumen Word, bukan tabel. Unggah file Excel (.xlsx) atau CSV.", "bukan_tabel"
        )
    raise FileRefused(
        "Format Excel lama (.xls) tidak didukung. " + _ASK_SAVE + " Kemudian unggah lagi.",
        "xls_lama",
    )


# --- XLSX ----------------------------------------------------------------------------------------


@dataclass
class _SheetStats:
    max_row: int = 0
    max_col: int = 0
    cells: int = 0


# Literal prefixes keep these fast (the regex engine skips ahead to ' r="'); they also match
# namespaced tags (<x:row r=…>, <x:c r=…>). Formatting-only cells (<c r="K5" s="3"/>) count too:
# the estimate may be a little high, never low.
_ROW_REF = re.compile(rb'row r="(\d{1,9})"')
_CELL_REF = re.compile(rb' r="([A-Z]{1,4})(\d{1,9})"')
_SCAN_OVERLAP = 512


def _corrupt_xlsx(detail: str = "") -> FileRefused:
    return FileRefused(
        "File Excel (.xlsx) rusak atau tidak lengkap"
        + (f" ({detail})" if detail else "")
        + ". Buka file di Excel, simpan ulang, lalu unggah lagi.",
        "xlsx_rusak",
    )


def _bomb(detail: str) -> FileRefused:
    return FileRefused(
        f"File Excel ditolak: {detail}. File mungkin rusak atau sengaja dibuat berbahaya; "
        "simpan ulang di Excel atau unggah sebagai CSV.",
        "bom_zip",
    )


def _inspect_zip(path: Path, max_bytes: int) -> tuple[dict[str, _SheetStats], list[str]]:
    """Check the zip directory and every XML member's real size before anything parses it.

    Returns the cell statistics of each worksheet part and the member names. The declared sizes
    are checked first (total and ratio); then each XML member is decompressed in bounded chunks
    to make sure it does not produce more than it declares (a lying header), while the worksheet
    parts are scanned for their last row and column.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _corrupt_xlsx() from exc
    names = [info.filename for info in infos]
    if not any(name.startswith("xl/") for name in names):
        if "mimetype" in names or any(name == "content.xml" for name in names):
            raise FileRefused(
                "File OpenDocument (.ods) belum didukung. Simpan sebagai Excel Workbook (.xlsx) "
                "atau CSV UTF-8, lalu unggah lagi.",
                "ods",
            )
        if any(name.startswith("word/") for name in names):
            raise FileRefused(
                "File ini dokumen Word, bukan tabel. Unggah file Excel (.xlsx) atau CSV.",
                "bukan_tabel",
            )
        raise FileRefused(
            "File ZIP ini bukan file Excel (.xlsx). Unggah file Excel (.xlsx) atau CSV.",
            "bukan_xlsx",
        )
    limit = min(ZIP_SIZE_FACTOR * max_bytes, ZIP_MAX_TOTAL)
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise _bomb(f"isinya {_size(total)} setelah dibuka, melebihi batas {_size(limit)}")
    for info in infos:
        if info.flag_bits & 0x1:
            raise FileRefused(
                "File Excel dilindungi kata sandi sehingga tidak dapat dibaca. Hapus kata "
                "sandinya di Excel, simpan, lalu unggah lagi.",
                "kata_sandi",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_MIN_MEMBER and ratio > ZIP_MAX_RATIO:
            raise _bomb(
                f"bagian '{info.filename}' mengembang {_angka(ratio)} kali "
                f"(menjadi {_size(info.file_size)})"
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _corrupt_xlsx("metode kompresi tidak dikenal")

    stats: dict[str, _SheetStats] = {}
    with path.open("rb") as handle:
        for info in infos:
            name = info.filename
            if not name.endswith((".xml", ".rels")) or info.is_dir():
                continue
            sheet = name.startswith("xl/worksheets/") and name.count("/") == 2
            stats_for = _SheetStats() if sheet else None
            _check_member(handle, info, stats_for)
            if stats_for is not None:
                stats[name] = stats_for
    return stats, names


def _check_member(handle, info: zipfile.ZipInfo, stats: _SheetStats | None) -> None:  # type: ignore[no-untyped-def]
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _corrupt_xlsx()
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_len + extra_len)
    remaining = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced = 0
    carry = b""
    while remaining > 0:
        chunk = handle.read(min(1024 * 1024, remaining))
        if not chunk:
            raise _corrupt_xlsx("file terpotong")
        remaining -= len(chunk)
        pending = chunk
        while pending:
            if inflater is None:
                out, pending = pending, b""
            else:
                try:
                    out = inflater.decompress(pending, 4 * 1024 * 1024)
                except zlib.error as exc:
                    raise _corrupt_xlsx() from exc
                pending = inflater.unconsumed_tail
            produced += len(out)
            if produced > info.file_size:
                raise _bomb(f"bagian '{info.filename}' lebih besar daripada yang dinyatakan")
            if stats is not None and out:
                text = carry + out
                _scan_sheet(text, stats)
                carry = text[-_SCAN_OVERLAP:]
            if inflater is not None and inflater.eof:
                pending = b""
        if inflater is not None and inflater.eof:
            break
    if inflater is not None and not inflater.eof:
        rest = inflater.flush()  # at most a window's worth of pending output
        produced += len(rest)
        if stats is not None and rest:
            _scan_sheet(carry + rest, stats)
    if produced != info.file_size:
        raise _corrupt_xlsx("isi file terpotong")


def _scan_sheet(text: bytes, stats: _SheetStats) -> None:
    rows = _ROW_REF.findall(text)
    if rows:
        stats.max_row = max(stats.max_row, max(map(int, set(rows))))
    cells = _CELL_REF.findall(text)
    if not cells:
        return
    stats.cells += len(cells)
    letters, numbers = zip(*cells, strict=True)
    widest = max(set(letters), key=lambda x: (len(x), x))
    stats.max_col = max(stats.max_col, _column_index(widest))
    stats.max_row = max(stats.max_row, max(map(int, set(numbers))))


_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')


def _sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → worksheet part ("xl/worksheets/sheet1.xml"), from workbook.xml and its rels.
    Empty when the workbook is unusual; callers then fall back to checking every part."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [archive.getinfo(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")]
            if any(info.file_size > 16 * 1024**2 for info in infos):
                return {}  # absurdly large: do not parse, guard every sheet instead
            workbook, rels = (archive.read(info) for info in infos)
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    targets: dict[bytes, str] = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        attrs = dict(_ATTR.findall(tag))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/")
        if not target.startswith("xl/"):
            target = "xl/" + target
        targets[attrs.get(b"Id", b"")] = target
    parts: dict[str, str] = {}
    for tag in _SHEET_ENTRY.findall(workbook):
        attrs = dict(_ATTR.findall(tag))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), b"")
        name = _unescape_xml(attrs.get(b"name", b"").decode("utf-8", "replace"))
        if rid in targets:
            parts[name] = targets[rid]
    return parts


def _unescape_xml(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _guard_sheet(name: str, stats: _SheetStats | None, max_columns: int) -> None:
    if stats is None:
        return
    if stats.max_col > max_columns:
        raise FileRefused(
            f"Lembar '{name}' memiliki {_angka(stats.max_col)} kolom (sampai kolom "
            f"{column_letter(stats.max_col - 1)}); maksimum {_angka(max_columns)}. Hapus kolom "
            "yang tidak dipakai, lalu unggah lagi.",
            "terlalu_banyak_kolom",
        )
    if stats.max_row * max(stats.max_col, 1) > MAX_SHEET_CELLS:
        raise FileRefused(
            f"Lembar '{name}' terlalu besar ({_angka(stats.max_row)} baris × "
            f"{_angka(stats.max_col)} kolom). Hapus baris dan kolom kosong di bagian bawah dan "
            "kanan, atau bagi data menjadi beberapa file.",
            "terlalu_besar",
        )


def _read_xlsx(
    path: Path, max_bytes: int, max_columns: int, n_rows: int | None, header_row: int | None
) -> RawTable:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    stats, _names = _inspect_zip(path, max_bytes)
    parts = _sheet_parts(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        metas = [m for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    except Exception as exc:
        raise _corrupt_xlsx() from exc
    visible = [m for m in metas if m.visible == SheetVisibleEnum.Visible]
    hidden = [m for m in metas if m.visible != SheetVisibleEnum.Visible]
    warnings: list[str] = []
    limit = None if n_rows is None else n_rows + max(HEADER_SEARCH_ROWS, header_row or 0) + 2
    for meta in visible + hidden:
        part_stats = stats.get(parts.get(meta.name, ""))
        if part_stats is None:  # unusual layout: every worksheet part must pass the guard
            for other in stats.values():
                _guard_sheet(meta.name, other, max_columns)
        elif part_stats.cells == 0:
            continue  # nothing in it: no need to load
        else:
            _guard_sheet(meta.name, part_stats, max_columns)
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
            if sheet.height == 0 or sheet.width == 0:
                continue
            rows = sheet.to_python(skip_empty_area=True, nrows=limit)
            start = sheet.start or (0, 0)
        except Exception as exc:
            raise _corrupt_xlsx(f"lembar '{meta.name}' tidak terbaca") from exc
        grid = _grid_from_rows(rows)
        if grid is None:
            continue
        if len(metas) > 1:
            warnings.append(
                f"File memiliki {len(metas)} lembar kerja; yang dibaca hanya lembar "
                f"'{meta.name}' (lembar pertama yang berisi data)."
            )
        if meta in hidden:
            warnings.append(f"Lembar '{meta.name}' tersembunyi di Excel, tetapi berisi data.")
        del rows
        headers, data, found_row, more = _split_header(
            grid,
            first_row=start[0] + 1,
            first_col=start[1],
            max_columns=max_columns,
            header_row=header_row,
        )
        warnings.extend(more)
        frame = _finalise(headers, data, n_rows, warnings, found_row)
        return RawTable(frame, "xlsx", sheet=meta.name, warnings=warnings, header_row=found_row)
    raise FileRefused("File Excel kosong: tidak ada lembar kerja yang berisi data.", "kosong")


def _cell_text(value: object) -> str | None:
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if kind is float:
        number: float = value  # type: ignore[assignment]
        if not math.isfinite(number):
            return None
        return str(int(number)) if number.is_integer() else repr(number)
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if kind is datetime:
        moment: datetime = value  # type: ignore[assignment]
        if moment.time() == time(0):
            return moment.date().isoformat()
        return moment.isoformat(sep=" ")
    if kind is date or kind is time:
        return value.isoformat()  # type: ignore[attr-defined]
    if kind is timedelta:
        return str(value)
    if value is None:
        return None
    return str(value)


def _grid_from_rows(rows: Sequence[Sequence[object]]) -> pl.DataFrame | None:
    """Rows of Python values (calamine) → all-Utf8 frame with positional names; None if blank."""
    if not rows:
        return None
    widths = set(map(len, rows))
    width = max(widths)
    if width == 0:
        return None
    if len(widths) > 1:
        rows = [[*row, *[""] * (width - len(row))] for row in rows]
    columns = []
    for j, column in enumerate(zip(*rows, strict=True)):
        name = f"column_{j}"
        types = set(map(type, column))
        if types == {str}:
            series = pl.Series(name, column, dtype=pl.String)
        elif types == {float}:  # a column of numbers (NIKs typed as numbers, amounts …)
            series = _series_text(pl.Series(name, column, dtype=pl.Float64))
        elif types == {date}:
            series = pl.Series(name, column, dtype=pl.Date).dt.to_string("%Y-%m-%d")
        else:
            series = pl.Series(name, [_cell_text(v) for v in column], dtype=pl.String)
        columns.append(series)
    return pl.DataFrame(columns)


# --- Parquet -------------------------------------------------------------------------------------


def _read_parquet(path: Path, max_columns: int, n_rows: int | None) -> RawTable:
    try:
        schema = pl.read_parquet_schema(path)
    except Exception as exc:
        raise FileRefused("File Parquet rusak atau tidak lengkap.", "parquet_rusak") from exc
    if len(schema) > max_columns:
        raise _too_many_columns(len(schema), max_columns)
    for name, dtype in schema.items():
        if isinstance(dtype, (pl.List, pl.Array, pl.Struct, pl.Object)):
            raise FileRefused(
                f"Kolom '{name}' di file Parquet berisi data bertingkat; hanya tabel datar yang "
                "dapat diimpor.",
                "parquet_bertingkat",
            )
    try:
        if pl.scan_parquet(path).select(pl.len()).collect().item() > MAX_ROWS:
            raise _too_many_rows()
        frame = pl.read_parquet(path, n_rows=n_rows)
    except FileRefused:
        raise
    except Exception as exc:
        raise FileRefused("File Parquet rusak atau tidak lengkap.", "parquet_rusak") from exc
    text = pl.DataFrame(
        [_series_text(frame[c]).alias(f"column_{i}") for i, c in enumerate(frame.columns)]
    )
    headers = list(frame.columns)
    warnings: list[str] = []
    data = text.with_columns(pl.int_range(2, text.height + 2, dtype=pl.Int64).alias(ROW))
    frame = _finalise(headers, data, n_rows, warnings, 1)
    return RawTable(frame, "parquet", warnings=warnings, header_row=1)


def _series_text(series: pl.Series) -> pl.Series:
    dtype = series.dtype
    if dtype == pl.String:
        text = series
    elif dtype.is_float():
        whole = series.is_finite() & (series.floor() == series) & (series.abs() < 2.0**63)
        ints = pl.select(pl.when(whole).then(series.cast(pl.Int64, strict=False))).to_series()
        text = pl.select(
            pl.when(whole)
            .then(ints.cast(pl.String))
            .when(series.is_finite())
            .then(series.cast(pl.String))
        ).to_series()
    elif dtype == pl.Boolean:
        text = series.replace_strict({True: "TRUE", False: "FALSE"}, return_dtype=pl.String)
    elif dtype == pl.Date:
        text = series.dt.to_string("%Y-%m-%d")
    elif isinstance(dtype, pl.Datetime):
        text = series.dt.to_string("%Y-%m-%d %H:%M:%S").str.replace(" 00:00:00$", "")
    else:
        text = series.cast(pl.String, strict=False)
    # NUL cannot be stored in PostgreSQL text and never belongs in a cell.
    return text.str.replace_all("\x00", "", literal=True)


# --- CSV -----------------------------------------------------------------------------------------


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    # The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) → Latin-1.
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("lindung_latin1", _latin1_fallback)


def _refuse_binary(sample: bytes, name: str) -> None:
    for magic, what in _OTHER_MAGIC.items():
        if sample.startswith(magic):
            raise FileRefused(
                f"File '{name}' berisi {what}, bukan tabel. Unggah file Excel (.xlsx) atau CSV.",
                "biner",
            )
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\x00" in sample or controls > max(2, CONTROL_SHARE * len(sample)):
        raise FileRefused(
            f"File '{name}' bukan file teks CSV: isinya data biner yang tidak dapat dibaca. "
            "Unggah file Excel (.xlsx) atau CSV.",
            "biner",
        )


def _decode_lines(data: bytes) -> tuple[bytes, str, list[int]]:
    """UTF-8 where a line is valid UTF-8, Windows-1252 elsewhere; returns UTF-8 bytes, the
    encoding name and the file rows (as Excel counts them) that were not UTF-8."""
    out: list[bytes] = []
    other_rows: list[int] = []
    utf8_lines = 0
    record = 1
    in_quotes = False
    for line in data.split(b"\n"):
        if line.isascii():
            out.append(line)
        else:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                out.append(line.decode("cp1252", "lindung_latin1").encode("utf-8"))
                if not other_rows or other_rows[-1] != record:
                    other_rows.append(record)
            else:
                out.append(line)
                utf8_lines += 1
        if line.count(b'"') % 2:
            in_quotes = not in_quotes
        if not in_quotes:
            record += 1
    encoding = "utf-8+windows-1252" if utf8_lines else "windows-1252"
    return b"\n".join(out), encoding, other_rows if utf8_lines else []


_QUOTED = re.compile(r'"[^"]*"')


def _sniff(data: bytes) -> tuple[str, int]:
    """Delimiter (, ; tab |) and the widest row among the first lines."""
    sample = data[: SNIFF_BYTES * 16].decode("utf-8", "replace")
    sample = _QUOTED.sub("", sample)
    lines = sample.split("\n")
    if len(lines) > 1 and len(data) > SNIFF_BYTES * 16:
        lines = lines[:-1]  # the last one may be cut
    lines = [line for line in lines[:60] if line.strip()]
    best, best_score = ",", 0
    for candidate in (",", ";", "\t", "|"):
        score = sum(line.count(candidate) for line in lines)
        if score > best_score:
            best, best_score = candidate, score
    width = max((line.count(best) + 1 for line in lines), default=1)
    return best, width


def _too_many_rows() -> FileRefused:
    return FileRefused(
        f"File memiliki lebih dari {_angka(MAX_ROWS)} baris; bagi data menjadi beberapa file.",
        "terlalu_banyak_baris",
    )


def _too_many_columns(count: int, maximum: int) -> FileRefused:
    return FileRefused(
        f"File memiliki {_angka(count)} kolom; maksimum {_angka(maximum)}. Hapus kolom yang "
        "tidak dipakai, lalu unggah lagi.",
        "terlalu_banyak_kolom",
    )


def _read_csv(path: Path, max_columns: int, n_rows: int | None, header_row: int | None) -> RawTable:
    data = path.read_bytes()
    warnings: list[str] = []
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[3:], "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileRefused(
                "File teks UTF-16 ini rusak. Simpan ulang sebagai CSV UTF-8.", "biner"
            ) from exc
        encoding = "utf-16"
    if not data[:4096].strip() and not data.strip():
        raise FileRefused("File kosong: tidak ada isi sama sekali.", "kosong")
    _refuse_binary(data[:SNIFF_BYTES], path.name)
    if b"\x00" in data:
        data = data.replace(b"\x00", b"")
        warnings.append("File berisi karakter NUL (data biner) yang dibuang saat membaca.")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        data, encoding, other_rows = _decode_lines(data)
        if other_rows:
            warnings.append(
                "Sebagian baris tidak berkode UTF-8 dan dibaca sebagai Windows-1252: baris "
                f"{_rows_text(other_rows)}. Periksa huruf khusus (é, ñ, ’, …) di baris tersebut."
            )
    if b"\n" not in data and b"\r" in data:
        data = data.replace(b"\r", b"\n")  # classic Mac line endings
    if data.count(b"\n") > MAX_ROWS:
        raise _too_many_rows()
    delimiter, width = _sniff(data)
    if width > max_columns:
        raise _too_many_columns(width, max_columns)

    limit = None if n_rows is None else n_rows + max(HEADER_SEARCH_ROWS, header_row or 0) + 2
    schema = {f"column_{i}": pl.String for i in range(width)}
    options = {
        "has_header": False,
        "schema": schema,
        "missing_columns": "insert",
        "separator": delimiter,
        "n_rows": limit,
        "quote_char": '"',
    }
    try:
        grid = pl.read_csv(data, **options)  # type: ignore[arg-type]
    except pl.exceptions.ComputeError as exc:
        if "more fields" in str(exc):
            grid = pl.read_csv(data, truncate_ragged_lines=True, **options)  # type: ignore[arg-type]
            warnings.append(
                f"Beberapa baris memiliki lebih banyak kolom daripada baris judul ({width}); "
                "isi kolom tambahan diabaikan."
            )
        else:
            options["quote_char"] = None
            grid = pl.read_csv(data, truncate_ragged_lines=True, **options)  # type: ignore[arg-type]
            grid = grid.select(
                pl.all().str.replace(r'^"(.*)"$', "$1").str.replace_all('""', '"', literal=True)
            )
            warnings.append(
                'Tanda kutip (") di file tidak berpasangan; file dibaca tanpa memperhatikan tanda '
                "kutip. Periksa kolom yang berisi koma atau titik koma."
            )
    del data
    if grid.width > max_columns:
        raise _too_many_columns(grid.width, max_columns)
    headers, body, found_row, more = _split_header(
        grid, first_row=1, first_col=0, max_columns=max_columns, header_row=header_row
    )
    warnings.extend(more)
    frame = _finalise(headers, body, n_rows, warnings, found_row)
    return RawTable(
        frame,
        "csv",
        encoding=encoding,
        delimiter=delimiter,
        warnings=warnings,
        header_row=found_row,
    )


# --- common: header, blank rows and columns ------------------------------------------------------


def _blank(column: str) -> pl.Expr:
    col = pl.col(column)
    return col.is_null() | col.str.contains(r"^[\s\x{200B}\x{FEFF}]*$")


def _find_header(grid: pl.DataFrame, first_row: int) -> tuple[pl.DataFrame, int, int]:
    """Skip leading blank rows; the header is the first row at least half as full as the fullest
    of the next rows (titles and notes above a table fill one or two cells)."""
    top = grid.head(HEADER_SEARCH_ROWS)
    counts = top.select(pl.sum_horizontal([~_blank(c) for c in top.columns]).alias("n"))[
        "n"
    ].to_list()
    if not any(counts):
        # Only blank rows at the top: look further for the first row with something in it.
        nonblank = grid.select(
            pl.any_horizontal([~_blank(c) for c in grid.columns]).arg_true().first()
        ).item()
        if nonblank is None:
            raise FileRefused("File kosong: tidak ada data di dalamnya.", "kosong")
        grid = grid.slice(nonblank)
        first_row += nonblank
        top = grid.head(HEADER_SEARCH_ROWS)
        counts = top.select(pl.sum_horizontal([~_blank(c) for c in top.columns]).alias("n"))[
            "n"
        ].to_list()
    widest = max(counts)
    needed = max(2, math.ceil(widest / 2)) if widest >= 2 else 1
    return grid, first_row, next(i for i, n in enumerate(counts) if n >= needed)


def _split_header(
    grid: pl.DataFrame,
    *,
    first_row: int,
    first_col: int,
    max_columns: int,
    header_row: int | None = None,
) -> tuple[list[str], pl.DataFrame, int, list[str]]:
    """Find the header row (skipping titles above it) and number the rows as in the file.

    ``grid`` has positional Utf8 columns; its row 0 is file row ``first_row`` and its column 0
    is file column ``first_col`` (0-based). Returns the header texts, the data rows with
    ``__row``, the header's file row and warnings.
    """
    warnings: list[str] = []
    if header_row is not None:
        h = header_row - first_row
        if (
            not 0 <= h < grid.height
            or not grid.slice(h, 1)
            .select(pl.any_horizontal([~_blank(c) for c in grid.columns]))
            .item()
        ):
            raise FileRefused(
                f"Baris {header_row} yang dipilih sebagai judul kolom kosong atau tidak ada.",
                "judul_kosong",
            )
    else:
        grid, first_row, h = _find_header(grid, first_row)
    header_row = first_row + h
    if h:
        skipped = f"baris {first_row}" if h == 1 else f"baris {first_row}–{first_row + h - 1}"
        warnings.append(
            f"Judul kolom dibaca dari baris {header_row}; {skipped} di atasnya dilewati."
        )
    header_cells = [None if v is None else str(v) for v in grid.row(h)]

    body = grid.slice(h + 1).with_columns(
        pl.int_range(header_row + 1, header_row + 1 + grid.height - h - 1, dtype=pl.Int64).alias(
            ROW
        )
    )
    # A row of column numbers under the header ("1", "2", "3" …), as in government forms.
    if body.height:
        first = [v.strip() if isinstance(v, str) else "" for v in body.row(0)[:-1]]
        filled = [v for v in first if v]
        numbers = [_NUMBERING.match(v) for v in filled]
        if (
            len(filled) >= 3
            and all(numbers)
            and [int(m.group(1)) for m in numbers if m] == list(range(1, len(filled) + 1))
        ):
            warnings.append(f"Baris {header_row + 1} berisi nomor kolom (1, 2, 3, …) dan dilewati.")
            body = body.slice(1)

    names: list[str | None] = []
    for j, cell in enumerate(header_cells):
        text = _HEADER_WS.sub(" ", cell).strip() if cell else ""
        if len(text) > MAX_HEADER_CHARS:
            warnings.append(
                f"Judul kolom {column_letter(first_col + j)} terlalu panjang "
                f"({_angka(len(text))} karakter) dan dipotong."
            )
            text = text[:MAX_HEADER_CHARS]
        names.append(text or None)
    # Columns without a header: dropped when empty, otherwise named after their Excel letter.
    keep: list[int] = []
    empty = body.select(
        [_blank(c).all().alias(c) for c, name in zip(grid.columns, names, strict=True) if not name]
    )
    untitled: list[str] = []
    for j, name in enumerate(names):
        if name is None:
            if empty.height and empty[grid.columns[j]][0]:
                continue
            untitled.append(column_letter(first_col + j))
            names[j] = f"Kolom {untitled[-1]}"
        keep.append(j)
    if untitled:
        warnings.append(
            f"Kolom {', '.join(untitled[:ROWS_NAMED])} tidak berjudul tetapi berisi data; kolom "
            f"tersebut dinamai 'Kolom {untitled[0]}' dst. dan dapat dipilih di pemetaan kolom."
        )
    if len(keep) > max_columns:
        raise _too_many_columns(len(keep), max_columns)
    body = body.select([grid.columns[j] for j in keep] + [ROW])
    headers = [str(names[j]) for j in keep]
    return headers, body, header_row, warnings


def _drop_blank_rows(body: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Drop rows whose cells are all empty or whitespace. Column by column, on the rows still in
    doubt: after the first well-filled column almost none are, so this costs one column's scan."""
    doubt = pl.int_range(0, body.height, eager=True, dtype=pl.UInt32)
    for column in columns:
        if not len(doubt):
            return body
        cells = body[column].gather(doubt)
        doubt = doubt.filter(cells.to_frame().select(_blank(column)).to_series())
    if not len(doubt):
        return body
    keep = pl.Series([True] * body.height, dtype=pl.Boolean).scatter(doubt, False)
    return body.filter(keep)


def _dedupe(headers: list[str]) -> list[str]:
    seen: set[str] = {ROW}
    result = []
    for header in headers:
        name, k = header, 1
        while name in seen:
            k += 1
            name = f"{header} ({k})"
        seen.add(name)
        result.append(name)
    return result


def _finalise(
    headers: list[str],
    body: pl.DataFrame,
    n_rows: int | None,
    warnings: list[str],
    header_row: int,
) -> pl.DataFrame:
    """Name the columns, turn empty strings into null, drop blank rows, apply ``n_rows``."""
    if not headers:
        raise FileRefused("File tidak memiliki kolom yang berisi data.", "tanpa_kolom")
    names = _dedupe(headers)
    data_columns = [c for c in body.columns if c != ROW]
    body = body.select(
        [
            pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c)).alias(n)
            for c, n in zip(data_columns, names, strict=True)
        ]
        + [pl.col(ROW)]
    )
    total = body.height
    body = _drop_blank_rows(body, names)
    if n_rows is not None:
        body = body.head(n_rows)
    if body.height == 0:
        if total:
            raise FileRefused(
                f"File hanya berisi judul kolom (baris {header_row}) dan baris kosong, tanpa data.",
                "tanpa_data",
            )
        raise FileRefused(
            f"File hanya berisi judul kolom (baris {header_row}) tanpa baris data.", "tanpa_data"
        )
    return body
