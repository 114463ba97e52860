"""Kaltim-scale data for the load test: a fresh PostgreSQL database filled in minutes.

    .venv/bin/python bench/load_data.py                   # lindung_load, 2M / 1.5M / 50k
    .venv/bin/python bench/load_data.py --fresh           # drop and rebuild the database
    .venv/bin/python bench/load_data.py --workers 200000 --participants 150000 --companies 5000

Every step reuses what the demo and the importers already do, at scale, and is skipped when
its table is already filled (re-runs only refresh the dashboard):

1. ``lindung migrate`` into a new database (regions, letter templates, minimum wages);
2. the personas (:mod:`lindung.accounts.personas`) with the demo password;
3. workers: :func:`lindung.demo.generator.generate_workers` (kab/kota/kecamatan/desa weighted
   by population, 20% proposed by the province, 1% proposed twice, 3% damaged rows) loaded by
   COPY (:func:`lindung.demo.services.load_workers`);
4. BPJS TK participants: :func:`lindung.matching.services_demo.demo_participants` (60% of the
   registry are members, plus people outside it, with real-list damage), the first
   ``--participants`` rows loaded by the participant importer's COPY path;
5. companies and BPJS employers: :func:`lindung.demo.companies.load_demo_companies`, then
   ``lindung compliance-status`` (company ↔ employer matching and one status per company);
6. coverage, one row per worker not rejected: by default derived set-based from valid-NIK
   agreement (:func:`derive_coverage`: the real run does not fit in minutes on two shared
   CPUs); ``--coverage match`` runs the real matching
   (:func:`lindung.matching.services.run_matching`: linkage engine, review queue, duplicates);
7. programmes: three running budget lines whose beneficiaries the programme selection service
   chooses and saves (:func:`lindung.programmes.services.save_selection`: not covered, aged
   18–65, priorities, quotas per kab/kota, one place per person), then marked registered with
   BPJS (85%), sent (10%) or rejected (5%) in one UPDATE each;
8. letters: one ``imbauan`` batch (Typst PDF, numbering, register, cases) for the first
   ``--letters`` companies that must register;
9. ``lindung refresh-dashboard`` when the command exists, then ``VACUUM ANALYZE``.

Prints the time of each step and the row counts, and writes them to
``var/bench-load/build.json`` for ``bench/load_run.py`` and ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, banner, load_average, peak_mb, setup_django

DB_NAME = "lindung_load"
PG = ["-h", "127.0.0.1", "-U", "postgres"]
OUT_DIR = ROOT / "var" / "bench-load"
SEED = 2026


def database_url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def create_database(name: str, fresh: bool) -> None:
    """A new database (dropped first with ``--fresh``), migrated with ``lindung migrate``."""
    if fresh:
        subprocess.run(["dropdb", *PG, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *PG, name], capture_output=True)
    env = dict(os.environ, DATABASE_URL=database_url(name))
    subprocess.run([str(ROOT / ".venv/bin/lindung"), "migrate", "-v", "0"], env=env, check=True)


# --- steps (each returns what it did; skipped when its table already has rows) ----------------


def personas() -> str:
    from lindung.accounts.personas import DEMO_PASSWORD, PERSONAS, ensure_persona

    for persona in PERSONAS.values():
        ensure_persona(persona, DEMO_PASSWORD)
    return f"{len(PERSONAS)} personas"


def workers(n: int, seed: int) -> str:
    from lindung.demo.generator import generate_workers
    from lindung.demo.services import load_workers
    from lindung.registry.models import Worker

    if Worker.objects.exists():
        return "skipped (registry already filled)"
    frame = generate_workers(n, seed)
    return f"{load_workers(frame, seed=seed):,} workers"


def participants(n: int, seed: int) -> str:
    from lindung.imports.loaders import LoadContext, load
    from lindung.matching.models import Participant
    from lindung.matching.services_demo import demo_participants

    if Participant.objects.exists():
        return "skipped (participants already loaded)"
    frame = demo_participants(seed).head(n)
    result = load("participants", frame, context=LoadContext(source="Bench BPJS TK"))
    return f"{result.created:,} participants (of {frame.height:,} generated rows)"


def companies(n: int, seed: int) -> str:
    from django.core.management import call_command

    from lindung.compliance.models import Company, CompanyStatus
    from lindung.demo.companies import load_demo_companies

    done = "companies already loaded"
    if not Company.objects.exists():
        loaded = load_demo_companies(n, seed)
        done = ", ".join(f"{v:,} {k}" for k, v in loaded.items())
    if not CompanyStatus.objects.exists():
        call_command("compliance_status", verbosity=0)
        done += f"; {CompanyStatus.objects.count():,} compliance statuses"
    return done


def coverage(mode: str) -> str:
    """One Coverage row per worker: the real matching run, or derived set-based (``derive``)."""
    from lindung.matching.models import Coverage

    if Coverage.objects.exists():
        return "skipped (coverage already computed)"
    return derive_coverage() if mode == "derive" else match_coverage()


def match_coverage() -> str:
    from tqdm import tqdm

    from lindung.matching.services import run_matching

    with tqdm(total=100, desc="Pencocokan", file=sys.stderr) as bar:

        def progress(percent: int, stage: str) -> None:
            bar.set_description(stage[:40])
            bar.update(percent - bar.n)

        run = run_matching(progress)
    return f"run #{run.pk}: {run.counts}"


DERIVE_SQL = """
    WITH ranked AS (
        SELECT id, nik, CASE
            WHEN status = %(active)s AND segment IN (%(pu)s, %(jakon)s) THEN 'pu'
            WHEN status = %(active)s AND payer IN (%(government)s, %(csr)s) THEN 'bpu_program'
            WHEN status = %(active)s THEN 'bpu_mandiri'
            ELSE 'nonaktif' END AS cov
        FROM matching_participant WHERE nik_status = 'valid'
    ), best AS (
        SELECT DISTINCT ON (nik) nik, id, cov FROM ranked
        ORDER BY nik, CASE cov WHEN 'pu' THEN 0 WHEN 'bpu_program' THEN 1
                               WHEN 'bpu_mandiri' THEN 2 ELSE 3 END, id
    )
    INSERT INTO matching_coverage ({columns})
    SELECT {values}
    FROM registry_worker w
    LEFT JOIN best b ON b.nik = w.nik AND w.nik_status = 'valid'
    WHERE w.status <> %(rejected)s
