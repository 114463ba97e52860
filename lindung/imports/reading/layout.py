"""Where the table is in a grid of cells: the header row, blank rows, column names.

Files made by hand have titles above the header, a row of column numbers under it, blank
rows and columns without a header. Every reader hands its grid (positional text columns) to
:func:`split_header` and :func:`finalise`, so these rules are the same for CSV and Excel.
"""

from __future__ import annotations

import math
import re

import polars as pl

from lindung.core.formats import thousands
from lindung.imports.reading.common import (
    ROW,
    ROWS_NAMED,
    FileRefused,
    column_letter,
    too_many_columns,
)

#: Rows above the header that may hold a title, blank lines or notes.
HEADER_SEARCH_ROWS = 30
#: Header text longer than this is cut (a header is a column name, not data).
MAX_HEADER_CHARS = 200

_HEADER_WS = re.compile(r"[\s\u200b\u2060\ufeff]+")
_NUMBERING = re.compile(r"^\(?(\d{1,3})\)?\.?$")


def rows_to_read(n_rows: int | None, header_row: int | None) -> int | None:
    """Grid rows a reader needs for ``n_rows`` data rows: enough to find the header above."""
    return None if n_rows is None else n_rows + max(HEADER_SEARCH_ROWS, header_row or 0) + 2


def _blank(column: str) -> pl.Expr:
    col = pl.col(column)
    return col.is_null() | col.str.contains(r"^[\s\x{200B}\x{FEFF}]*$")


def _filled(columns: list[str]) -> list[pl.Expr]:
    return [~_blank(c) for c in columns]


def _filled_counts(grid: pl.DataFrame) -> list[int]:
    """Non-blank cells in each of the first rows."""
    top = grid.head(HEADER_SEARCH_ROWS)
    return top.select(pl.sum_horizontal(_filled(top.columns)).alias("n"))["n"].to_list()


def _find_header(grid: pl.DataFrame, first_row: int) -> tuple[pl.DataFrame, int, int]:
    """Skip leading blank rows; the header is the first row at least half as full as the fullest
    of the next rows (titles and notes above a table fill one or two cells)."""
    counts = _filled_counts(grid)
    if not any(counts):
        # Only blank rows at the top: look further for the first row with something in it.
        nonblank = grid.select(pl.any_horizontal(_filled(grid.columns)).arg_true().first()).item()
        if nonblank is None:
            raise FileRefused("File kosong: tidak ada data di dalamnya.", "kosong")
        grid = grid.slice(nonblank)
        first_row += nonblank
        counts = _filled_counts(grid)
    widest = max(counts)
    needed = max(2, math.ceil(widest / 2)) if widest >= 2 else 1
    return grid, first_row, next(i for i, n in enumerate(counts) if n >= needed)


def _chosen_header(grid: pl.DataFrame, first_row: int, header_row: int) -> int:
    """The grid index of the header row the user chose, refused when blank or absent."""
    h = header_row - first_row
    if (
        not 0 <= h < grid.height
        or not grid.slice(h, 1).select(pl.any_horizontal(_filled(grid.columns))).item()
    ):
        raise FileRefused(
            f"Baris {header_row} yang dipilih sebagai judul kolom kosong atau tidak ada.",
            "judul_kosong",
        )
    return h


def split_header(
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
        h = _chosen_header(grid, first_row, header_row)
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
    body = _without_numbering_row(body, header_row, warnings)
    names = _header_names(header_cells, first_col, warnings)
    kept = _named_columns(grid.columns, body, names, first_col, warnings)
    if len(kept) > max_columns:
        raise too_many_columns(len(kept), max_columns)
    body = body.select([grid.columns[j] for j, _name in kept] + [ROW])
    return [name for _j, name in kept], body, header_row, warnings


def _without_numbering_row(
    body: pl.DataFrame, header_row: int, warnings: list[str]
) -> pl.DataFrame:
    """Drop a row of column numbers under the header ("1", "2", "3" …), as in government forms."""
    if not body.height:
        return body
    first = [v.strip() if isinstance(v, str) else "" for v in body.row(0)[:-1]]
    filled = [v for v in first if v]
    numbers = [_NUMBERING.match(v) for v in filled]
    if (
        len(filled) >= 3
        and all(numbers)
        and [int(m.group(1)) for m in numbers if m] == list(range(1, len(filled) + 1))
    ):
        warnings.append(f"Baris {header_row + 1} berisi nomor kolom (1, 2, 3, …) dan dilewati.")
        return body.slice(1)
    return body


def _header_names(cells: list[str | None], first_col: int, warnings: list[str]) -> list[str | None]:
    """Header texts with white space folded and long ones cut; None for an empty header."""
    names: list[str | None] = []
    for j, cell in enumerate(cells):
        text = _HEADER_WS.sub(" ", cell).strip() if cell else ""
        if len(text) > MAX_HEADER_CHARS:
            warnings.append(
                f"Judul kolom {column_letter(first_col + j)} terlalu panjang "
                f"({thousands(len(text))} karakter) dan dipotong."
            )
            text = text[:MAX_HEADER_CHARS]
        names.append(text or None)
    return names


def _named_columns(
    columns: list[str],
    body: pl.DataFrame,
    names: list[str | None],
    first_col: int,
    warnings: list[str],
) -> list[tuple[int, str]]:
    """The columns kept, by index, with their names.

    Columns without a header are dropped when empty, otherwise named after their Excel letter.
    """
    empty = body.select(
        [_blank(c).all().alias(c) for c, name in zip(columns, names, strict=True) if not name]
    )
    kept: list[tuple[int, str]] = []
    untitled: list[str] = []
    for j, name in enumerate(names):
        if name is None:
            if empty.height and empty[columns[j]][0]:
                continue
            untitled.append(column_letter(first_col + j))
            name = f"Kolom {untitled[-1]}"
        kept.append((j, name))
    if untitled:
        warnings.append(
            f"Kolom {', '.join(untitled[:ROWS_NAMED])} tidak berjudul tetapi berisi data; kolom "
            f"tersebut dinamai 'Kolom {untitled[0]}' dst. dan dapat dipilih di pemetaan kolom."
        )
    return kept


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
    """Repeated headers numbered: "nama", "nama (2)"."""
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


def finalise(
    headers: list[str], body: pl.DataFrame, n_rows: int | None, header_row: int
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
