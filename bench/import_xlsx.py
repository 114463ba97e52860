"""Benchmark: import an Excel workbook of 200,000 clean worker rows into SQLite.

Not a test. From the project root::

    .venv/bin/python bench/import_xlsx.py                 # 200,000 rows
    .venv/bin/python bench/import_xlsx.py --rows 20000

Targets (the import issue): the whole import (read + validate + load, committed) within 30 s,
and peak memory of the import process under 2 GB.

The workbook is written with xlsxwriter the way a careful office saves one: one sheet, the
import template's headers in row 1, NIKs as *text* cells, birth dates as real Excel dates
(``dd/mm/yyyy`` format), income and decile as numbers, everything else as text. Writing it is
not timed. Then, in a fresh process, a fresh SQLite database in a temporary directory is
migrated, and ``lindung import workers FILE`` (``call_command``: read, map, validate, load,
commit, summary and report) is timed in another fresh process; see ``bench/_common.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    ROOT,
    banner,
    child_import,
    child_main,
    clean_workers,
    code_version,
    describe_import,
    load_average,
    peak_mb,
    run_child,
    setup_django,
    template_frame,
)

SCRIPT = str(Path(__file__).resolve())
SECONDS_TARGET = 30.0
MEMORY_TARGET_MB = 2048.0


def child_prepare(database_url: str, workdir: str, rows: int, seed: int) -> dict[str, Any]:
    """Migrate the fresh SQLite database and write the workbook."""
    import xlsxwriter

    setup_django(database_url, migrate=True)
    frame = template_frame(clean_workers(rows, seed))
    path = Path(workdir) / "workers.xlsx"
    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Pekerja")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    text_format = workbook.add_format({"num_format": "@"})  # "Text" in Excel's format menu
    columns = frame.columns
    sheet.write_row(0, 0, columns)
    kinds = {name: "text" for name in columns}
    kinds |= {"tanggal_lahir": "date", "penghasilan_bulanan": "number", "desil": "number"}
    write = sheet.write_string
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, (name, value) in enumerate(zip(columns, row, strict=True)):
            if value is None:
                continue
            kind = kinds[name]
            if kind == "text":
                write(r, c, str(value), text_format if name == "nik" else None)
            elif kind == "date":
                assert isinstance(value, date)
                sheet.write_datetime(r, c, value, date_format)
            else:
                sheet.write_number(r, c, value)
    sheet.set_column(0, 0, 18)
    workbook.close()
    print(
        f"workbook: {path.stat().st_size / 1e6:.0f} MB, written in "
        f"{time.perf_counter() - started:.1f} s (not timed)"
    )
    return {"xlsx": str(path), "peak_mb": peak_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--args", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main({"prepare": child_prepare, "import": child_import}, args.child, args.args)
        return

    code_start = code_version()
    banner(f"Import benchmark: {args.rows:,} worker rows from XLSX into SQLite")
    results: dict[str, Any] = {"rows": args.rows, "load_average_start": load_average()}
    with tempfile.TemporaryDirectory(prefix="lindung-bench-xlsx-") as tmp:
        workdir = Path(tmp)
        env = {"LINDUNG_VAR_DIR": str(workdir)}  # never the developer's database
        url = f"sqlite:///{workdir}/bench.sqlite3"
        prepared = run_child(
            SCRIPT, "prepare", env=env, database_url=url, workdir=tmp, rows=args.rows,
            seed=args.seed,
        )  # fmt: skip
        results["file_mb"] = Path(prepared["xlsx"]).stat().st_size / 1e6
        print(f"\nSQLite (fresh database in {workdir}), load average {load_average()}")
        imported = run_child(
            SCRIPT, "import", env=env, database_url=url, path=prepared["xlsx"], rows=args.rows
        )
        print(describe_import(imported))
        ok = imported["seconds"] <= SECONDS_TARGET and imported["peak_mb"] < MEMORY_TARGET_MB
        print(
            f"  ratio to the {SECONDS_TARGET:.0f} s target: "
            f"{imported['seconds'] / SECONDS_TARGET:.2f} (peak memory target < "
            f"{MEMORY_TARGET_MB:.0f} MB): {'target MET' if ok else 'target MISSED'}"
        )
        results["sqlite"] = {"import": imported, "ok": ok}
    results["load_average_end"] = load_average()
    results["code_start"], results["code_end"] = code_start, code_version()
    if results["code_end"] != code_start:
        print(f"\nWARNING: the code changed during the run ({code_start} → {results['code_end']})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    print("\n" + json.dumps(results, default=str))


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    main()