"""


def derive_coverage() -> str:
    """Coverage rows as the matching run classifies them, from exact valid-NIK agreement only.

    Set-based (one INSERT … SELECT): a worker whose valid NIK a participant shares takes that
    person's best membership (PU/JAKON active → ``pu``, active paid by government/CSR →
    ``bpu_program``, other active → ``bpu_mandiri``, else ``nonaktif``); everyone else is
    ``belum``. Used because the real run (linkage on 2M × 1.5M) takes far longer than 10 minutes
    on the shared two-CPU machine; the statuses' shares are close to the real run's, without its
    review queue (damaged NIKs end up ``belum`` instead of ``tinjauan``/linked).
    """
    from django.db import connection
    from django.utils import timezone

    from lindung.matching.models import (
        Coverage,
        MatchRun,
        MembershipStatus,
        Payer,
        RunStatus,
        Segment,
    )  # fmt: skip
    from lindung.matching.services import REASON_NOT_FOUND
    from lindung.registry.models import WorkerStatus

    MatchRun.objects.filter(status=RunStatus.RUNNING).update(status=RunStatus.FAILED)
    now = timezone.now()
    run = MatchRun.objects.create(status=RunStatus.RUNNING, started_at=now, stage="bench")
    chosen = {
        "worker_id": "w.id",
        "kabkota_id": "w.kabkota_id",
        "status": "COALESCE(b.cov, 'belum')",
        "participant_id": "b.id",
        "probability": "CASE WHEN b.id IS NULL THEN NULL ELSE 1.0 END",
        "reason": "CASE WHEN b.id IS NULL THEN %(not_found)s ELSE 'NIK sama' END",
        "run_id": "%(run)s",
    }
    params: dict[str, Any] = {
        "active": MembershipStatus.ACTIVE.value, "pu": Segment.PU.value,
        "jakon": Segment.JAKON.value, "government": Payer.GOVERNMENT.value,
        "csr": Payer.CSR.value, "rejected": WorkerStatus.REJECTED.value,
        "not_found": REASON_NOT_FOUND, "run": run.pk,
    }  # fmt: skip
    for field in Coverage._meta.concrete_fields:  # columns added later get their defaults
        if field.primary_key or field.column in chosen or field.null:
            continue
        chosen[field.column] = f"%(default_{field.column})s"
        value = field.get_db_prep_save(field.get_default(), connection)
        params[f"default_{field.column}"] = value
    sql = DERIVE_SQL.format(columns=", ".join(chosen), values=", ".join(chosen.values()))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute(
            "SELECT status, count(*) FROM matching_coverage GROUP BY status ORDER BY status"
        )
        counts = {status: n for status, n in cursor.fetchall()}
    run.counts = {"workers": sum(counts.values()), **counts}
    run.status, run.progress, run.stage = RunStatus.DONE, 100, ""
    run.message = "Bench: cakupan diturunkan dari NIK yang sama (tanpa mesin pencocokan)."
    run.finished_at = timezone.now()
    run.save()
    return f"derived (valid NIK agreement), run #{run.pk}: {run.counts}"


#: (name, funder, kab/kota funding it or None, beneficiaries, months)
PROGRAMMES = (
    ("Bantuan Iuran Pekerja Rentan Provinsi 2026", "apbd_provinsi", None, 120_000, 12),
    ("Perlindungan Nelayan dan Petani Kota Samarinda 2026", "apbd_kabkota", "64.72", 20_000, 12),
    ("CSR Pekerja Rentan Balikpapan 2026", "csr", "64.71", 5_000, 6),
)
#: BPU premium of the JKK + JKM package at the lowest income tier (Rp 1,000,000): 1% + Rp 6,800.
MONTHLY_PREMIUM = 16_800

#: Where a running programme's beneficiaries stand with BPJS, by ``worker_id % 20``: most are
#: registered, some sent and waiting, one in twenty rejected.
ENROLMENT_SQL = """
    UPDATE programmes_beneficiary
    SET status = CASE WHEN worker_id %% 20 = 0 THEN %(rejected)s
                      WHEN worker_id %% 20 < 3 THEN %(sent)s ELSE %(registered)s END,
        coverage_start = %(start)s, coverage_end = %(end)s
    WHERE programme_id = %(programme)s
