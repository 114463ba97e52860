"""Shared pieces of the import benchmarks (``import_workers.py``, ``import_xlsx.py``).

Not a test, and not part of the ``lindung`` package. Everything heavy runs in a fresh child
process (``python bench/<script>.py --child STEP --args JSON``) so that each measured case has
its own peak memory (``ru_maxrss``) and starts cold; the parent imports neither Django nor
Polars.

The measured step, :func:`child_import`, runs the import the way a user runs it from a
terminal: ``lindung import workers FILE`` (Django's ``call_command``, so the same code as the
command line: read → map columns → validate → load → summary, and the XLSX problem report
when there are problems), timed from the call to its return. Two observers record, without
changing anything, when the pipeline reports each stage (its progress callback) and the
loader's own stage timings, for the breakdown.
"""

from __future__ import annotations

import io
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: the code an import runs, for :func:`code_version`
CODE_PATHS = ("lindung/imports", "lindung/registry")

#: the pipeline's progress percentages (lindung.imports.pipeline.run) → stage of the breakdown
PIPELINE_STAGES = {5: "read + map", 25: "validate", 55: "load", 90: "outcome"}


# --- measuring --------------------------------------------------------------------------------


def peak_mb() -> float:
    """Peak resident memory of this process, MB (``ru_maxrss``, KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine() -> str:
    """One line about the machine: CPUs, memory, load average (1, 5, 15 min)."""
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    return (
        f"{os.cpu_count()} CPUs, {mem_kib / 1024**2:.0f} GiB, {platform.system()} "
        f"{platform.release()}; load average {load_average()}"
    )


def short_commit() -> str:
    """The commit measured (short hash), or "unknown" outside a git checkout."""
    run = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return run.stdout.strip() or "unknown"


def code_version(paths: tuple[str, ...] = CODE_PATHS) -> str:
    """The commit measured, and whether the measured code (``paths``) differs from it: others
    may edit the tree while a benchmark runs."""
    try:
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", *paths],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "commit unknown"
    changed = f" + uncommitted changes under {' or '.join(paths)}" if dirty else ""
    return f"commit {short_commit()}{changed}"


def banner(title: str) -> None:
    print(f"{title}\ndate {date.today().isoformat()}; {machine()}; {code_version()}", flush=True)


# --- Django -----------------------------------------------------------------------------------


def setup_django(database_url: str, *, migrate: bool = False) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, skip_checks=True)


# --- children ---------------------------------------------------------------------------------


def run_child(script: str, step: str, env: dict[str, str] | None = None, **kwargs: Any) -> dict:
    """Run ``step`` of ``script`` in a fresh interpreter; it prints its result as JSON last.

    Adds ``process_seconds`` (the child's wall-clock time: interpreter, Django, the step).
    """
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, script, "--child", step, "--args", json.dumps(kwargs)],
        env=dict(os.environ, **(env or {})),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        sys.stderr.write(run.stderr[-5000:])
        raise SystemExit(f"child step {step!r} failed (exit {run.returncode})")
    lines = run.stdout.rstrip().splitlines()
    for line in lines[:-1]:
        print(line, flush=True)
    return json.loads(lines[-1]) | {"process_seconds": seconds}


def child_main(steps: dict[str, Callable[..., dict]], step: str, args_json: str) -> None:
    result = steps[step](**json.loads(args_json))
    print(json.dumps(result, default=str))


# --- data -------------------------------------------------------------------------------------


def clean_workers(rows: int, seed: int):  # type: ignore[no-untyped-def]
    """``rows`` clean worker proposals with distinct NIKs, proposer "64" (a Polars frame)."""
    import polars as pl

    from lindung.demo.generator import generate_workers

    started = time.perf_counter()
    frame = generate_workers(int(rows * 1.03) + 100, seed, damage=False)
    frame = frame.unique(subset="nik", keep="first", maintain_order=True).head(rows)
    if frame.height < rows:
        raise SystemExit(f"the generator gave only {frame.height:,} distinct NIKs")
    frame = frame.with_columns(pl.lit("64").alias("proposer_id"))
    print(f"generated {frame.height:,} rows in {time.perf_counter() - started:.1f} s")
    return frame


def template_frame(frame):  # type: ignore[no-untyped-def]
    """The rows as a user's file has them: the import template's headers, nothing derived."""
    from lindung.demo.files import workers_import_frame

    return workers_import_frame(frame)


# --- the measured import ----------------------------------------------------------------------


def empty_registry() -> None:
    """Empty ``registry_worker`` (not timed), so every run inserts into an empty table."""
    from django.db import connection

    from lindung.registry.models import Worker

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE registry_worker RESTART IDENTITY CASCADE")
            cursor.execute("CHECKPOINT")
    else:
        Worker.objects.all().delete()


def child_import(
    database_url: str, path: str, rows: int, expect: str = "created", empty: bool = True
) -> dict[str, Any]:
    """``lindung import workers PATH`` in this (fresh) process, timed; see the module docstring.

    ``expect``: "created" (every row new) or "unchanged" (a repeat of the same file).
    """
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    from lindung.imports import pipeline

    if empty:
        empty_registry()
    marks: list[tuple[float, int, str]] = []
    seen: dict[str, Any] = {}

    original_run = pipeline.run

    def observed_run(*args: Any, progress: Callable[[int, str], None], **kwargs: Any) -> Any:
        def tap(percent: int, stage: str) -> None:
            marks.append((time.perf_counter(), percent, stage))
            progress(percent, stage)

        outcome = original_run(*args, progress=tap, **kwargs)
        marks.append((time.perf_counter(), 100, "pipeline done"))
        seen["outcome"] = outcome
        return outcome

    pipeline.run = observed_run  # type: ignore[assignment]
    loader_module = getattr(pipeline, "loaders", None)
    if loader_module is not None and hasattr(loader_module, "load"):
        original_load = loader_module.load

        def observed_load(*args: Any, **kwargs: Any) -> Any:
            result = original_load(*args, **kwargs)
            seen["loader_timings"] = dict(getattr(result, "timings", {}) or {})
            return result

        loader_module.load = observed_load

    out: dict[str, Any] = {"load_average_before": load_average(), "vendor": connection.vendor}
    stdout, stderr = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    call_command(
        "import", "workers", path, source="bench", proposer="64", stdout=stdout, stderr=stderr
    )
    finished = time.perf_counter()
    out["seconds"] = finished - started
    out["peak_mb"] = peak_mb()
    out["load_average_after"] = load_average()

    outcome = seen.get("outcome")
    if outcome is None:
        raise SystemExit("the import command did not run lindung.imports.pipeline.run")
    if outcome.refused:
        raise SystemExit("the import was refused: " + " ".join(outcome.messages))
    counts = dict(outcome.counts)
    out["counts"] = counts
    out["issues"] = 0 if outcome.issues is None else outcome.issues.height
    if counts.get(expect) != rows or counts.get("rejected"):
        raise SystemExit(f"unexpected counts {counts} (expected {expect} = {rows:,})")

    # breakdown: command start → first progress mark, between marks, last mark → command end
    stages: dict[str, float] = {}
    previous, label = started, "start"
    for moment, percent, _stage in marks:
        stages[label] = stages.get(label, 0.0) + moment - previous
        previous, label = moment, PIPELINE_STAGES.get(percent, "summary + report")
    stages[label] = stages.get(label, 0.0) + finished - previous
    out["stages"] = stages
    out["loader_timings"] = seen.get("loader_timings", {})
    out["report_written"] = "Laporan masalah" in stdout.getvalue()
    return out


def describe_import(result: dict[str, Any], indent: str = "  ") -> str:
    """Human lines for one :func:`child_import` result."""
    stages = ", ".join(f"{k} {v:.1f}" for k, v in result["stages"].items() if v >= 0.05)
    timings = result["loader_timings"]
    loader = ", ".join(f"{k} {v:.1f}" for k, v in timings.items() if v >= 0.05)
    loader = loader or ("each < 0.05 s" if timings else "")
    lines = [
        f"{indent}whole import (lindung import workers FILE): {result['seconds']:7.1f} s "
        f"(process incl. interpreter + Django start: {result['process_seconds']:.1f} s)",
        f"{indent}  stages: {stages}",
        f"{indent}  loader: {loader or '(not captured)'}",
        f"{indent}  counts: {result['counts']}; problem rows in report: {result['issues']}",
        f"{indent}  peak memory (ru_maxrss of the import process): {result['peak_mb']:.0f} MB; "
        f"load average before {result['load_average_before']}, "
        f"after {result['load_average_after']}",
    ]
    return "\n".join(lines)
