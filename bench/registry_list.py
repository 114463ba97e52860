"""Registry list at scale: keyset pages, filters and searches over 1,000,000 workers.

    .venv/bin/python bench/registry_list.py                  # PostgreSQL, 1,000,000 workers
    .venv/bin/python bench/registry_list.py --sqlite         # embedded SQLite
    .venv/bin/python bench/registry_list.py --rows 100000    # smaller (--workers is the same)

Creates a throw-away database (``lindung_bench_registry`` or ``var/bench-registry.sqlite3``),
loads demo workers once (kept between runs), then times each query shape the list page runs
(page rows + capped count) as an admin and as the Samarinda operator. Prints p50/p95 in ms and
the ratio of the deepest page to the first page: keyset pagination keeps it near 1. The date,
the machine and its load average (before and after the timed queries) are printed too: the
machine may be shared with other work.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import load_average, short_commit  # noqa: E402


def _configure(args: argparse.Namespace) -> None:
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-registry.sqlite3'}"
    else:
        name = "lindung_bench_registry"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _ensure_workers(n: int) -> None:
    from lindung.demo.generator import generate_workers
    from lindung.demo.services import clear_demo_workers, load_workers
    from lindung.registry.models import Worker

    if Worker.objects.count() == n:
        return
    clear_demo_workers()
    started = time.perf_counter()
    load_workers(generate_workers(n, seed=7))
    print(f"loaded {n:,} workers in {time.perf_counter() - started:.1f} s")


def _time(fn, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", "--rows", dest="workers", type=int, default=1_000_000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    _configure(args)
    _ensure_workers(args.workers)

    from django.db import connection

    from lindung.accounts.personas import PERSONAS, ensure_persona
    from lindung.registry.models import Worker
    from lindung.registry.services import WorkerFilter, worker_page

    admin = ensure_persona(PERSONAS["admin"])
    operator = ensure_persona(PERSONAS["op.samarinda"])
    lowest = Worker.objects.order_by("id").values_list("id", flat=True)[100]
    sample = Worker.objects.filter(nik_status="valid").order_by("id")[args.workers // 2]
    cases = {
        "first page (admin)": (admin, WorkerFilter(), None),
        "deepest page (admin)": (admin, WorkerFilter(), lowest),
        "first page (operator)": (operator, WorkerFilter(), None),
        "kab/kota + occupation": (admin, WorkerFilter(kabkota="64.02", occupation="nelayan"), None),
        "name contains 'yusuf'": (admin, WorkerFilter(q="yusuf"), None),
        "rare name 'lerang'": (admin, WorkerFilter(q="lerang"), None),
        "full NIK": (admin, WorkerFilter(q=sample.nik), None),
        "NIK prefix (8 digits)": (admin, WorkerFilter(q=sample.nik[:8]), None),
    }
    print(f"\n{connection.vendor}, {args.workers:,} workers, {args.repeat} runs each")
    print(
        f"date {date.today().isoformat()}; {os.cpu_count()} CPUs; load average {load_average()}; "
        f"commit {short_commit()}"
    )
    print(f"{'query':<28}{'p50 ms':>10}{'p95 ms':>10}")
    results = {}
    for label, (user, flt, after) in cases.items():
        p50, p95 = _time(lambda u=user, f=flt, a=after: worker_page(u, f, after=a), args.repeat)
        results[label] = p50
        print(f"{label:<28}{p50:>10.1f}{p95:>10.1f}")
    ratio = results["deepest page (admin)"] / results["first page (admin)"]
    print(f"\ndeepest/first page time ratio: {ratio:.2f} (keyset pagination: ~1)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load average after: {load_average()}; peak memory of this process {peak:.0f} MB")


if __name__ == "__main__":
    main()
