"""Benchmark: load 1,000,000 clean worker rows, against ``psql \\copy`` of the same data.

Not a test. From the project root::

    .venv/bin/python bench/import_workers.py                    # PostgreSQL and SQLite
    .venv/bin/python bench/import_workers.py --rows 200000 --no-sqlite

Steps:

1. Generate a clean worker frame with ``lindung.demo.generator.generate_workers(n, seed,
   damage=False)`` (one proposal per NIK, proposer "64") and write it three ways: a CSV in the
   table's columns (for ``\\copy``), the validated frame as Parquet (what the validator hands
   the loader: canonical columns, ``nik_status``, ``__row``), and a CSV with the import
   template's headers (for read + validate).
2. PostgreSQL (``--database-url``; by default a ``lindung_bench`` database, created and
   migrated here): time ``psql \\copy`` of the CSV into ``bench_worker_copy``, made with
   ``CREATE TABLE … (LIKE registry_worker INCLUDING ALL)``: same columns, same indexes (b-tree,
   partial unique, trigram GIN), no foreign keys. Then, in a fresh process, empty
   ``registry_worker`` and time :func:`lindung.imports.loaders.load` of the Parquet frame
   (commit included), then a second, idempotent load of the same frame.
3. SQLite: the same loads into a fresh database in a temporary directory, in a fresh process.
4. If ``lindung.imports.validate`` is there: read + header mapping + validation of the
   template CSV, timed separately, in a fresh process.

Peak memory is ``ru_maxrss`` of each fresh process (Django, the frame and the load). The
requirement: the loader within 2× ``\\copy`` on PostgreSQL, and within 60 s on SQLite. The
machine's load average is printed too: other work on the machine slows both sides.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lindung_bench"

#: generator column → import template column (canonical field names of the workers schema)
CANONICAL = {
    "nik": "nik",
    "name": "nama",
    "birth_date": "tanggal_lahir",
    "sex": "jenis_kelamin",
    "address": "alamat",
    "desa_id": "kode_wilayah",
    "occupation": "pekerjaan",
    "monthly_income": "penghasilan_bulanan",
    "poverty_decile": "desil",
    "source": "sumber_data",
}
#: registry_worker columns filled by \copy (all but id)
TABLE_COLUMNS = [
    "nik", "nik_status", "name", "name_search", "birth_date", "sex", "address", "desa_id",
    "kecamatan_id", "kabkota_id", "occupation", "monthly_income", "poverty_decile",
    "proposer_id", "source", "status", "created_at", "updated_at",
]  # fmt: skip


def peak_mb() -> float:
    """Peak resident memory of this process (``ru_maxrss``; the parent stays small, since on
    Linux a child's ``ru_maxrss`` starts from its parent's size at fork)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def setup_django(database_url: str, *, migrate: bool = True) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, skip_checks=True)


# --- data ---------------------------------------------------------------------------------------


def write_inputs(rows: int, seed: int, workdir: Path) -> dict[str, Path]:
    """Generate the rows once and write the three inputs."""
    import polars as pl

    from lindung.demo.generator import generate_workers
    from lindung.imports.loaders import search_key_series

    started = time.perf_counter()
    frame = generate_workers(int(rows * 1.03) + 100, seed, damage=False)
    frame = frame.unique(subset="nik", keep="first", maintain_order=True).head(rows)
    if frame.height < rows:
        raise SystemExit(f"the generator gave only {frame.height:,} distinct NIKs")
    frame = frame.with_columns(pl.lit("64").alias("proposer_id"))
    print(f"generated {frame.height:,} rows in {time.perf_counter() - started:.1f} s")

    paths = {
        "table": workdir / "workers_table.csv",
        "frame": workdir / "workers_validated.parquet",
        "template": workdir / "workers_template.csv",
    }
    now = "2026-01-01 00:00:00+00"
    frame.with_columns(
        search_key_series(frame.get_column("name")).alias("name_search"),
        pl.lit("diusulkan").alias("status"),
        pl.lit(now).alias("created_at"),
        pl.lit(now).alias("updated_at"),
    ).select(TABLE_COLUMNS).write_csv(paths["table"])
    validated = frame.select(
        *[pl.col(src).alias(dst) for src, dst in CANONICAL.items()],
        pl.col("nik_status"),
        (pl.int_range(0, frame.height, dtype=pl.Int64) + 2).alias("__row"),
    ).with_columns(pl.col("desil").cast(pl.Int64))
    validated.write_parquet(paths["frame"])
    validated.drop("nik_status", "__row").write_csv(paths["template"])
    print(f"CSV for \\copy: {paths['table'].stat().st_size / 1e6:.0f} MB")
    return paths


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    parts = urlparse(url)
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
            "-U", parts.username or "postgres"]  # fmt: skip
    env = dict(
        os.environ, PGPASSWORD=parts.password or "", PGOPTIONS="-c client_min_messages=warning"
    )
    return args, env


def psql(url: str, command: str) -> float:
    args, env = _pg_args(url)
    database = urlparse(url).path.lstrip("/")
    started = time.perf_counter()
    subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", *args, "-d", database, "-c", command],
        check=True,
        env=env,
    )
    return time.perf_counter() - started


def ensure_database(url: str) -> None:
    args, env = _pg_args(url)
    name = urlparse(url).path.lstrip("/")
    subprocess.run(["createdb", *args, name], env=env, capture_output=True, check=False)


