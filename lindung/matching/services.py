"""Matching the registry against the latest participant data: who is already covered.

:func:`run_matching` exports the workers (one kab/kota or the whole province) and all
participants to Polars with ``values_list`` (no per-row ORM work), links them with the linkage
engine (:func:`lindung.matching.linkage.engine.link`), applies the reviewers' remembered
decisions, classifies every worker (:func:`classify`) and upserts one :class:`Coverage` row per
worker in bulk. It then links the province's proposals with the kab/kota offices' proposals to
find people proposed twice (:func:`find_duplicates`).

Thresholds (override in Django settings):

``LINDUNG_MATCH_THRESHOLD`` (default 0.95)
    A pair at or above it is a link: the worker takes the participant's coverage status.
``LINDUNG_REVIEW_THRESHOLD`` (default 0.5)
    A pair at or above it but below the match threshold goes to the clerical review queue
    (status ``tinjauan``); below it the pair is ignored. The engine's probabilities are sharply
    bimodal on generated Kaltim data (true pairs ≥ 0.99, look-alikes that pass its name and
    date rules ≈ 0.9), so the queue holds exactly the look-alikes a person must judge.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lindung.core.bulk import upsert_frame
from lindung.matching.linkage.engine import LinkSettings, link
from lindung.matching.models import (
    Coverage,
    CoverageStatus,
    Decision,
    DuplicatePair,
    DuplicateStatus,
    MatchRun,
    MembershipStatus,
    Participant,
    Payer,
    ReviewDecision,
    RunStatus,
    Segment,
)
from lindung.registry.models import NikStatus, Worker, WorkerStatus

log = logging.getLogger(__name__)

__all__ = [
    "Progress",
    "Thresholds",
    "classify",
    "decide",
    "find_duplicates",
    "participant_status",
    "run_matching",
    "thresholds",
]

#: ``progress(percent, stage)``, as in :mod:`lindung.imports.pipeline`.
Progress = Callable[[int, str], None]
#: The proposing office of the province: its proposals are checked against the kab/kota ones.
PROVINCE = "64"

REASON_NOT_FOUND = "Tidak ditemukan dalam data peserta BPJS Ketenagakerjaan"
REASON_REJECTED = "Pasangan yang diusulkan mesin telah ditolak petugas"
REASON_NEXT = "Pasangan sebelumnya ditolak petugas; calon berikutnya"
REASON_ACCEPTED = "Diterima petugas"
REASON_SAME_PERSON = "status dari kepesertaan lain dengan NIK yang sama"


@dataclass(frozen=True)
class Thresholds:
    match: float = 0.95
    review: float = 0.5


def thresholds() -> Thresholds:
    """The thresholds in force (module docstring; Django settings override the defaults)."""
    default = Thresholds()
    return Thresholds(
        match=float(getattr(settings, "LINDUNG_MATCH_THRESHOLD", default.match)),
        review=float(getattr(settings, "LINDUNG_REVIEW_THRESHOLD", default.review)),
    )


def _no_progress(percent: int, stage: str) -> None:
    return None


# --- export -------------------------------------------------------------------------------------

WORKER_SCHEMA = {
    "id": pl.Int64,
    "nik": pl.String,
    "name": pl.String,
    "birth_date": pl.Date,
    "sex": pl.String,
    "desa_id": pl.String,
    "kabkota_id": pl.String,
    "proposer_id": pl.String,
}
PARTICIPANT_SCHEMA = {
    "id": pl.Int64,
    "nik": pl.String,
    "nik_status": pl.String,
    "name": pl.String,
    "birth_date": pl.Date,
    "sex": pl.String,
    "region_id": pl.String,
    "segment": pl.String,
    "status": pl.String,
    "payer": pl.String,
}


def _frame(queryset: QuerySet[Any], schema: dict[str, Any]) -> pl.DataFrame:
    rows = queryset.values_list(*schema).iterator(chunk_size=20_000)
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def workers_frame(kabkota: str | None = None) -> pl.DataFrame:
    """Workers to match: every proposal not rejected (merged duplicates are rejected)."""
    queryset = Worker.objects.exclude(status=WorkerStatus.REJECTED).order_by()
    if kabkota:
        queryset = queryset.filter(kabkota_id=kabkota)
    return _frame(queryset, WORKER_SCHEMA)


def participants_frame(queryset: QuerySet[Participant] | None = None) -> pl.DataFrame:
    return _frame((queryset or Participant.objects.all()).order_by(), PARTICIPANT_SCHEMA)


def _engine_input(frame: pl.DataFrame, region: pl.Expr) -> pl.DataFrame:
    """The engine's input columns (``lindung.matching.linkage.prepare.INPUT_COLUMNS``)."""
    return frame.select(
        pl.col("id").cast(pl.String),
        pl.col("nik"),
        nama=pl.col("name"),
        tanggal_lahir=pl.col("birth_date").cast(pl.String),
        jenis_kelamin=pl.col("sex"),
        kode_wilayah=region,
    )


