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

Where things are: :mod:`.detect` (format from magic bytes, size and binary refusals),
:mod:`.csv` (encodings, delimiters), :mod:`.zipcheck` (zip-bomb and sparse-sheet checks),
:mod:`.xlsx` (sheets, via calamine), :mod:`.parquet`, :mod:`.cells` (typed values as text),
:mod:`.layout` (header row, blank rows, column names) and :mod:`.common` (``RawTable``,
``FileRefused`` and the Indonesian wording they share).
"""

from __future__ import annotations

import logging
from pathlib import Path

from lindung.imports.reading.common import ASK_SAVE, ROW, FileRefused, RawTable, column_letter
from lindung.imports.reading.csv import read_csv
from lindung.imports.reading.detect import check_size, format_of
from lindung.imports.reading.parquet import read_parquet
from lindung.imports.reading.xlsx import read_xlsx

__all__ = ["MAX_ROWS", "ROW", "FileRefused", "RawTable", "column_letter", "read_table"]

log = logging.getLogger(__name__)

#: More lines than this in one file is not a list of people (Kaltim has 4.1 million): refused
#: before parsing, so that a file of nothing but line breaks cannot exhaust memory. Read here at
#: each call and handed to the readers, so that setting ``reading.MAX_ROWS`` takes effect.
MAX_ROWS = 5_000_000


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
            "File tidak dapat dibaca (isi file rusak atau formatnya tidak dikenali). " + ASK_SAVE,
            "tidak_terbaca",
        ) from exc
    table.max_cell_chars = max_cell_chars
    return table


def _read(
    path: Path, max_bytes: int, max_columns: int, n_rows: int | None, header_row: int | None
) -> RawTable:
    check_size(path, max_bytes)
    kind = format_of(path)
    if kind == "xlsx":
        return read_xlsx(path, max_bytes, max_columns, n_rows, header_row)
    if kind == "parquet":
        return read_parquet(path, max_columns, MAX_ROWS, n_rows)
    return read_csv(path, max_columns, MAX_ROWS, n_rows, header_row)