"""


def programmes() -> str:
    """Three running programmes; beneficiaries chosen by the programme selection service
    (:func:`lindung.programmes.services.save_selection`), then enrolled set-based."""
    import datetime as dt

    from django.db import connection

    from lindung.accounts.models import User
    from lindung.programmes.models import BeneficiaryStatus, Programme, ProgrammeStatus
    from lindung.programmes.services import save_selection

    if Programme.objects.exists():
        return "skipped (programmes already exist)"
    admin = User.objects.get(username="admin")
    done = []
    for name, funder, region, quota, months in PROGRAMMES:
        programme = Programme.objects.create(
            name=name,
            funder=funder,
            funder_region_id=region,
            budget=quota * MONTHLY_PREMIUM * months,
            period_start=dt.date(2026, 1, 1),
            months=months,
            created_by=admin,
        )
        if region:
            programme.target_regions.set([region])
        saved = save_selection(programme, admin)
        with connection.cursor() as cursor:
            cursor.execute(
                ENROLMENT_SQL,
                {
                    "rejected": BeneficiaryStatus.REJECTED.value,
                    "sent": BeneficiaryStatus.SENT.value,
                    "registered": BeneficiaryStatus.REGISTERED.value,
                    "start": programme.period_start,
                    "end": programme.period_end,
                    "programme": programme.pk,
                },
            )
        Programme.objects.filter(pk=programme.pk).update(status=ProgrammeStatus.RUNNING)
        done.append(f"{saved.selected:,}")
    return f"{len(PROGRAMMES)} programmes, beneficiaries {' + '.join(done)}"


def letters(n: int) -> str:
    """One ``imbauan`` batch for the first ``n`` companies that must register with BPJS TK."""
    from lindung.accounts.models import User
    from lindung.compliance.models import Company, ComplianceStatus
    from lindung.letters.models import OutgoingLetter
    from lindung.letters.services import generate_batch
    from lindung.letters.sources import letter_data

    if OutgoingLetter.objects.exists():
        return "skipped (letters already made)"
    chosen = Company.objects.filter(
        compliance__status=ComplianceStatus.UNREGISTERED
    ).select_related("kabkota")[:n]
    batch = generate_batch(letter_data(chosen), "imbauan", User.objects.get(username="admin"))
    return f"batch #{batch.pk}: {batch.counts}"


def refresh_dashboard() -> str:
    from django.core.management import call_command, get_commands

    if "refresh_dashboard" not in get_commands():
        return "not available yet (no refresh-dashboard command)"
    call_command("refresh_dashboard")
    return "refreshed"


def vacuum() -> str:
    """Fresh statistics and visibility maps, as autovacuum would leave them after a while."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return "done"


