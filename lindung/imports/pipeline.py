"""One import, start to finish: read → map columns → validate → load → report.

The same function serves the browser (through the background job in ``jobs.py``) and the
command line (``lindung import``). It never touches the database outside ``loaders.load``,
which is one transaction: a refused, failed, cancelled or killed import stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.conf import settings

from lindung.imports import headers, loaders, reading, validate
from lindung.imports.schemas import SCHEMAS

Progress = Callable[[int, str], None]


def _no_progress(percent: int, stage: str) -> None:
    return None


@dataclass
class Outcome:
    """What happened, in numbers and in Indonesian sentences."""

    kind: str
    refused: bool = False
    messages: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    issues: pl.DataFrame | None = None
    mapping: dict[str, str] = field(default_factory=dict)


def detect_kind(kind: str, file_headers: list[str]) -> str:
    """A "companies" file that carries NPP numbers is BPJS employer data, not a licensing list."""
    if kind != "companies":
        return kind
    employer_mapping = headers.map_columns(file_headers, SCHEMAS["employers"])
    return "employers" if "npp" in employer_mapping.columns.values() else kind


def preview(
    path: Path, kind: str, overrides: dict[str, str] | None = None, rows: int = 10
) -> dict[str, object]:
    """The first rows and the detected column mapping, for the mapping screen."""
    table = reading.read_table(path, max_bytes=settings.LINDUNG_MAX_UPLOAD_BYTES, n_rows=rows)
    file_headers = [c for c in table.frame.columns if c != "__row"]
    kind = detect_kind(kind, file_headers)
    schema = SCHEMAS[kind]
    mapping = headers.map_columns(file_headers, schema, overrides)
    return {
        "kind": kind,
        "headers": file_headers,
        "rows": table.frame.select(file_headers).rows(),
        "mapping": mapping,
        "problems": headers.mapping_problems(mapping, schema),
        "fields": schema.fields,
        "warnings": table.warnings,
    }


def run(
    path: Path,
    kind: str,
    *,
    context: loaders.LoadContext,
    overrides: dict[str, str] | None = None,
    progress: Progress = _no_progress,
) -> Outcome:
    """Run one import; ``context.dry_run`` validates against the database without storing."""
    progress(5, "Membaca file")
    try:
        table = reading.read_table(path, max_bytes=settings.LINDUNG_MAX_UPLOAD_BYTES)
    except reading.FileRefused as refused:
        return Outcome(kind=kind, refused=True, messages=[refused.message])
    file_headers = [c for c in table.frame.columns if c != "__row"]
    kind = detect_kind(kind, file_headers)
    schema = SCHEMAS[kind]
    mapping = headers.map_columns(file_headers, schema, overrides)
    problems = headers.mapping_problems(mapping, schema)
    if problems:
        return Outcome(kind=kind, refused=True, messages=problems, mapping=mapping.columns)
    progress(25, f"Memvalidasi {table.frame.height:,} baris".replace(",", "."))
    checked = validate.validate(table, schema, mapping)
    progress(55, "Memeriksa terhadap basis data" if context.dry_run else "Menyimpan ke basis data")
    loaded = loaders.load(kind, checked.rows, context=context)
    issues = pl.concat([checked.issues, loaded.issues], how="vertical_relaxed").sort("row")
    rejected_rows = issues.filter(pl.col("severity") == "ditolak")["row"].n_unique()
    flagged_rows = issues.filter(pl.col("severity") == "ditandai")["row"].n_unique()
    counts = {
        "rows": table.frame.height,
        "rejected": rejected_rows,
        "flagged": flagged_rows,
        "created": loaded.created,
        "updated": loaded.updated,
        "unchanged": loaded.unchanged,
    }
    progress(90, "Menyusun laporan")
    return Outcome(
        kind=kind, counts=counts, issues=issues, messages=table.warnings, mapping=mapping.columns
    )
