"""Benchmark: import 1,000,000 clean worker rows from CSV, against ``psql \\copy`` of the same.

Not a test. From the project root::

    .venv/bin/python bench/import_workers.py                    # PostgreSQL and SQLite
    .venv/bin/python bench/import_workers.py --rows 100000 --no-sqlite

Targets (the import issue):

* PostgreSQL: the whole import (read + validate + load, committed) within 2× the time of
  ``psql \\copy`` of the same, already clean rows into an equivalent table;
* SQLite: the whole import within 60 s;
* peak memory of each import process under 2 GB.

Steps:

1. Generate clean rows with ``lindung.demo.generator.generate_workers(n, seed, damage=False)``
   (distinct NIKs, proposer "64") and write them twice: the *import file*, a CSV with the
   import template's headers (what a user uploads), and the *\\copy file*, the same rows in
   ``registry_worker``'s columns with the derived values already filled in (``name_search``,
   kecamatan and kab/kota, status, timestamps), which is what ``\\copy`` needs.
2. PostgreSQL (``--database-url``; by default a ``lindung_bench`` database, created and
   migrated here). Reference: ``psql \\copy`` of the \\copy file into ``bench_worker_copy``,
   made with ``CREATE TABLE … (LIKE registry_worker INCLUDING DEFAULTS INCLUDING IDENTITY
   INCLUDING CONSTRAINTS)`` plus every index ``registry_worker`` has *now*, read from
   ``pg_indexes`` after migrating (primary key, b-tree, partial unique, trigram GIN) and
   re-created under new names; no foreign keys. Then, in a fresh process, empty
   ``registry_worker`` and time ``lindung import workers FILE`` (``call_command``: read, map,
   validate, load, commit, summary and report) on the import file.
3. SQLite: the same import into a fresh, migrated database in a temporary directory.
4. ``--reimport``: also time a second import of the same file (idempotent: nothing changes).

Every timed import runs in its own fresh process; its peak memory is that process's
``ru_maxrss``. The machine's load average is printed around each step: other work on a shared
machine slows both sides.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

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
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lindung_bench"
PG_RATIO_TARGET = 2.0
SQLITE_SECONDS_TARGET = 60.0
MEMORY_TARGET_MB = 2048.0

#: registry_worker columns filled by \copy (all but id)
TABLE_COLUMNS = [
    "nik", "nik_status", "name", "name_search", "birth_date", "sex", "address", "desa_id",
    "kecamatan_id", "kabkota_id", "occupation", "monthly_income", "poverty_decile",
    "proposer_id", "source", "status", "created_at", "updated_at",
]  # fmt: skip


# --- children ---------------------------------------------------------------------------------


def child_prepare(database_url: str, workdir: str, rows: int, seed: int) -> dict[str, Any]:
    """Migrate the database (PostgreSQL: create it first) and write the two input files."""
    import polars as pl

    if database_url.startswith("postgres"):
        ensure_database(database_url)
    setup_django(database_url, migrate=True)
    from lindung.registry.names import search_key_series

    frame = clean_workers(rows, seed)
    paths = {"copy": Path(workdir) / "workers_table.csv", "csv": Path(workdir) / "workers.csv"}
    now = "2026-01-01 00:00:00+00"
    frame.with_columns(
        search_key_series(frame.get_column("name")).alias("name_search"),
        pl.lit("diusulkan").alias("status"),
        pl.lit(now).alias("created_at"),
        pl.lit(now).alias("updated_at"),
    ).select(TABLE_COLUMNS).write_csv(paths["copy"])
    template_frame(frame).write_csv(paths["csv"])
    for label, path in (("\\copy file", paths["copy"]), ("import file", paths["csv"])):
        print(f"{label}: {path.stat().st_size / 1e6:.0f} MB")
    return {k: str(v) for k, v in paths.items()} | {"peak_mb": peak_mb()}


def child_migrate(database_url: str) -> dict[str, Any]:
    setup_django(database_url, migrate=True)
    return {}


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    parts = urlparse(url)
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
            "-U", parts.username or "postgres"]  # fmt: skip
    env = dict(
        os.environ, PGPASSWORD=parts.password or "", PGOPTIONS="-c client_min_messages=warning"
    )
    return args, env


def psql(url: str, command: str) -> tuple[float, str]:
    """Run one psql command; return its wall-clock time and its unaligned output."""
    args, env = _pg_args(url)
    database = urlparse(url).path.lstrip("/")
    started = time.perf_counter()
    run = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", "-v", "ON_ERROR_STOP=1", *args,
         "-d", database, "-c", command],
        check=True, env=env, capture_output=True, text=True,
    )  # fmt: skip
    return time.perf_counter() - started, run.stdout


def ensure_database(url: str) -> None:
    args, env = _pg_args(url)
    name = urlparse(url).path.lstrip("/")
    subprocess.run(["createdb", *args, name], env=env, capture_output=True, check=False)


_INDEX_DEF = re.compile(r"^CREATE (UNIQUE )?INDEX (\S+) ON (?:\S+\.)?registry_worker (USING .*)$")


def copy_table_indexes(url: str) -> list[tuple[str, str]]:
    """``registry_worker``'s current indexes (from ``pg_indexes``) as DDL for the copy table."""
    _, out = psql(
        url,
        "SELECT indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = current_schema() AND tablename = 'registry_worker' ORDER BY indexname",
    )
    statements = []
    for line in out.splitlines():
        name, definition = line.split("\x1f")
        match = _INDEX_DEF.match(definition)
        if not match:
            raise SystemExit(f"unexpected index definition: {definition}")
        unique, _, rest = match.groups()
        statements.append(
            (name, f"CREATE {unique or ''}INDEX bench_copy_{name} ON bench_worker_copy {rest}")
        )
    return statements


