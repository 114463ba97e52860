"""Load test: 50 logged-in users on the dashboard pages for 60 s, gunicorn on loopback.

    .venv/bin/python bench/load_run.py                       # lindung_load, 50 users, 60 s
    .venv/bin/python bench/load_run.py --think 0             # no pause between pages (capacity)
    .venv/bin/python bench/load_run.py --pages / /cakupan/   # other pages (home, coverage)
    .venv/bin/python bench/load_run.py --workers 3 --threads 4 --users 50 --seconds 60

Target (issue 7): with Kaltim-scale data (``bench/load_data.py``) dashboard pages answer at
p95 ≤ 150 ms with 50 concurrent users for 60 s and zero errors; each report ≤ 10 s.

What it does:

1. collects static files and starts gunicorn (``gthread``; ``--workers``/``--threads``) on a
   free loopback port with production settings: ``LINDUNG_DEBUG=0``, a random 64-character
   ``SECRET_KEY``, ``ALLOWED_HOSTS=127.0.0.1``, hashed static files; requests carry
   ``X-Forwarded-Proto: https`` as from the TLS proxy in front of it;
2. logs in the personas through the login form (``--personas``; leader, admin and the
   Samarinda operator by default) and keeps their session cookies;
3. asks every page once per persona (the first, cold answer is reported) and keeps the pages
   that answer 200 for that persona; a page may stand for many paths (``{kabkota}``,
   ``{kecamatan}``, ``{desa}``: every Kaltim region the persona may see, drawn at random per
   request, so that most region pages miss the dashboard's per-process cache); then opens the
   first three paths of each kept page, unmeasured, to warm the workers (``--warmup N``: then
   the same load for N seconds, unmeasured, as on a server that has been up a while);
4. runs Locust headless (``bench/load/locustfile.py``): ``--users`` users, all started in the
   first second, each a persona in turn, opening that persona's pages with a pause of
   ``--think`` seconds between pages, for ``--seconds``;
5. prints requests, errors, p50/p95/p99 per page and p95 against the 150 ms target, then
   times each report (``REPORT_PAGES``: leadership brief, monthly report, budget brief, made
   and downloaded in one click) per persona, one at a time, and stops gunicorn.

Results go to ``var/bench-load/run-<time>.json``. Locust runs on the same two CPUs as gunicorn
and PostgreSQL, and the machine may be shared: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, banner, load_average, short_commit

TARGET_MS = 150
OUT_DIR = ROOT / "var" / "bench-load"
BIN = ROOT / ".venv" / "bin"
PASSWORD = "lindung-demo-2026"  # lindung.accounts.personas.DEMO_PASSWORD (no Django import here)
#: the dashboard at each level; ``{kabkota}``/``{kecamatan}``/``{desa}`` stand for a Kaltim region
#: the persona may see, drawn at random for every request (so most region pages are not cached)
DEFAULT_PAGES = [
    "/dasbor/",
    "/dasbor/?wilayah={kabkota}",
    "/dasbor/?wilayah={kecamatan}",
    "/dasbor/?wilayah={desa}",
]
#: reports made and downloaded in one click (``lindung.reporting.documents``), per persona
REPORT_PAGES = [
    "/dasbor/laporan/ringkasan.pdf",
    "/dasbor/laporan/bulanan.pdf",
    "/dasbor/laporan/anggaran/{programme}.pdf",
]
DEFAULT_PERSONAS = ["pimpinan", "admin", "op.samarinda"]
HTTPS = {"X-Forwarded-Proto": "https"}


# --- the server ---------------------------------------------------------------------------------


def snapshot() -> Path:
    """The committed code (``git archive HEAD``), served instead of the shared working tree,
    which others edit while the load runs: the numbers belong to one commit."""
    folder = OUT_DIR / f"code-{short_commit()}"
    if not (folder / "manage.py").exists():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.Popen(
            ["git", "-C", str(ROOT), "archive", "HEAD"], stdout=subprocess.PIPE
        )
        subprocess.run(["tar", "-x", "-C", str(folder)], stdin=archive.stdout, check=True)
        archive.wait()
    return folder


def server_env(database: str, code: Path) -> dict[str, str]:
    """Production settings (``lindung/settings.py``) against the load database."""
    alphabet = string.ascii_letters + string.digits + "-_!@#%^*"
    return dict(
        os.environ,
        PYTHONPATH=str(code),
        LINDUNG_VAR_DIR=str(ROOT / "var"),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        LINDUNG_DEBUG="0",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(64)),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(OUT_DIR / "static"),
        LOG_LEVEL="WARNING",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(env: dict[str, str]) -> None:
    """``migrate`` (others may have added migrations since the data was built), an empty
    dashboard cache, then ``collectstatic`` (hashed, compressed: minutes on a busy machine)
    unless no static file changed since the last run's manifest."""
    manage = [str(BIN / "python"), env["PYTHONPATH"] + "/manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True)
    # Start cold: the dashboard's file cache outlives the server (settings.CACHES).
    shutil.rmtree(
        Path(env["LINDUNG_VAR_DIR"]) / "cache" / env["DATABASE_URL"].rsplit("/", 1)[1],
        ignore_errors=True,
    )
    manifest = Path(env["STATIC_ROOT"]) / "staticfiles.json"
    if manifest.exists():
        code = Path(env["PYTHONPATH"]) / "lindung"
        newest = max(p.stat().st_mtime for p in code.glob("*/static/**/*"))
        if newest < manifest.stat().st_mtime:
            return
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen:
    prepare(env)
    command = [
        str(BIN / "gunicorn"), "lindung.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads),
        "--preload", "--timeout", "60", "--log-level", "warning",
    ]  # fmt: skip
    log = (OUT_DIR / "gunicorn.log").open("w")
    server = subprocess.Popen(
        command, cwd=env["PYTHONPATH"], env=env, stdout=log, stderr=log, start_new_session=True
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {log.name}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("gunicorn did not start within 90 s")


def stop(process: subprocess.Popen) -> None:
    """Stop a process we started and its children (its own session), by its id."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- logging in and probing ---------------------------------------------------------------------


def login(base: str, username: str) -> str:
    """The ``Cookie`` header of a fresh session, after the real login form."""
    import requests

    form = requests.get(f"{base}/masuk/", headers=HTTPS, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if form.status_code != 200 or not token:
        raise SystemExit(f"login page: HTTP {form.status_code}")
    csrf = form.cookies["csrftoken"]
    secure = base.replace("http://", "https://", 1)  # the CSRF check wants an HTTPS Referer
    answer = requests.post(
        f"{base}/masuk/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
        headers=HTTPS | {"Cookie": f"csrftoken={csrf}", "Referer": f"{secure}/masuk/"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302 or "sessionid" not in answer.cookies:
        raise SystemExit(f"login as {username} failed: HTTP {answer.status_code}")
    return f"csrftoken={csrf}; sessionid={answer.cookies['sessionid']}"


def fetch(base: str, path: str, cookie: str) -> tuple[int, float]:
    import requests

    started = time.perf_counter()
    answer = requests.get(
        base + path, headers=HTTPS | {"Cookie": cookie}, allow_redirects=False, timeout=120
    )
    return answer.status_code, (time.perf_counter() - started) * 1000


def regions(database: str, username: str) -> dict[str, list[str]]:
    """Kaltim region codes by level that ``username`` may see (an operator: their kab/kota),
    and the programme ids, for the ``{...}`` placeholders of the pages."""
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={database}") as conn:
        scope = conn.execute(
            "SELECT kabkota_id FROM accounts_user WHERE username = %s", [username]
        ).fetchone()
        top = scope[0] if scope and scope[0] else "64"
        rows = conn.execute(
            "SELECT level, code FROM regions_region WHERE code = %s OR code LIKE %s ORDER BY code",
            [top, top + ".%"],
        ).fetchall()
        programmes = conn.execute("SELECT id FROM programmes_programme ORDER BY id").fetchall()
    out: dict[str, list[str]] = {"programme": [str(row[0]) for row in programmes]}
    for level, code in rows:
        out.setdefault(level, []).append(code)
    return out


def expand(page: str, codes: dict[str, list[str]]) -> list[str]:
    """Every path a page template stands for (one placeholder at most)."""
    for name, values in codes.items():
        if "{" + name + "}" in page:
            return [page.replace("{" + name + "}", value) for value in values]
    return [page]


def plan(base: str, database: str, personas: list[str], pages: list[str]) -> dict[str, Any]:
    """Each persona's cookie and the pages that answer it 200, with the first (cold) time."""
    out = []
    for username in personas:
        cookie = login(base, username)
        codes = regions(database, username)
        kept = []
        for page in pages:
            paths = expand(page, codes)
            if not paths:
                continue
            status, cold_ms = fetch(base, paths[len(paths) // 2], cookie)
            print(f"  {username:<14}{page:<30}HTTP {status}  first answer {cold_ms:7.0f} ms"
                  f"  ({len(paths):,} paths)")  # fmt: skip
            if status == 200:
                kept.append({"name": page, "paths": paths, "weight": 1, "cold_ms": round(cold_ms)})
                for path in paths[:3]:
                    fetch(base, path, cookie)
        if not kept:
            raise SystemExit(f"{username} may open none of the pages")
        out.append({"username": username, "cookie": cookie, "pages": kept})
    return {"personas": out}


# --- the load -----------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def group_pids(pgid: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            pids.append(int(stat.parent.name))
    return pids


def backend_pids(database: str) -> list[int]:
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres") as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchall()
    return [row[0] for row in rows]


class CpuMeter:
    """CPU seconds spent by gunicorn (its process group), the PostgreSQL backends serving the
    load database and Locust, sampled every second (backends come and go)."""

    def __init__(self, server: subprocess.Popen, database: str) -> None:
        self.server, self.database = server, database
        self.start: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.sample(first=True)

    def sample(self, first: bool = False, locust: int | None = None) -> None:
        pids = [("gunicorn", pid) for pid in group_pids(self.server.pid)]
        pids += [("postgres", pid) for pid in backend_pids(self.database)]
        pids += [("locust", pid) for pid in group_pids(locust)] if locust else []
        for key in pids:
            used = cpu_seconds(key[1])
            if used:
                self.last[key] = used
                if first:
                    self.start[key] = used
                else:
                    self.start.setdefault(key, 0.0)

    def totals(self) -> dict[str, float]:
        out = {"gunicorn": 0.0, "postgres": 0.0, "locust": 0.0}
        for key, used in self.last.items():
            out[key[0]] += used - self.start.get(key, 0.0)
        return out


def run_locust(
    base: str, plan_path: Path, users: int, seconds: int, think: str, meter: CpuMeter
) -> list[dict]:
    """Locust's final statistics per page (``--json-file``: counts and the latency histogram)."""
    stats = OUT_DIR / "locust.json"
    command = [
        str(BIN / "locust"), "-f", str(ROOT / "bench/load/locustfile.py"), "--headless",
        "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
        "--host", base, "--json-file", str(stats.with_suffix("")), "--only-summary",
        "--stop-timeout", "10", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = dict(
        os.environ,
        LINDUNG_LOAD_PLAN=str(plan_path),
        LINDUNG_LOAD_THINK=think,
        LINDUNG_LOAD_LOG=str(OUT_DIR / "requests.csv"),
    )
    locust = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + seconds + 120
    try:
        while locust.poll() is None and time.monotonic() < deadline:
            meter.sample(locust=locust.pid)
            time.sleep(1)
    finally:
        stop(locust)
    meter.sample()
    return list(json.loads(stats.read_text()))


def percentile(histogram: dict[int, int], share: float) -> float:
    """The smallest recorded time (ms) with at least ``share`` of the requests at or below it."""
    total = sum(histogram.values())
    seen = 0
    for ms in sorted(histogram):
        seen += histogram[ms]
        if seen >= share * total:
            return float(ms)
    return float("nan")


def describe(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per page and for all pages: requests, errors, p50/p95/p99, p95 / target."""
    pages = sorted(entries, key=lambda e: e["name"])
    everything: dict[int, int] = {}
    for entry in pages:
        for ms, count in entry["response_times"].items():
            everything[int(ms)] = everything.get(int(ms), 0) + count
    total = {
        "name": "all pages",
        "num_requests": sum(e["num_requests"] for e in pages),
        "num_failures": sum(e["num_failures"] for e in pages),
        "max_response_time": max((e["max_response_time"] for e in pages), default=0),
        "response_times": everything,
    }
    out = []
    print(f"\n{'page':<28}{'requests':>9}{'errors':>8}"
          f"{'p50':>7}{'p95':>7}{'p99':>7}{'max':>8}{'p95/150':>9}")  # fmt: skip
    for entry in [*pages, total]:
        histogram = {int(ms): n for ms, n in entry["response_times"].items()}
        item = {
            "page": entry["name"],
            "requests": entry["num_requests"],
            "errors": entry["num_failures"],
            "p50": percentile(histogram, 0.50),
            "p95": percentile(histogram, 0.95),
            "p99": percentile(histogram, 0.99),
            "max": round(entry["max_response_time"]),
        }
        item["ratio"] = round(item["p95"] / TARGET_MS, 2)
        out.append(item)
        print(f"{item['page']:<28}{item['requests']:>9,}{item['errors']:>8}"
              f"{item['p50']:>7.0f}{item['p95']:>7.0f}{item['p99']:>7.0f}{item['max']:>8,}"
              f"{item['ratio']:>9.2f}")  # fmt: skip
    return out


def cpu_report(cpu: dict[str, float], requests: int, seconds: int) -> dict[str, float]:
    """CPU per request, and the request rate two otherwise idle CPUs could serve at that cost."""
    per = {name: 1000 * used / max(requests, 1) for name, used in cpu.items()}
    server_ms = per["gunicorn"] + per["postgres"]
    out = {f"{name}_ms_per_request": round(ms, 1) for name, ms in per.items()}
    out["offered_rps"] = round(requests / seconds, 1)
    out["capacity_rps_2cpu"] = round(2000 / server_ms, 1) if server_ms else float("nan")
    print(f"CPU per request: gunicorn {per['gunicorn']:.1f} ms + PostgreSQL {per['postgres']:.1f}"
          f" ms (Locust {per['locust']:.1f} ms); served {out['offered_rps']} requests/s; two idle"
          f" CPUs at this cost: ~{out['capacity_rps_2cpu']} requests/s")  # fmt: skip
    return out


# --- reports ------------------------------------------------------------------------------------


def time_reports(base: str, database: str, personas: list[str]) -> list[dict[str, Any]]:
    """Each report page, one request at a time (nothing else running), per persona."""
    out = []
    for username in personas:
        cookie = login(base, username)
        codes = regions(database, username)
        for page in REPORT_PAGES:
            path = expand(page, codes)[0]
            status, ms = fetch(base, path, cookie)
            item = {"persona": username, "report": path, "status": status, "seconds": ms / 1000}
            out.append(item)
            verdict = "yes" if status == 200 and ms <= 10_000 else "NO"
            print(f"  {username:<14}{path:<40}HTTP {status}  {ms / 1000:6.2f} s  ≤ 10 s: {verdict}")
    return out


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="lindung_load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", default="1-3", help='seconds between pages: "1-3", "0"')
    parser.add_argument("--workers", type=int, default=3, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per process")
    parser.add_argument("--pages", nargs="+", default=DEFAULT_PAGES)
    parser.add_argument("--personas", nargs="+", default=DEFAULT_PERSONAS)
    parser.add_argument(
        "--warmup", type=int, default=0, help="seconds of the same load before the measured run"
    )
    parser.add_argument("--no-reports", dest="reports", action="store_false")
    args = parser.parse_args()

    banner(f"Load test: {args.users} users, {args.seconds} s, think {args.think} s")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    code = snapshot()
    env = server_env(args.db, code)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    result: dict[str, Any] = {"args": vars(args), "load_before": load_average()}
    server = start_gunicorn(env, port, args.workers, args.threads)
    try:
        print(f"gunicorn gthread {args.workers}×{args.threads} on {base}, serving {code.name}")
        print("personas and pages:")
        result["plan"] = plan(base, args.db, args.personas, args.pages)
        plan_path = OUT_DIR / "plan.json"
        plan_path.write_text(json.dumps(result["plan"]))
        if args.warmup:
            print(f"warm-up: the same load for {args.warmup} s, not measured")
            warm = CpuMeter(server, args.db)
            run_locust(base, plan_path, args.users, args.warmup, args.think, warm)
        print(f"load average before the run: {load_average()}")
        meter = CpuMeter(server, args.db)
        stats = run_locust(base, plan_path, args.users, args.seconds, args.think, meter)
        result["pages"] = describe(stats)
        result["load_after"] = load_average()
        result["cpu"] = cpu_report(meter.totals(), result["pages"][-1]["requests"], args.seconds)
        print(f"load average after the run: {result['load_after']}")
        if args.reports:
            print("\nReports, made and downloaded one at a time after the load:")
            result["reports"] = time_reports(base, args.db, args.personas)
    finally:
        stop(server)
    for persona in result.get("plan", {}).get("personas", []):
        persona.pop("cookie", None)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT_DIR / f"run-{stamp}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