PAIR_SCHEMA = {
    "worker_id": pl.Int64,
    "participant_id": pl.Int64,
    "probability": pl.Float64,
    "reason": pl.String,
}


def _link(
    left: pl.DataFrame,
    right: pl.DataFrame,
    settings_: LinkSettings,
    progress: Callable[[str, float], None] | None = None,
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Engine pairs as (worker_id, participant_id, probability, reason) with integer ids."""
    if left.is_empty() or right.is_empty():
        return pl.DataFrame(schema=PAIR_SCHEMA), {"links": 0}
    result = link(left, right, settings=settings_, progress=progress)
    pairs = result.pairs.select(
        worker_id=pl.col("left_id").cast(pl.Int64),
        participant_id=pl.col("right_id").cast(pl.Int64),
        probability=pl.col("match_probability").cast(pl.Float64),
        reason=pl.col("reason").cast(pl.String),
    )
    return pairs, result.summary


# --- classification -----------------------------------------------------------------------------


def _ranked(participants: pl.DataFrame) -> pl.DataFrame:
    """Each participant's coverage status, its rank (best first) and its person key.

    An active wage-earner (PU) or construction (JAKON) membership is paid by the employer or the
    project: ``pu``. An active BPU membership paid by the government or CSR: ``bpu_program``;
    any other active BPU: ``bpu_mandiri``. Inactive: ``nonaktif``. A person is every record with
    the same valid NIK: the best of them decides (an old lapsed PU record does not hide a
    current BPU one).
    """
    active = pl.col("status") == MembershipStatus.ACTIVE.value
    program = pl.col("payer").is_in([Payer.GOVERNMENT.value, Payer.CSR.value])
    status = (
        pl.when(active & pl.col("segment").is_in([Segment.PU.value, Segment.JAKON.value]))
        .then(pl.lit(CoverageStatus.PU.value))
        .when(active & program)
        .then(pl.lit(CoverageStatus.BPU_PROGRAM.value))
        .when(active)
        .then(pl.lit(CoverageStatus.BPU_MANDIRI.value))
        .otherwise(pl.lit(CoverageStatus.NONAKTIF.value))
    )
    rank = status.replace_strict(
        {
            CoverageStatus.PU.value: 0,
            CoverageStatus.BPU_PROGRAM.value: 1,
            CoverageStatus.BPU_MANDIRI.value: 2,
            CoverageStatus.NONAKTIF.value: 3,
        },
        return_dtype=pl.Int8,
    )
    person = (
        pl.when(pl.col("nik_status") == NikStatus.VALID.value)
        .then(pl.col("nik"))
        .otherwise(pl.lit("#") + pl.col("id").cast(pl.String))
    )
    return participants.select(pl.col("id"), cov_status=status, rank=rank, person=person)


def _status_from_person(linked: pl.DataFrame, participants: pl.DataFrame) -> pl.DataFrame:
    """For linked pairs: the best membership of the linked participant's person."""
    ranked = _ranked(participants)
    with_person = linked.join(
        ranked.select(participant_id="id", person="person"), on="participant_id", how="left"
    )
    candidates = with_person.join(
        ranked.select("person", best_id="id", cov_status="cov_status", rank="rank"),
        on="person",
        how="left",
    )
    best = (
        candidates.sort(
            ["worker_id", "rank", pl.col("best_id") != pl.col("participant_id")], nulls_last=True
        )
        .unique("worker_id", keep="first", maintain_order=True)
        .with_columns(
            reason=pl.when(pl.col("best_id") != pl.col("participant_id"))
            .then(pl.col("reason") + pl.lit("; " + REASON_SAME_PERSON))
            .otherwise(pl.col("reason")),
            participant_id=pl.coalesce("best_id", "participant_id"),
            status=pl.coalesce("cov_status", pl.lit(CoverageStatus.NONAKTIF.value)),
        )
    )
    return best.drop("person", "best_id", "cov_status", "rank")


DECISION_SCHEMA: dict[str, Any] = {
    "worker_id": pl.Int64,
    "participant_id": pl.Int64,
    "decision": pl.String,
    "user_id": pl.Int64,
    "at": pl.Datetime("us", "UTC"),
}


def decisions_frame(worker_ids: QuerySet[Any] | None = None) -> pl.DataFrame:
    queryset = ReviewDecision.objects.order_by()
    if worker_ids is not None:
        queryset = queryset.filter(worker_id__in=worker_ids)
    return _frame(queryset, DECISION_SCHEMA)


def _one_per_participant(best: pl.DataFrame, workers: pl.DataFrame) -> pl.DataFrame:
    """Each participant keeps its most probable worker and any other proposal of the same person.

    The engine runs without its own one-to-one resolution (the run needs every candidate, for
    the fallback after a rejection), so its rule is applied here, after rejected pairs are gone:
    a second proposal stays linked only with the same name and a NIK that does not contradict
    the first one's (same region and birth date, or same birth date and serial, or a NIK
    missing on one side): the province and the kab/kota proposing one person, not a namesake.
    """
    nik = pl.col("nik")
    people = workers.select(
        worker_id="id",
        name_key=pl.col("name").str.to_lowercase().str.replace_all(r"[^a-z]", ""),
        nik=pl.when(nik.str.contains(r"^\d{16}$")).then(nik),
    )
    ranked = best.join(people, on="worker_id", how="left").sort(
        ["participant_id", "probability", "worker_id"], descending=[False, True, False]
    )
    top = ranked.unique("participant_id", keep="first", maintain_order=True).select(
        "participant_id", top_id="worker_id", top_name="name_key", top_nik="nik"
    )
    agrees = (
        nik.is_null()
        | pl.col("top_nik").is_null()
        | (nik.str.slice(0, 12) == pl.col("top_nik").str.slice(0, 12))
        | (nik.str.slice(6) == pl.col("top_nik").str.slice(6))
    )
    same_person = (pl.col("name_key") == pl.col("top_name")) & agrees
    return (
        ranked.join(top, on="participant_id")
        .filter((pl.col("worker_id") == pl.col("top_id")) | same_person)
        .select(best.columns)
    )


def classify(
    workers: pl.DataFrame,
    participants: pl.DataFrame,
    pairs: pl.DataFrame,
    decisions: pl.DataFrame,
    limits: Thresholds | None = None,
) -> pl.DataFrame:
    """One coverage row per worker from the engine's candidate pairs and the reviewers' decisions.

    ``workers``: ``id``, ``kabkota_id``, ``name``, ``nik``; ``pairs``: every candidate pair (a
    worker may have several). Columns out: ``worker_id``, ``kabkota_id``, ``status``,
    ``participant_id``, ``probability``, ``reason``, ``decided_by_id``, ``decided_at``,
    ``alternatives``. A rejected pair is dropped, so the worker falls back to its next-best
    candidate above the review threshold (its reason says so), or is ``belum`` with a reason
    saying the pair was rejected; an accepted pair replaces whatever the engine proposed; the
    rest is banded by the thresholds. The other candidates are kept as ``alternatives``.
    """
    limits = limits or thresholds()
    keys = ["worker_id", "participant_id"]
    rejected = decisions.filter(pl.col("decision") == Decision.REJECT.value).select(keys)
    accepted = decisions.filter(pl.col("decision") == Decision.ACCEPT.value).select(
        *keys, decided_by_id="user_id", decided_at="at"
    )
    above = pairs.filter(pl.col("probability") >= limits.review)
    refused = (
        above.join(rejected, on=keys, how="semi")
        .select("worker_id", refused_reason=pl.lit(REASON_REJECTED))
        .unique("worker_id")
    )
    candidates = above.join(rejected, on=keys, how="anti").sort(
        ["worker_id", "probability", "participant_id"], descending=[False, True, False]
    )
    best = _one_per_participant(
        candidates.unique("worker_id", keep="first", maintain_order=True), workers
    )
    alternatives = (
        candidates.join(best.select(keys), on=keys, how="anti")
        .group_by("worker_id", maintain_order=True)
        .agg(alternatives=pl.struct("participant_id", "probability", "reason"))
    )
    next_best = pl.col("worker_id").is_in(refused["worker_id"].implode())
    engine = best.join(accepted, on="worker_id", how="anti").with_columns(
        status=pl.when(pl.col("probability") >= limits.match)
        .then(pl.lit("link"))
        .otherwise(pl.lit(CoverageStatus.TINJAUAN.value)),
        reason=pl.when(next_best)
        .then(pl.lit(REASON_NEXT + ": ") + pl.col("reason"))
        .otherwise(pl.col("reason")),
        decided_by_id=pl.lit(None, pl.Int64),
        decided_at=pl.lit(None, DECISION_SCHEMA["at"]),
    )
    manual = (
        accepted.join(pairs, on=keys, how="left")
        .join(workers.select(worker_id="id"), on="worker_id", how="semi")
        .with_columns(
            reason=pl.concat_str(
                [pl.lit(REASON_ACCEPTED), pl.lit(", ") + pl.col("reason")], ignore_nulls=True
            ),
            status=pl.lit("link"),
        )
        .select(engine.columns)
    )
    chosen = pl.concat([engine.select(manual.columns), manual])
    linked = _status_from_person(chosen.filter(pl.col("status") == "link"), participants)
    review = chosen.filter(pl.col("status") == CoverageStatus.TINJAUAN.value)
    decided = pl.concat([linked.select(chosen.columns), review])
    return (
        workers.select(worker_id="id", kabkota_id="kabkota_id")
        .join(decided, on="worker_id", how="left")
        .join(refused, on="worker_id", how="left")
        .join(alternatives, on="worker_id", how="left")
        .with_columns(
            status=pl.col("status").fill_null(CoverageStatus.BELUM.value),
            reason=pl.coalesce("reason", "refused_reason", pl.lit(REASON_NOT_FOUND)).str.slice(
                0, 255
            ),
        )
        .select(
            "worker_id",
            "kabkota_id",
            "status",
            "participant_id",
            "probability",
            "reason",
            "decided_by_id",
            "decided_at",
            "alternatives",
        )
    )


def participant_status(participant: Participant) -> tuple[str, int, bool]:
    """Coverage status for a worker linked to ``participant``: (status, participant id, whether
    another membership of the same person decided it)."""
    same = Participant.objects.filter(pk=participant.pk)
    if participant.nik_status == NikStatus.VALID:
        same = Participant.objects.filter(nik=participant.nik, nik_status=NikStatus.VALID)
    linked = pl.DataFrame(
        {"worker_id": [0], "participant_id": [participant.pk], "reason": [""]},
        schema={"worker_id": pl.Int64, "participant_id": pl.Int64, "reason": pl.String},
    )
    row = _status_from_person(linked, participants_frame(same)).row(0, named=True)
    return row["status"], row["participant_id"], row["participant_id"] != participant.pk


# --- writing ------------------------------------------------------------------------------------

COVERAGE_FIELDS = [
    "kabkota", "status", "participant", "probability", "reason", "run", "decided_by",
    "decided_at", "alternatives",
]  # fmt: skip


def write_coverage(frame: pl.DataFrame, run: MatchRun) -> int:
    """Upsert one Coverage per worker (stable ids), then drop rows of workers no longer matched
    within the run's scope. One transaction."""
    rows = frame.with_columns(
        run_id=pl.lit(run.pk, pl.Int64),
        alternatives=pl.col("alternatives").fill_null([]),
    )
    with transaction.atomic():
        upsert_frame(Coverage, rows, ["worker"], COVERAGE_FIELDS)
        stale = Coverage.objects.exclude(run=run)
        if run.kabkota_id:
            stale = stale.filter(kabkota_id=run.kabkota_id)
        stale.delete()
    return frame.height


# --- duplicates inside the registry -------------------------------------------------------------


def find_duplicates(workers: pl.DataFrame, limits: Thresholds | None = None) -> pl.DataFrame:
    """Pairs (first = province proposal, second = kab/kota proposal) of the same person.

    The province ("64") proposes people that the kab/kota offices may also propose; one row
    per office is legitimate data (natural key: office + NIK), so these are found by linking
    the province's proposals with the offices' proposals, with the same engine and thresholds.
    Two kab/kota offices proposing one person are not searched for (rare: a person lives in
    one kab/kota).
    """
    limits = limits or thresholds()
    region = pl.coalesce("desa_id", "kabkota_id")
    province = workers.filter(pl.col("proposer_id") == PROVINCE)
    offices = workers.filter(pl.col("proposer_id") != PROVINCE)
    pairs, _ = _link(
        _engine_input(province, region),
        _engine_input(offices, region),
        LinkSettings(threshold=limits.review, expected_overlap=0.05),
    )
    return pairs.rename({"worker_id": "first_id", "participant_id": "second_id"}).join(
        province.select(first_id="id", kabkota_id="kabkota_id"), on="first_id"
    )


def write_duplicates(frame: pl.DataFrame, run: MatchRun) -> int:
    """Upsert found pairs (a pair already merged or dismissed keeps its decision); open pairs
    no longer found are removed."""
    rows = frame.select(
        "first_id",
        "second_id",
        "kabkota_id",
        "probability",
        pl.col("reason").str.slice(0, 255),
        run_id=pl.lit(run.pk, pl.Int64),
        status=pl.lit(DuplicateStatus.OPEN.value),
    )
    with transaction.atomic():
        upsert_frame(
            DuplicatePair, rows, ["first", "second"], ["kabkota", "probability", "reason", "run"]
        )
        stale = DuplicatePair.objects.filter(status=DuplicateStatus.OPEN).exclude(run=run)
        if run.kabkota_id:
            stale = stale.filter(kabkota_id=run.kabkota_id)
        stale.delete()
    return frame.height


# --- the run ------------------------------------------------------------------------------------


def run_matching(
    progress: Progress | None = None,
    *,
    run: MatchRun | None = None,
    user: Any = None,
    kabkota: str | None = None,
) -> MatchRun:
    """Match the workers (of ``kabkota``, else all) against all participants; see module doc.

    ``run``: an existing queued run (the background job), else one is created. On failure the
    run is marked failed and the exception propagates; nothing is half-written (each write is
    one transaction).
    """
    report = progress or _no_progress
    if run is None:
        run = MatchRun.objects.create(created_by=user, kabkota_id=kabkota)
    limits = thresholds()
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), progress=0
    )
    run.refresh_from_db()
    try:
        report(2, "Mengambil data pekerja dan peserta")
        workers = workers_frame(run.kabkota_id)
        participants = participants_frame()
        region = pl.coalesce("desa_id", "kabkota_id")

        def engine_progress(step: str, fraction: float) -> None:
            report(5 + int(fraction * 60), f"Mencocokkan: {step}")

        pairs, summary = _link(
            _engine_input(workers, region),
            _engine_input(participants, pl.col("region_id")),
            LinkSettings(threshold=limits.review, one_to_one=False),
            engine_progress,
        )
        report(70, "Menerapkan keputusan tinjauan")
        scope = Worker.objects.filter(kabkota_id=run.kabkota_id) if run.kabkota_id else None
        decisions = decisions_frame(scope.values("id") if scope is not None else None)
        coverage = classify(workers, participants, pairs, decisions, limits)
        report(75, "Menyimpan status cakupan")
        written = write_coverage(coverage, run)
        report(85, "Mencari usulan ganda")
        duplicates = write_duplicates(find_duplicates(workers, limits), run)
        counts = dict(coverage.group_by("status").len().iter_rows())
        run.counts = {
            "workers": written,
            "participants": participants.height,
            "duplicates": duplicates,
            **{status: int(counts.get(status, 0)) for status in CoverageStatus.values},
        }
        run.summary = {k: v for k, v in summary.items() if isinstance(v, int | float | str)}
        run.status = RunStatus.DONE
    except Exception:
        log.exception("matching run %s failed", run.pk)
        run.status = RunStatus.FAILED
        run.message = "Pencocokan gagal karena kesalahan sistem; hasil sebelumnya tetap berlaku."
        raise
    finally:
        run.progress = 100
        run.stage = ""
        run.finished_at = timezone.now()
        run.save()
    report(100, "Selesai")
    return run