def time_copy(url: str, csv_path: Path) -> dict[str, Any]:
    indexes = copy_table_indexes(url)
    psql(url, "DROP TABLE IF EXISTS bench_worker_copy")
    psql(
        url,
        "CREATE TABLE bench_worker_copy (LIKE registry_worker "
        "INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS)",
    )
    for _name, statement in indexes:
        psql(url, statement)
    psql(url, "CHECKPOINT")
    before = load_average()
    columns = ", ".join(TABLE_COLUMNS)
    seconds, _ = psql(
        url,
        f"\\copy bench_worker_copy ({columns}) FROM '{csv_path}' WITH (FORMAT csv, HEADER)",
    )
    after = load_average()
    _, count = psql(url, "SELECT count(*) FROM bench_worker_copy")
    psql(url, "DROP TABLE bench_worker_copy")
    psql(url, "CHECKPOINT")
    return {
        "seconds": seconds,
        "rows": int(count),
        "indexes": [name for name, _ in indexes],
        "load_average_before": before,
        "load_average_after": after,
    }


# --- main -------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "target MET" if ok else "target MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-postgresql", action="store_true")
    parser.add_argument("--reimport", action="store_true", help="also time a repeat import")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--args", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        steps = {"prepare": child_prepare, "migrate": child_migrate, "import": child_import}
        child_main(steps, args.child, args.args)
        return

    code_start = code_version()
    banner(f"Import benchmark: {args.rows:,} worker rows from CSV")
    url = args.database_url
    results: dict[str, Any] = {"rows": args.rows, "load_average_start": load_average()}
    with tempfile.TemporaryDirectory(prefix="lindung-bench-") as tmp:
        workdir = Path(tmp)
        # SQLite runs get their own var/ directory: never the developer's database.
        sqlite_env = {"LINDUNG_VAR_DIR": str(workdir)}
        setup_url = f"sqlite:///{workdir}/setup.sqlite3" if args.no_postgresql else url
        prepared = run_child(
            SCRIPT, "prepare", env=sqlite_env if args.no_postgresql else None,
            database_url=setup_url, workdir=str(workdir), rows=args.rows, seed=args.seed,
        )  # fmt: skip
        csv_path = prepared["csv"]
        results["file_mb"] = Path(csv_path).stat().st_size / 1e6

        if not args.no_postgresql:
            print(f"\nPostgreSQL ({urlparse(url).path.lstrip('/')}), load average {load_average()}")
            copy = time_copy(url, Path(prepared["copy"]))
            assert copy["rows"] == args.rows, copy
            print(
                f"  reference: psql \\copy into an equivalent table: {copy['seconds']:7.1f} s "
                f"(indexes from pg_indexes: {', '.join(copy['indexes'])}; load average before "
                f"{copy['load_average_before']}, after {copy['load_average_after']})"
            )
            imported = run_child(SCRIPT, "import", database_url=url, path=csv_path, rows=args.rows)
            print(describe_import(imported))
            ratio = imported["seconds"] / copy["seconds"]
            ok = ratio <= PG_RATIO_TARGET and imported["peak_mb"] < MEMORY_TARGET_MB
            print(
                f"  ratio whole import / \\copy: {ratio:.2f} (target ≤ {PG_RATIO_TARGET}; "
                f"peak memory target < {MEMORY_TARGET_MB:.0f} MB): {verdict(ok)}"
            )
            results["postgresql"] = {"copy": copy, "import": imported, "ratio": ratio, "ok": ok}
            if args.reimport:
                again = run_child(
                    SCRIPT, "import", database_url=url, path=csv_path, rows=args.rows,
                    expect="unchanged", empty=False,
                )  # fmt: skip
                print("  repeat of the same file (nothing changes):")
                print(describe_import(again, indent="    "))
                results["postgresql"]["reimport"] = again

        if not args.no_sqlite:
            print(f"\nSQLite (fresh database in {workdir}), load average {load_average()}")
            sqlite_url = f"sqlite:///{workdir}/bench.sqlite3"
            run_child(SCRIPT, "migrate", env=sqlite_env, database_url=sqlite_url)
            imported = run_child(
                SCRIPT, "import", env=sqlite_env, database_url=sqlite_url, path=csv_path,
                rows=args.rows,
            )  # fmt: skip
            print(describe_import(imported))
            ok = imported["seconds"] <= SQLITE_SECONDS_TARGET and (
                imported["peak_mb"] < MEMORY_TARGET_MB
            )
            print(
                f"  ratio to the {SQLITE_SECONDS_TARGET:.0f} s target: "
                f"{imported['seconds'] / SQLITE_SECONDS_TARGET:.2f} (peak memory target < "
                f"{MEMORY_TARGET_MB:.0f} MB): {verdict(ok)}"
            )
            results["sqlite"] = {"import": imported, "ok": ok}
            if args.reimport:
                again = run_child(
                    SCRIPT, "import", env=sqlite_env, database_url=sqlite_url, path=csv_path,
                    rows=args.rows, expect="unchanged", empty=False,
                )  # fmt: skip
                print("  repeat of the same file (nothing changes):")
                print(describe_import(again, indent="    "))
                results["sqlite"]["reimport"] = again
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
