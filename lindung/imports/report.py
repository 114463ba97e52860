"""The validation report as XLSX: every rejected or flagged row, with row, column and reason."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from lindung.core.exports import neutralise_column

COLUMNS = {
    "row": "Baris",
    "column": "Kolom",
    "value": "Nilai",
    "problem": "Masalah",
    "severity": "Tindakan",
}
SUMMARY_LABELS = {
    "rows": "Baris dalam file",
    "created": "Baru disimpan",
    "updated": "Diperbarui",
    "unchanged": "Tidak berubah",
    "rejected": "Baris ditolak",
    "flagged": "Baris ditandai",
}


def write_report(path: Path, issues: pl.DataFrame, counts: dict[str, int], title: str) -> Path:
    """Two sheets: "Ringkasan" (counts) and "Masalah" (one line per issue)."""
    safe = issues.select(list(COLUMNS)).with_columns(
        neutralise_column(c) for c in ("column", "value", "problem")
    )
    summary = pl.DataFrame(
        {
            "Keterangan": [title, *(SUMMARY_LABELS[k] for k in SUMMARY_LABELS if k in counts)],
            "Jumlah": [None, *(counts[k] for k in SUMMARY_LABELS if k in counts)],
        }
    )
    import xlsxwriter

    with xlsxwriter.Workbook(
        path, {"strings_to_formulas": False, "strings_to_urls": False}
    ) as book:
        summary.write_excel(book, worksheet="Ringkasan", autofit=True)
        safe.rename(COLUMNS).write_excel(book, worksheet="Masalah", autofit=True)
    return path
