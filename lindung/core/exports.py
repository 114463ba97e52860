"""Safe tabular exports shared by every module.

A cell that starts with ``=``, ``+``, ``-``, ``@`` or a control character is a formula to Excel
and LibreOffice ("CSV injection"); a hostile name such as ``=HYPERLINK(...)`` in an uploaded
file must never run on an officer's machine, so every exported text cell passes through
:func:`neutralise`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def neutralise(value: Any) -> Any:
    """Prefix a formula-looking text with an apostrophe; leave numbers and dates alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text for a streaming response: UTF-8 BOM and ``;`` so Indonesian Excel opens it."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def neutralise_column(name: str) -> Any:
    """The same rule as :func:`neutralise` as a Polars expression, for large frames."""
    import polars as pl

    column = pl.col(name).cast(pl.Utf8)
    pattern = "^[" + "".join("\\" + p if p in "-|" else p for p in FORMULA_PREFIXES) + "]"
    return pl.when(column.str.contains(pattern)).then("'" + column).otherwise(column).alias(name)


def xlsx_bytes(
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    *,
    created: Any = None,
) -> bytes:
    """An XLSX workbook, one ``(sheet name, header, rows)`` per sheet, text cells neutralised.

    ``created`` (a datetime) fixes the document date, so the same rows give byte-identical
    files: a re-downloaded batch is the file that was sent.
    """
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(buffer, options) as book:
        if created is not None:
            book.set_properties({"created": created})
        bold = book.add_format({"bold": True})
        for name, header, rows in sheets:
            sheet = book.add_worksheet(name[:31])
            sheet.write_row(0, 0, list(header), bold)
            widths = [len(str(h)) for h in header]
            for r, row in enumerate(rows, start=1):
                cells = [neutralise(cell) for cell in row]
                sheet.write_row(r, 0, cells)
                widths = [max(w, len(str(c or ""))) for w, c in zip(widths, cells, strict=False)]
            for c, width in enumerate(widths):
                sheet.set_column(c, c, min(width + 2, 60))
            sheet.freeze_panes(1, 0)
    return buffer.getvalue()
