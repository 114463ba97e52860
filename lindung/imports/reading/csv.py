"""CSV: encodings, delimiters and the damage hand-made text files carry.

Text may be UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), Windows-1252, or a
mix of UTF-8 and Windows-1252 lines (files pasted together from several offices): the mix is
decoded line by line so the text stays right, and the rows concerned are named in a warning.
Ragged rows and unpaired quotes are read anyway, with a warning, rather than refused.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import polars as pl

from lindung.imports.reading.common import (
    FileRefused,
    RawTable,
    rows_text,
    too_many_columns,
    too_many_rows,
)
from lindung.imports.reading.detect import refuse_binary
from lindung.imports.reading.layout import finalise, rows_to_read, split_header

#: Bytes inspected for binary content and delimiter sniffing.
SNIFF_BYTES = 64 * 1024

_QUOTED = re.compile(r'"[^"]*"')


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    # The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) → Latin-1.
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("lindung_latin1", _latin1_fallback)


def read_csv(
    path: Path, max_columns: int, max_rows: int, n_rows: int | None, header_row: int | None
) -> RawTable:
    """Read a text file (refusing binary data) into a :class:`RawTable`."""
    data, encoding, warnings = _utf8(path.read_bytes(), path.name)
    if data.count(b"\n") > max_rows:
        raise too_many_rows(max_rows)
    delimiter, width = _sniff(data)
    if width > max_columns:
        raise too_many_columns(width, max_columns)
    grid = _parse(data, delimiter, width, rows_to_read(n_rows, header_row), warnings)
    del data
    if grid.width > max_columns:
        raise too_many_columns(grid.width, max_columns)
    headers, body, found_row, more = split_header(
        grid, first_row=1, first_col=0, max_columns=max_columns, header_row=header_row
    )
    warnings.extend(more)
    frame = finalise(headers, body, n_rows, found_row)
    return RawTable(
        frame,
        "csv",
        encoding=encoding,
        delimiter=delimiter,
        warnings=warnings,
        header_row=found_row,
    )


def _without_bom(data: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes without a byte order mark, and the encoding the mark named."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:], "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").encode("utf-8"), "utf-16"
        except UnicodeDecodeError as exc:
            raise FileRefused(
                "File teks UTF-16 ini rusak. Simpan ulang sebagai CSV UTF-8.", "biner"
            ) from exc
    return data, "utf-8"


def _utf8(data: bytes, name: str) -> tuple[bytes, str, list[str]]:
    """The file as UTF-8 with ``\\n`` line ends, its encoding, and warnings on what was fixed."""
    warnings: list[str] = []
    data, encoding = _without_bom(data)
    if not data[:4096].strip() and not data.strip():
        raise FileRefused("File kosong: tidak ada isi sama sekali.", "kosong")
    refuse_binary(data[:SNIFF_BYTES], name)
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
                f"{rows_text(other_rows)}. Periksa huruf khusus (é, ñ, ’, …) di baris tersebut."
            )
    if b"\n" not in data and b"\r" in data:
        data = data.replace(b"\r", b"\n")  # classic Mac line endings
    return data, encoding, warnings


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


def _parse(
    data: bytes, delimiter: str, width: int, limit: int | None, warnings: list[str]
) -> pl.DataFrame:
    """The cells as positional text columns; ragged rows and unpaired quotes read with a warning."""
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
        return pl.read_csv(data, **options)  # type: ignore[arg-type]
    except pl.exceptions.ComputeError as exc:
        ragged = "more fields" in str(exc)
    if not ragged:
        return _parse_without_quotes(data, options, warnings)
    grid = pl.read_csv(data, truncate_ragged_lines=True, **options)  # type: ignore[arg-type]
    warnings.append(
        f"Beberapa baris memiliki lebih banyak kolom daripada baris judul ({width}); "
        "isi kolom tambahan diabaikan."
    )
    return grid


def _parse_without_quotes(
    data: bytes, options: dict[str, object], warnings: list[str]
) -> pl.DataFrame:
    """Unpaired quotes: read quotes as text, then undo the quoting of cells quoted whole."""
    options["quote_char"] = None
    grid = pl.read_csv(data, truncate_ragged_lines=True, **options)  # type: ignore[arg-type]
    warnings.append(
        'Tanda kutip (") di file tidak berpasangan; file dibaca tanpa memperhatikan tanda '
        "kutip. Periksa kolom yang berisi koma atau titik koma."
    )
    return grid.select(
        pl.all().str.replace(r'^"(.*)"$', "$1").str.replace_all('""', '"', literal=True)
    )
