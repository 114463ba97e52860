"""Parquet: flat tables only, counted before they are read.

Parquet comes from programs (BPJS extracts), not hands: there is no header to find, but
nested columns cannot be imported and the row count is known before reading.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from lindung.imports.reading.cells import series_text
from lindung.imports.reading.common import (
    ROW,
    FileRefused,
    RawTable,
    too_many_columns,
    too_many_rows,
)
from lindung.imports.reading.layout import finalise


def _broken() -> FileRefused:
    return FileRefused("File Parquet rusak atau tidak lengkap.", "parquet_rusak")


def read_parquet(path: Path, max_columns: int, max_rows: int, n_rows: int | None) -> RawTable:
    """Read a flat Parquet file into a :class:`RawTable` (header row 1, data from row 2)."""
    try:
        schema = pl.read_parquet_schema(path)
    except Exception as exc:
        raise _broken() from exc
    if len(schema) > max_columns:
        raise too_many_columns(len(schema), max_columns)
    for name, dtype in schema.items():
        if isinstance(dtype, (pl.List, pl.Array, pl.Struct, pl.Object)):
            raise FileRefused(
                f"Kolom '{name}' di file Parquet berisi data bertingkat; hanya tabel datar yang "
                "dapat diimpor.",
                "parquet_bertingkat",
            )
    try:
        if pl.scan_parquet(path).select(pl.len()).collect().item() > max_rows:
            raise too_many_rows(max_rows)
        frame = pl.read_parquet(path, n_rows=n_rows)
    except FileRefused:
        raise
    except Exception as exc:
        raise _broken() from exc
    text = pl.DataFrame(
        [series_text(frame[c]).alias(f"column_{i}") for i, c in enumerate(frame.columns)]
    )
    data = text.with_columns(pl.int_range(2, text.height + 2, dtype=pl.Int64).alias(ROW))
    return RawTable(finalise(list(frame.columns), data, n_rows, 1), "parquet", header_row=1)
