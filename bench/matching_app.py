"""In-app matching at scale: where :func:`lindung.matching.services.run_matching` spends its time.

    .venv/bin/python bench/matching_app.py                      # 200,000 workers, SQLite
    .venv/bin/python bench/matching_app.py --workers 500000
    .venv/bin/python bench/matching_app.py --postgres           # PostgreSQL, see below
    .venv/bin/python bench/matching_app.py --keep var/bench-matching --profile run.prof
    .venv/bin/python bench/matching_app.py --reuse var/bench-matching --dump after.parquet

The data is the demo's, made the way ``lindung demo-setup`` makes it: ``lindung demo-data
--workers N --seed S`` (the seeded registry, with province and kab/kota proposals of the same
people) and :func:`lindung.matching.services_demo.load_demo_participants` (≈ 60 % of the people
as BPJS TK members, plus outsiders, with the damage of real lists). That database is built once
in a child process; the matching run then starts from a fresh copy of it in another child
process (fresh interpreter, its own peak RSS), so every run writes into an empty coverage
table, as the first run of a province does. On PostgreSQL the built data is the database
``lindung_h_matchbench_base_<folder>`` and each run's copy ``lindung_h_matchbench`` (created
from it as a template, then analysed).

Measured in the matching process: ``run_matching`` as the background job calls it (a progress
callback that writes the run's row, :func:`lindung.matching.jobs.progress_writer`), with

- its progress marks, timestamped (the stages a user sees), and
- the wall time of each function it calls (observers around the module's functions; they
  change nothing), among them the engine call (``_link``) of the main linkage and the one of
  duplicate detection;

then the same ``_link`` once more on the same input frames in the same process (the engine
alone), for the ratio in-app total / engine. Peak RSS (``ru_maxrss``) is read after the run,
before the engine re-run. ``--profile FILE`` runs the whole ``run_matching`` under cProfile
(slower; the times printed are then the profiled ones). ``--dump FILE`` writes every stored
Coverage and DuplicatePair value (probabilities rounded to 6 places) as Parquet, to compare two
versions of the code on the same data (run the old version from an unpacked ``git archive``
with this script copied into its ``bench/``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _common import banner, child_main, load_average, peak_mb, run_child, setup_django  # noqa: E402

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "lindung_h_matchbench"
#: the code a matching run executes, for the banner's "uncommitted changes" note
CODE_PATHS = (
    "lindung/matching/services.py",
    "lindung/matching/linkage",
    "lindung/matching/jobs.py",
)
#: functions of lindung.matching.services timed by observers during the run
OBSERVED = (
    "workers_frame",
    "participants_frame",
    "_link",
    "decisions_frame",
    "classify",
    "write_coverage",
    "find_duplicates",
    "write_duplicates",
)


# --- databases --------------------------------------------------------------------------------


def _pg(sql: str, database: str = "postgres") -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{database}", autocommit=True) as conn:
        conn.execute(sql)


def base_name(folder: Path) -> str:
    """The PostgreSQL database built for ``folder`` (one per folder, as the SQLite file)."""
    return f"{PG_NAME}_base_" + re.sub(r"[^a-z0-9]", "_", folder.name.lower())[:30]


def base_url(postgres: bool, folder: Path) -> str:
    if postgres:
        return f"{PG_SERVER}/{base_name(folder)}"
    return f"sqlite:///{folder / 'base.sqlite3'}"


def fresh_copy(postgres: bool, folder: Path) -> str:
    """A copy of the built database for one matching run (its URL)."""
    if postgres:
        _pg(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        _pg(f'CREATE DATABASE "{PG_NAME}" TEMPLATE "{base_name(folder)}"')
        # A new database has no statistics: without this, autovacuum analyses every table
        # during the measured run, on the same two CPUs.
        _pg("VACUUM ANALYZE", PG_NAME)
        return f"{PG_SERVER}/{PG_NAME}"
    target = folder / "run.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(folder / "base.sqlite3", target)
    return f"sqlite:///{target}"


# --- child steps --------------------------------------------------------------------------------


def child_build(database_url: str, workers: int, seed: int) -> dict[str, Any]:
    """Migrate, then the demo's registry and participants (as ``lindung demo-setup``)."""
    started = time.perf_counter()
    setup_django(database_url, migrate=True)
    from django.core.management import call_command

    from lindung.audit.services import acting_as
    from lindung.matching.models import Participant
    from lindung.matching.services_demo import load_demo_participants
    from lindung.registry.models import Worker

    with open(os.devnull, "w") as quiet:
        call_command("demo_data", workers=workers, seed=seed, stdout=quiet)
    with acting_as(label="bench-matching"):
        loaded = load_demo_participants(seed)
    return {
        "workers": Worker.objects.count(),
        "participants": Participant.objects.count(),
        "participants_seconds": loaded.seconds,
        "seconds": time.perf_counter() - started,
    }