# --- manual decisions ---------------------------------------------------------------------------


def decide(coverage: Coverage, decision: str, user: Any) -> Coverage:
    """Record a reviewer's decision on the pair awaiting review and apply it now.

    Accept: the worker takes the participant's status. Reject: the worker falls back to its
    next-best candidate not rejected before (linked or back in the queue, by the thresholds),
    or is ``belum`` when there is none. Both are remembered for every later run, which reaches
    the same result (:func:`classify`).
    """
    if coverage.participant_id is None:
        raise ValueError("tidak ada pasangan untuk diputuskan")
    participant = Participant.objects.get(pk=coverage.participant_id)
    with transaction.atomic():
        ReviewDecision.objects.update_or_create(
            worker_id=coverage.worker_id,
            participant_id=participant.pk,
            defaults={"decision": decision, "user": user, "kabkota_id": coverage.kabkota_id},
        )
        coverage.decided_by, coverage.decided_at = user, timezone.now()
        if decision == Decision.ACCEPT:
            _link_to(coverage, participant, f"{REASON_ACCEPTED}, {coverage.reason}")
        else:
            _fall_back(coverage)
        coverage.reason = coverage.reason[:255]
        coverage.save()
    return coverage


def _link_to(coverage: Coverage, participant: Participant, reason: str) -> None:
    """The worker takes the best membership of ``participant``'s person."""
    status, chosen, other = participant_status(participant)
    coverage.status, coverage.participant_id = status, chosen
    coverage.reason = reason + (f"; {REASON_SAME_PERSON}" if other else "")


