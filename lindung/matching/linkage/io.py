"""Reading LEFT/RIGHT files for linkage with the import readers and header aliases."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from lindung.imports.headers import map_columns
from lindung.imports.reading import read_table
from lindung.imports.schemas import PARTICIPANTS, WORKERS, ImportSchema
from lindung.matching.linkage.prepare import INPUT_COLUMNS

__all__ = ["MAX_BYTES", "read_for_link", "read_people", "standardise"]

MAX_BYTES = 2 * 1024**3
_ID_NAMES = {"id", "idrecord", "recordid", "nomor", "no", "uniqueid"}


def standardise(frame: pl.DataFrame, schema: ImportSchema = WORKERS) -> pl.DataFrame:
    """Rename a frame's columns to the canonical import names (``nama``, ``tanggal_lahir``…)
    using :func:`lindung.imports.headers.map_columns`; keeps ``id``. Raises ValueError when
    ``id`` or ``nama`` cannot be found."""
    from lindung.imports.headers import normalise_header

    id_col = next((c for c in frame.columns if normalise_header(c) in _ID_NAMES), None)
    if id_col is None:
        raise ValueError("kolom 'id' tidak ditemukan")
    others = [c for c in frame.columns if c != id_col]
    mapping = map_columns(others, schema)
    renamed = {h: f for h, f in mapping.columns.items() if f in INPUT_COLUMNS}
    if "nama" not in renamed.values():
        raise ValueError("kolom 'nama' tidak ditemukan")
    out = frame.select(
        pl.col(id_col).cast(pl.String).alias("id"),
        *[pl.col(h).alias(f) for h, f in renamed.items()],
    )
    return out


def read_people(path: str | Path, kind: str = "workers") -> pl.DataFrame:
    """A LEFT (``workers``) or RIGHT (``participants``) file → canonical columns."""
    table = read_table(path, max_bytes=MAX_BYTES)
    frame = table.frame.drop("__row", strict=False)
    return standardise(frame, WORKERS if kind == "workers" else PARTICIPANTS)


def read_for_link(path: str | Path, kind: str, settings: object = None) -> pl.DataFrame:
    """What ``lindung link`` should read: with a declared schema (``settings.schema``) the
    file's own columns, as they are (the schema names them, and its ``id``); otherwise
    :func:`read_people`."""
    schema = getattr(settings, "schema", None)
    if schema is None:
        return read_people(path, kind)
    table = read_table(path, max_bytes=MAX_BYTES)
    frame = table.frame.drop("__row", strict=False)
    missing = [c.name for c in schema.columns if c.name not in frame.columns]
    if schema.id not in frame.columns:
        missing.insert(0, schema.id)
    if missing:
        raise ValueError(f"kolom tidak ditemukan di {Path(path).name}: {', '.join(missing)}")
    return frame
