"""Excel .xlsx: the first sheet with data, read by calamine after the zip checks pass.

Workbooks from offices often hold several sheets, hidden ones included; the first visible
sheet with data is read (a hidden one only if no visible one has data), and the user is told.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from lindung.imports.reading.cells import cell_text, series_text
from lindung.imports.reading.common import FileRefused, RawTable
from lindung.imports.reading.layout import finalise, rows_to_read, split_header
from lindung.imports.reading.zipcheck import SheetStats, corrupt_xlsx, guard_sheet, inspect_zip

_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')


def read_xlsx(
    path: Path, max_bytes: int, max_columns: int, n_rows: int | None, header_row: int | None
) -> RawTable:
    """Read the first sheet with data into a :class:`RawTable`."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    stats = inspect_zip(path, max_bytes)
    parts = _sheet_parts(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        metas = [m for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    except Exception as exc:
        raise corrupt_xlsx() from exc
    visible = [m for m in metas if m.visible == SheetVisibleEnum.Visible]
    hidden = [m for m in metas if m.visible != SheetVisibleEnum.Visible]
    limit = rows_to_read(n_rows, header_row)
    for meta in visible + hidden:
        if not _may_hold_data(meta.name, stats, parts, max_columns):
            continue
        loaded = _load_sheet(workbook, meta.name, limit)
        if loaded is None:
            continue
        grid, start = loaded
        warnings: list[str] = []
        if len(metas) > 1:
            warnings.append(
                f"File memiliki {len(metas)} lembar kerja; yang dibaca hanya lembar "
                f"'{meta.name}' (lembar pertama yang berisi data)."
            )
        if meta in hidden:
            warnings.append(f"Lembar '{meta.name}' tersembunyi di Excel, tetapi berisi data.")
        headers, data, found_row, more = split_header(
            grid,
            first_row=start[0] + 1,
            first_col=start[1],
            max_columns=max_columns,
            header_row=header_row,
        )
        warnings.extend(more)
        frame = finalise(headers, data, n_rows, found_row)
        return RawTable(frame, "xlsx", sheet=meta.name, warnings=warnings, header_row=found_row)
    raise FileRefused("File Excel kosong: tidak ada lembar kerja yang berisi data.", "kosong")


def _may_hold_data(
    name: str, stats: dict[str, SheetStats], parts: dict[str, str], max_columns: int
) -> bool:
    """Guard the sheet's extent; False when its part has no cells (no need to load it)."""
    part_stats = stats.get(parts.get(name, ""))
    if part_stats is None:  # unusual layout: every worksheet part must pass the guard
        for other in stats.values():
            guard_sheet(name, other, max_columns)
        return True
    if part_stats.cells == 0:
        return False
    guard_sheet(name, part_stats, max_columns)
    return True


def _load_sheet(
    workbook: Any, name: str, limit: int | None
) -> tuple[pl.DataFrame, tuple[int, int]] | None:
    """The sheet's used area as a text grid and its top-left cell; None when blank."""
    try:
        sheet = workbook.get_sheet_by_name(name)
        if sheet.height == 0 or sheet.width == 0:
            return None
        rows = sheet.to_python(skip_empty_area=True, nrows=limit)
        start = sheet.start or (0, 0)
    except Exception as exc:
        raise corrupt_xlsx(f"lembar '{name}' tidak terbaca") from exc
    grid = _grid_from_rows(rows)
    return None if grid is None else (grid, start)


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
            series = series_text(pl.Series(name, column, dtype=pl.Float64))
        elif types == {date}:
            series = pl.Series(name, column, dtype=pl.Date).dt.to_string("%Y-%m-%d")
        else:
            series = pl.Series(name, [cell_text(v) for v in column], dtype=pl.String)
        columns.append(series)
    return pl.DataFrame(columns)