def _fall_back(coverage: Coverage) -> None:
    """After a rejection: the best remaining alternative not rejected for this worker, else
    ``belum``. A pending pair is nobody's decision yet, so ``decided_by`` is cleared."""
    rejected = set(
        ReviewDecision.objects.filter(
            worker_id=coverage.worker_id, decision=Decision.REJECT
        ).values_list("participant_id", flat=True)
    )
    remaining = [a for a in coverage.alternatives if a["participant_id"] not in rejected]
    existing = Participant.objects.in_bulk([a["participant_id"] for a in remaining])
    remaining = [a for a in remaining if a["participant_id"] in existing]
    if not remaining:
        coverage.status, coverage.participant, coverage.probability = (
            CoverageStatus.BELUM, None, None
        )  # fmt: skip
        coverage.reason, coverage.alternatives = REASON_REJECTED, []
        return
    chosen, coverage.alternatives = remaining[0], remaining[1:]
    coverage.probability = chosen["probability"]
    coverage.decided_by, coverage.decided_at = None, None
    reason = f"{REASON_NEXT}: {chosen['reason']}"
    if chosen["probability"] >= thresholds().match:
        _link_to(coverage, existing[chosen["participant_id"]], reason)
    else:
        coverage.status, coverage.participant_id = CoverageStatus.TINJAUAN, chosen["participant_id"]
        coverage.reason = reason
