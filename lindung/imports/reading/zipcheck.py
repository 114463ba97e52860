"""Zip-bomb and sparse-sheet checks for .xlsx files, before any XML parser sees them.

An .xlsx is a zip of XML; a small upload can inflate to gigabytes (a zip bomb), or declare one
cell at A1 and one at XFD1048576 so that a reader allocates 17 billion cells. Both are caught
from the zip directory and a bounded, streaming decompression of each member.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lindung.core.formats import thousands
from lindung.imports.reading.common import FileRefused, column_letter, size_text

#: Zip bomb limits: total uncompressed size (also min(20 × max_bytes, 2 GiB)), ratio per member.
ZIP_MAX_TOTAL = 2 * 1024**3
ZIP_SIZE_FACTOR = 20
ZIP_MAX_RATIO = 200
ZIP_RATIO_MIN_MEMBER = 10 * 1024**2
#: A sheet is loaded as a dense rectangle from its first to its last cell: refuse rectangles
#: larger than this many cells (a cell at A1 and one at XFD1048576 would need 17 billion).
MAX_SHEET_CELLS = 60_000_000

# Literal prefixes keep these fast (the regex engine skips ahead to ' r="'); they also match
# namespaced tags (<x:row r=…>, <x:c r=…>). Formatting-only cells (<c r="K5" s="3"/>) count too:
# the estimate may be a little high, never low.
_ROW_REF = re.compile(rb'row r="(\d{1,9})"')
_CELL_REF = re.compile(rb' r="([A-Z]{1,4})(\d{1,9})"')
_SCAN_OVERLAP = 512


@dataclass
class SheetStats:
    """The extent of one worksheet part, as found by scanning its XML."""

    max_row: int = 0
    max_col: int = 0
    cells: int = 0


def corrupt_xlsx(detail: str = "") -> FileRefused:
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


def inspect_zip(path: Path, max_bytes: int) -> dict[str, SheetStats]:
    """Check the zip directory and every XML member's real size before anything parses it.

    Returns the cell statistics of each worksheet part. The declared sizes are checked first
    (total and ratio); then each XML member is decompressed in bounded chunks to make sure it
    does not produce more than it declares (a lying header), while the worksheet parts are
    scanned for their last row and column.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise corrupt_xlsx() from exc
    _refuse_other_zip([info.filename for info in infos])
    _check_declared(infos, max_bytes)
    stats: dict[str, SheetStats] = {}
    with path.open("rb") as handle:
        for info in infos:
            name = info.filename
            if not name.endswith((".xml", ".rels")) or info.is_dir():
                continue
            sheet = name.startswith("xl/worksheets/") and name.count("/") == 2
            stats_for = SheetStats() if sheet else None
            _check_member(handle, info, stats_for)
            if stats_for is not None:
                stats[name] = stats_for
    return stats


def _refuse_other_zip(names: list[str]) -> None:
    """A zip that is not a workbook: OpenDocument, Word, or anything else."""
    if any(name.startswith("xl/") for name in names):
        return
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


def _check_declared(infos: list[zipfile.ZipInfo], max_bytes: int) -> None:
    """Declared sizes: total, ratio per member; encryption and compression methods."""
    limit = min(ZIP_SIZE_FACTOR * max_bytes, ZIP_MAX_TOTAL)
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise _bomb(f"isinya {size_text(total)} setelah dibuka, melebihi batas {size_text(limit)}")
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
                f"bagian '{info.filename}' mengembang {thousands(ratio)} kali "
                f"(menjadi {size_text(info.file_size)})"
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise corrupt_xlsx("metode kompresi tidak dikenal")


def _check_member(handle: BinaryIO, info: zipfile.ZipInfo, stats: SheetStats | None) -> None:
    """Decompress one member, refusing it when it produces more or less than it declares."""
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced = 0
    carry = b""
    for out in _member_output(handle, info, inflater):
        produced += len(out)
        if produced > info.file_size:
            raise _bomb(f"bagian '{info.filename}' lebih besar daripada yang dinyatakan")
        if stats is not None and out:
            text = carry + out
            _scan_sheet(text, stats)
            carry = text[-_SCAN_OVERLAP:]
    if inflater is not None and not inflater.eof:
        rest = inflater.flush()  # at most a window's worth of pending output
        produced += len(rest)
        if stats is not None and rest:
            _scan_sheet(carry + rest, stats)
    if produced != info.file_size:
        raise corrupt_xlsx("isi file terpotong")


def _member_output(
    handle: BinaryIO, info: zipfile.ZipInfo, inflater: zlib._Decompress | None
) -> Iterator[bytes]:
    """The member's content in bounded pieces: 1 MiB read, at most 4 MiB inflated at a time."""
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise corrupt_xlsx()
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_len + extra_len)
    remaining = info.compress_size
    while remaining > 0:
        chunk = handle.read(min(1024 * 1024, remaining))
        if not chunk:
            raise corrupt_xlsx("file terpotong")
        remaining -= len(chunk)
        pending = chunk
        while pending:
            if inflater is None:
                out, pending = pending, b""
            else:
                try:
                    out = inflater.decompress(pending, 4 * 1024 * 1024)
                except zlib.error as exc:
                    raise corrupt_xlsx() from exc
                pending = inflater.unconsumed_tail
            yield out
            if inflater is not None and inflater.eof:
                pending = b""
        if inflater is not None and inflater.eof:
            break


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index  # 1-based


def _scan_sheet(text: bytes, stats: SheetStats) -> None:
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


def guard_sheet(name: str, stats: SheetStats, max_columns: int) -> None:
    """Refuse a sheet wider than ``max_columns`` or larger than :data:`MAX_SHEET_CELLS`."""
    if stats.max_col > max_columns:
        raise FileRefused(
            f"Lembar '{name}' memiliki {thousands(stats.max_col)} kolom (sampai kolom "
            f"{column_letter(stats.max_col - 1)}); maksimum {thousands(max_columns)}. Hapus kolom "
            "yang tidak dipakai, lalu unggah lagi.",
            "terlalu_banyak_kolom",
        )
    if stats.max_row * max(stats.max_col, 1) > MAX_SHEET_CELLS:
        raise FileRefused(
            f"Lembar '{name}' terlalu besar ({thousands(stats.max_row)} baris × "
            f"{thousands(stats.max_col)} kolom). Hapus baris dan kolom kosong di bagian bawah dan "
            "kanan, atau bagi data menjadi beberapa file.",
            "terlalu_besar",
        )
