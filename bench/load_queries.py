"""Why a page of the load test is slow: time, SQL queries and the slowest query of each page.

    .venv/bin/python bench/load_queries.py                          # lindung_load, default pages
    .venv/bin/python bench/load_queries.py --pages "/dasbor/?wilayah={desa}" --explain

One process, no server: Django's test client logged in as each persona (``force_login``)
requests a few paths of each page of ``bench/load_run.py`` one after another and records, per
request, the wall time, the number of SQL queries and their summed time (Django's
``CaptureQueriesContext``), and the slowest statement. ``--explain`` prints ``EXPLAIN
(ANALYZE, BUFFERS)`` of the slowest statement of each page. Paths are drawn as in the load
test (``{kabkota}``, ``{kecamatan}``, ``{desa}``); the first request of a page in this process
is its cold answer (empty per-process cache), the rest show what a repeat or another region
costs.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import banner, setup_django
from load_run import DEFAULT_PAGES, DEFAULT_PERSONAS, expand, regions


def measure(client: Any, path: str) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path, secure=True)
        ms = (time.perf_counter() - started) * 1000
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    slowest = max(queries, default=(0.0, ""))
    return {
        "status": response.status_code,
        "ms": ms,
        "queries": len(queries),
        "sql_ms": sum(t for t, _ in queries),
        "slowest_ms": slowest[0],
        "slowest": slowest[1],
    }


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="lindung_load")
    parser.add_argument("--pages", nargs="+", default=DEFAULT_PAGES)
    parser.add_argument("--personas", nargs="+", default=DEFAULT_PERSONAS)
    parser.add_argument("--repeat", type=int, default=4, help="paths per page and persona")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    banner(f"Queries per page, database {args.db}")
    setup_django(f"postgres://postgres@127.0.0.1:5432/{args.db}")
    from django.test import Client

    from lindung.accounts.models import User

    rng = random.Random(7)
    print(f"{'persona':<14}{'page':<30}{'HTTP':>5}{'ms':>8}{'queries':>8}{'SQL ms':>8}"
          f"{'slowest':>9}")  # fmt: skip
    for username in args.personas:
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=username))
        codes = regions(args.db, username)
        for page in args.pages:
            paths = expand(page, codes)
            worst: dict[str, Any] = {"slowest_ms": -1.0}
            for path in rng.sample(paths, min(args.repeat, len(paths))):
                row = measure(client, path)
                print(f"{username:<14}{page:<30}{row['status']:>5}{row['ms']:>8.0f}"
                      f"{row['queries']:>8}{row['sql_ms']:>8.0f}{row['slowest_ms']:>9.0f}"
                      f"  {path}")  # fmt: skip
                if row["slowest_ms"] > worst["slowest_ms"]:
                    worst = row
            if worst.get("slowest"):
                print(f"    slowest SQL ({worst['slowest_ms']:.0f} ms): {worst['slowest'][:600]}")
                if args.explain:
                    print("    " + explain(worst["slowest"]).replace("\n", "\n    "))


if __name__ == "__main__":
    main()