def counts() -> dict[str, int]:
    from django.apps import apps

    names = [
        "registry.Worker", "matching.Participant", "matching.Coverage",
        "matching.DuplicatePair", "compliance.Company", "compliance.Employer",
        "compliance.CompanyStatus", "programmes.Programme", "programmes.Beneficiary",
        "letters.OutgoingLetter",
    ]  # fmt: skip
    return {name: apps.get_model(name).objects.count() for name in names}


# --- main --------------------------------------------------------------------------------------


def timed(log: dict[str, Any], label: str, step: Callable[[], str]) -> None:
    started = time.perf_counter()
    what = step()
    seconds = time.perf_counter() - started
    log["steps"][label] = {"seconds": round(seconds, 1), "result": what}
    print(f"{label:<22}{seconds:8.1f} s  {what}  [load {load_average()}]", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DB_NAME)
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument("--workers", type=int, default=2_000_000)
    parser.add_argument("--participants", type=int, default=1_500_000)
    parser.add_argument("--companies", type=int, default=50_000)
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--coverage", choices=["derive", "match"], default="derive",
        help="derive coverage set-based from NIK agreement (minutes) or run the real matching",
    )  # fmt: skip
    args = parser.parse_args()

    banner(f"Load-test data in PostgreSQL database {args.db}")
    log: dict[str, Any] = {"database": args.db, "args": vars(args), "steps": {}}
    started = time.perf_counter()
    timed(log, "create + migrate", lambda: create_database(args.db, args.fresh) or "migrated")
    setup_django(database_url(args.db))
    from lindung.audit.services import acting_as

    with acting_as(label="bench-load"):
        timed(log, "personas", personas)
        timed(log, "workers", lambda: workers(args.workers, args.seed))
        timed(log, "participants", lambda: participants(args.participants, args.seed))
        timed(log, "companies + status", lambda: companies(args.companies, args.seed))
        timed(log, f"coverage ({args.coverage})", lambda: coverage(args.coverage))
        timed(log, "programmes", programmes)
        timed(log, "letters", lambda: letters(args.letters))
        timed(log, "refresh-dashboard", refresh_dashboard)
    timed(log, "vacuum analyze", vacuum)
    log["seconds"] = round(time.perf_counter() - started, 1)
    log["peak_mb"] = round(peak_mb())
    log["counts"] = counts()
    print(f"total {log['seconds']:.1f} s; peak memory {log['peak_mb']:,} MB")
    for name, count in log["counts"].items():
        print(f"  {name:<26}{count:>12,}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "build.json").write_text(json.dumps(log, indent=2, default=str))


if __name__ == "__main__":
    main()