def _observe(module: Any, name: str, log: list[tuple[str, float, float]]) -> None:
    original = getattr(module, name)

    def observed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            log.append((name, start, time.perf_counter()))

    setattr(module, name, observed)


def child_match(
    database_url: str, profile: str | None = None, dump: str | None = None, engine: bool = True
) -> dict[str, Any]:
    """One ``run_matching`` as the background job runs it, observed; then the engine alone."""
    setup_django(database_url)

    from lindung.audit.services import acting_as
    from lindung.matching import services
    from lindung.matching.jobs import progress_writer
    from lindung.matching.linkage.engine import LinkSettings
    from lindung.matching.models import MatchRun, RunStatus

    calls: list[tuple[str, float, float]] = []
    inputs: list[tuple[Any, ...]] = []
    original_link = services._link

    def keep_inputs(left: Any, right: Any, settings_: Any, progress: Any = None) -> Any:
        inputs.append((left, right, settings_))
        return original_link(left, right, settings_, progress)

    services._link = keep_inputs  # type: ignore[assignment]
    for name in OBSERVED:
        _observe(services, name, calls)

    run = MatchRun.objects.create(stage="Menunggu giliran", status=RunStatus.QUEUED)
    writer = progress_writer(run)
    marks: list[tuple[float, int, str]] = []

    def progress(percent: int, stage: str) -> None:
        marks.append((time.perf_counter(), percent, stage))
        writer(percent, stage)

    out: dict[str, Any] = {"load_average_before": load_average(), "peak_mb_before": peak_mb()}
    started = time.perf_counter()
    with acting_as(None, label="pencocokan"):
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.runcall(services.run_matching, progress, run=run)
            profiler.dump_stats(profile)
        else:
            services.run_matching(progress, run=run)
    finished = time.perf_counter()
    out |= {"seconds": finished - started, "peak_mb": peak_mb()}
    out["load_average_after"] = load_average()
    run.refresh_from_db()
    out |= {"counts": run.counts, "summary": run.summary, "run_seconds": run.seconds}
    out["stages"] = _stages(marks, started, finished)
    out["calls"] = [(name, a - started, b - a) for name, a, b in calls]

    if engine:
        left, right, settings_ = inputs[0]
        assert isinstance(settings_, LinkSettings)
        out["load_average_engine_before"] = load_average()
        start = time.perf_counter()
        pairs, _ = original_link(left, right, settings_)
        out["engine_seconds"] = time.perf_counter() - start
        out["engine_pairs"] = pairs.height
        out["load_average_engine_after"] = load_average()
        out["peak_mb_engine"] = peak_mb()
    if dump:
        out["dumped"] = _dump(dump)
    return out


def _dump(path: str) -> dict[str, int]:
    """Every stored Coverage and DuplicatePair value (ids, JSON as sorted text, probabilities
    rounded to 6 places) to ``path`` and ``path``.duplicates, as Parquet."""
    import polars as pl

    from lindung.matching.models import Coverage, DuplicatePair

    sizes = {}
    for model, key, target in (
        (Coverage, "worker_id", path),
        (DuplicatePair, "first_id", f"{path}.duplicates"),
    ):
        names = [f.attname for f in model._meta.concrete_fields]
        rows = model.objects.order_by(key, "id").values_list(*names).iterator(chunk_size=50_000)
        frame = pl.DataFrame(
            [[json.dumps(v, sort_keys=True) if isinstance(v, list) else v for v in row]
             for row in rows],
            schema=names, orient="row", infer_schema_length=None,
        ).with_columns(pl.col("probability").round(6))  # fmt: skip
        frame.write_parquet(target)
        sizes[model.__name__] = frame.height
    return sizes