def time_copy(url: str, csv_path: Path) -> float:
    psql(url, "DROP TABLE IF EXISTS bench_worker_copy")
    psql(url, "CREATE TABLE bench_worker_copy (LIKE registry_worker INCLUDING ALL)")
    psql(url, "CHECKPOINT")
    columns = ", ".join(TABLE_COLUMNS)
    seconds = psql(
        url,
        f"\\copy bench_worker_copy ({columns}) FROM '{csv_path}' WITH (FORMAT csv, HEADER)",
    )
    psql(url, "DROP TABLE bench_worker_copy")
    psql(url, "CHECKPOINT")
    return seconds


# --- children: one fresh process per measured step ----------------------------------------------


def child(step: str, url: str, path: str) -> dict[str, Any]:
    """Run ``step`` in a fresh interpreter; it prints its results as JSON on the last line."""
    env = dict(os.environ)
    run = subprocess.run(
        [sys.executable, __file__, "--child", step, "--database-url", url, "--path", path],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    lines = run.stdout.rstrip().splitlines()
    for line in lines[:-1]:
        print(line)
    return json.loads(lines[-1])


def child_load(url: str, parquet: str) -> dict[str, Any]:
    setup_django(url)
    import polars as pl
    from django.db import connection

    from lindung.audit.services import acting_as
    from lindung.imports.loaders import LoadContext, load

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE registry_worker RESTART IDENTITY CASCADE")
            cursor.execute("CHECKPOINT")
    frame = pl.read_parquet(parquet)
    context = LoadContext(proposer_code="64", source="bench")
    out: dict[str, Any] = {"load_average_before": load_average()}
    with acting_as(None, label="bench"):
        started = time.perf_counter()
        first = load("workers", frame, context=context)
        out["load"] = time.perf_counter() - started
        out["peak_mb"] = peak_mb()
        started = time.perf_counter()
        again = load("workers", frame, context=context)
        out["reload"] = time.perf_counter() - started
    assert first.created == frame.height, (first.created, first.rejected, first.issues.head())
    assert again.unchanged == frame.height and again.created == again.updated == 0
    out["timings"], out["reload_timings"] = first.timings, again.timings
    out["load_average_after"] = load_average()
    for label, result, seconds in (("load", first, out["load"]), ("re-load", again, out["reload"])):
        stages = ", ".join(f"{k} {v:.1f}" for k, v in result.timings.items())
        print(f"  {connection.vendor} {label}: {seconds:7.1f} s  [{stages}]")
    return out


def child_prepare(url: str, workdir: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        setup_django(url, migrate=False)
    else:
        ensure_database(url)
        setup_django(url)  # migrates
    rows, seed = (int(v) for v in os.environ["BENCH_ROWS_SEED"].split(","))
    paths = write_inputs(rows, seed, Path(workdir))
    return {k: str(v) for k, v in paths.items()} | {"peak_mb": peak_mb()}


def child_validate(_url: str, csv_path: str) -> dict[str, Any]:
    setup_django(_url, migrate=False)
    try:
        from lindung.imports import headers, reading, validate
        from lindung.imports.schemas import SCHEMAS
    except ImportError as missing:
        return {"skipped": str(missing)}
    schema = SCHEMAS["workers"]
    started = time.perf_counter()
    table = reading.read_table(Path(csv_path), max_bytes=10**10)
    read = time.perf_counter() - started
    file_headers = [c for c in table.frame.columns if c != "__row"]
    checked = validate.validate(table, schema, headers.map_columns(file_headers, schema))
    total = time.perf_counter() - started
    return {"read": read, "read_validate": total, "rows": checked.rows.height, "peak_mb": peak_mb()}


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-postgresql", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        steps = {"prepare": child_prepare, "load": child_load, "validate": child_validate}
        step = steps[args.child]
        print(json.dumps(step(args.database_url, args.path)))
        return

    url = args.database_url
    results: dict[str, Any] = {"rows": args.rows, "load_average_start": load_average()}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        # Everything heavy runs in fresh child processes, so that each one's peak memory is
        # its own: this parent imports neither Django nor Polars.
        os.environ["BENCH_ROWS_SEED"] = f"{args.rows},{args.seed}"
        setup_url = f"sqlite:///{workdir}/setup.sqlite3" if args.no_postgresql else url
        prepared = child("prepare", setup_url, str(workdir))
        paths = {k: Path(v) for k, v in prepared.items() if k != "peak_mb"}

        if not args.no_postgresql:
            print(f"PostgreSQL ({urlparse(url).path.lstrip('/')}), load average {load_average()}")
            copy = time_copy(url, paths["table"])
            print(f"  psql \\copy into a plain table with the same indexes: {copy:7.1f} s")
            loaded = child("load", url, str(paths["frame"]))
            ratio = loaded["load"] / copy
            print(f"  ratio loader / \\copy: {ratio:.2f} (requirement ≤ 2.0)")
            print(f"  loader process peak memory: {loaded['peak_mb']:.0f} MB")
            results["postgresql"] = {"copy": copy, **loaded, "ratio": ratio}

        if not args.no_sqlite:
            print(f"SQLite, load average {load_average()}")
            sqlite_url = f"sqlite:///{workdir}/bench.sqlite3"
            os.environ["LINDUNG_VAR_DIR"] = str(workdir)
            loaded = child("load", sqlite_url, str(paths["frame"]))
            print(f"  requirement ≤ 60 s; loader process peak memory: {loaded['peak_mb']:.0f} MB")
            results["sqlite"] = loaded

        validated = child("validate", url, str(paths["template"]))
        if "skipped" in validated:
            print(f"read + validate: skipped ({validated['skipped']})")
        else:
            print(
                f"read {validated['read']:.1f} s, read + map + validate "
                f"{validated['read_validate']:.1f} s ({validated['rows']:,} rows; "
                f"peak {validated['peak_mb']:.0f} MB)"
            )
        results["read_validate"] = validated
    print(json.dumps(results, default=str))


if __name__ == "__main__":
    main()
