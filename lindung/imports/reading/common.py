"""What every reader shares: the table it returns, the refusal it raises, Indonesian numbers.

Refusals are the user's only feedback on a bad file, so their wording lives with the helpers
that format sizes, row lists and column letters the way a user sees them in Excel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from lindung.core.formats import thousands

ROW = "__row"

#: Rows named in a warning before "… dan N baris lain".
ROWS_NAMED = 10

ASK_SAVE = "Buka file di Excel lalu simpan sebagai Excel Workbook (.xlsx) atau CSV UTF-8."


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


def size_text(n: int, other: int | None = None) -> str:
    """Human size in Indonesian; with ``other``, precise enough that the two differ."""
    units = ((1024**3, "GB"), (1024**2, "MB"), (1024, "KB"))
    for factor, unit in units:
        if n >= factor or (other is not None and other >= factor):
            for decimals in (0, 1, 2):
                text = thousands(n / factor, decimals)
                if other is None or text != thousands(other / factor, decimals):
                    return f"{text} {unit}"
            return f"{thousands(n)} byte"
    return f"{thousands(n)} byte"


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA" (Excel column names)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def rows_text(rows: list[int]) -> str:
    """ "2, 5, 9" or "2, 5, … dan 12 baris lain": the rows a warning names."""
    shown = ", ".join(thousands(r) for r in rows[:ROWS_NAMED])
    if len(rows) > ROWS_NAMED:
        shown += f" dan {thousands(len(rows) - ROWS_NAMED)} baris lain"
    return shown


def too_many_rows(max_rows: int) -> FileRefused:
    return FileRefused(
        f"File memiliki lebih dari {thousands(max_rows)} baris; bagi data menjadi beberapa file.",
        "terlalu_banyak_baris",
    )


def too_many_columns(count: int, maximum: int) -> FileRefused:
    return FileRefused(
        f"File memiliki {thousands(count)} kolom; maksimum {thousands(maximum)}. Hapus kolom yang "
        "tidak dipakai, lalu unggah lagi.",
        "terlalu_banyak_kolom",
    )