def _stages(
    marks: list[tuple[float, int, str]], started: float, finished: float
) -> list[tuple[str, float]]:
    """Seconds from each progress mark to the next (the engine's marks folded into one line
    per engine step)."""
    stages: list[tuple[str, float]] = []
    previous, label = started, "start"
    for moment, _percent, stage in marks:
        stages.append((label, moment - previous))
        previous, label = moment, stage
    stages.append((label, finished - previous))
    return [(name, seconds) for name, seconds in stages if name != "Selesai" or seconds > 0.05]


# --- the parent ---------------------------------------------------------------------------------


def describe(build: dict[str, Any] | None, result: dict[str, Any]) -> str:
    lines = []
    if build:
        lines.append(
            f"data: {build['workers']:,} workers, {build['participants']:,} participants "
            f"(built in {build['seconds']:.0f} s)"
        )
    counts, summary = result["counts"], result["summary"]
    lines.append(
        f"run_matching: {result['seconds']:.1f} s (process {result['process_seconds']:.1f} s); "
        f"peak RSS {result['peak_mb']:,.0f} MB (before the run {result['peak_mb_before']:,.0f}); "
        f"load average before {result['load_average_before']}, after "
        f"{result['load_average_after']}"
    )
    lines.append(
        f"  engine summary: candidate pairs above threshold "
        f"{summary.get('candidate_pairs_above_threshold', '?'):,}, "
        f"pairs kept {summary.get('links', '?'):,}, workers with a pair "
        f"{summary.get('left_linked', '?'):,}"
    )
    lines.append(f"  counts: {json.dumps(counts)}")
    lines.append("  progress stages (s):")
    lines += [f"    {seconds:8.1f}  {name}" for name, seconds in result["stages"]]
    lines.append("  functions called by run_matching (start → duration, s):")
    lines += [
        f"    {start:8.1f} → {seconds:7.1f}  {name}" for name, start, seconds in result["calls"]
    ]
    if "engine_seconds" in result:
        engine = result["engine_seconds"]
        loads = f"{result['load_average_engine_before']} → {result['load_average_engine_after']}"
        lines.append(
            f"  engine alone (same _link, same frames, same process): {engine:.1f} s, "
            f"{result['engine_pairs']:,} pairs; load average {loads}; "
            f"peak RSS after {result['peak_mb_engine']:,.0f} MB"
        )
        lines.append(f"  ratio in-app total / engine alone: {result['seconds'] / engine:.2f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--postgres", action="store_true", help=f"PostgreSQL {PG_NAME}")
    parser.add_argument("--keep", type=Path, help="build the data in this folder and keep it")
    parser.add_argument("--reuse", type=Path, help="folder of an earlier --keep: skip the build")
    parser.add_argument("--profile", help="cProfile the run into this file")
    parser.add_argument("--dump", help="write the coverage rows to this Parquet file")
    parser.add_argument("--no-engine", action="store_true", help="skip the engine-alone re-run")
    parser.add_argument("--child")
    parser.add_argument("--args")
    args = parser.parse_args()
    if args.child:
        child_main({"build": child_build, "match": child_match}, args.child, args.args)
        return

    banner(f"In-app matching (run_matching), {'PostgreSQL' if args.postgres else 'SQLite'}")
    from _common import code_version

    print(code_version(CODE_PATHS), flush=True)
    folder = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="lindung-matchbench-"))
    folder.mkdir(parents=True, exist_ok=True)
    script = str(Path(__file__).resolve())
    build = None
    if not args.reuse:
        if args.postgres:
            _pg(f'DROP DATABASE IF EXISTS "{base_name(folder)}" WITH (FORCE)')
            _pg(f'CREATE DATABASE "{base_name(folder)}"')
        else:
            (folder / "base.sqlite3").unlink(missing_ok=True)
        build = run_child(
            script, "build", database_url=base_url(args.postgres, folder),
            workers=args.workers, seed=args.seed,
        )  # fmt: skip
        print(f"built {build['workers']:,} workers, {build['participants']:,} participants in "
              f"{build['seconds']:.0f} s", flush=True)  # fmt: skip
    result = run_child(
        script, "match", database_url=fresh_copy(args.postgres, folder),
        profile=args.profile, dump=args.dump, engine=not args.no_engine,
    )  # fmt: skip
    print(describe(build, result), flush=True)
    if not (args.keep or args.reuse):
        shutil.rmtree(folder, ignore_errors=True)
        if args.postgres:
            _pg(f'DROP DATABASE IF EXISTS "{base_name(folder)}" WITH (FORCE)')


if __name__ == "__main__":
    main()
