"""Coverage: classification per status, remembered review decisions, duplicates, the command."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command
from django.test import override_settings

from lindung import testing
from lindung.audit.models import AuditEntry
from lindung.matching import services
from lindung.matching.models import (
    Coverage,
    Decision,
    DuplicatePair,
    MatchRun,
    Participant,
    ReviewDecision,
    RunStatus,
)
from lindung.registry.models import Worker

pytestmark = pytest.mark.django_db


def participant_for(worker: Worker, **fields: Any) -> Participant:
    defaults: dict[str, Any] = {
        "nik": worker.nik,
        "name": worker.name,
        "birth_date": worker.birth_date,
        "sex": worker.sex,
        "segment": "BPU",
        "status": "AKTIF",
        "payer": "mandiri",
        "region_id": worker.desa_id,
    }
    defaults.update(fields)
    return Participant.objects.create(**defaults)


def coverage(worker: Worker) -> Coverage:
    return Coverage.objects.get(worker=worker)


def test_run_classifies_each_status_from_the_linked_participant():
    born = dt.date(1980, 1, 1)
    people = {
        "pu": ("Ahmad Fauzi", {"segment": "PU", "npp": "NPP001", "payer": "pemberi_kerja"}),
        "jakon": ("Rudi Hartono", {"segment": "JAKON", "npp": "NPP002"}),
        "bpu_program": ("Siti Rahmah", {"payer": "pemerintah"}),
        "csr": ("Dewi Lestari", {"payer": "csr"}),
        "bpu_mandiri": ("Yohanes Lerang", {"payer": "mandiri"}),
        "nonaktif": ("Andi Saputra", {"status": "NONAKTIF"}),
    }
    workers = {}
    for i, (key, (name, fields)) in enumerate(people.items()):
        w = testing.make_worker("64.72", name=name, birth_date=born + dt.timedelta(days=97 * i))
        participant_for(w, **fields)
        workers[key] = w
    lapsed_then_mandiri = testing.make_worker("64.71", name="Fransiskus Bala")
    participant_for(lapsed_then_mandiri, segment="PU", npp="NPP9", status="NONAKTIF")
    current = participant_for(lapsed_then_mandiri, segment="BPU", payer="mandiri")
    uncovered = testing.make_worker("64.72", name="Nur Aisyah", sex="P")

    run = services.run_matching()

    assert run.status == RunStatus.DONE and run.finished_at is not None
    expected = {"pu": "pu", "jakon": "pu", "bpu_program": "bpu_program", "csr": "bpu_program",
                "bpu_mandiri": "bpu_mandiri", "nonaktif": "nonaktif"}  # fmt: skip
    got = {key: coverage(w).status for key, w in workers.items()}
    assert got == expected
    linked = coverage(workers["pu"])
    assert linked.probability and linked.probability >= 0.95
    assert "NIK sama" in linked.reason and linked.kabkota_id == "64.72" and linked.run == run
    other = coverage(lapsed_then_mandiri)
    assert other.status == "bpu_mandiri" and other.participant == current
    missing = coverage(uncovered)
    assert missing.status == "belum" and missing.participant is None
    assert missing.reason == services.REASON_NOT_FOUND
    assert run.counts["workers"] == 8 and run.counts["pu"] == 2 and run.counts["belum"] == 1
    assert AuditEntry.objects.filter(object_type="matching.matchrun", action="update").exists()


def _frames(
    pairs: list[tuple[int, int, float]], decisions: list[tuple[int, int, str]]
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    workers = pl.DataFrame(
        {"id": [1, 2, 3, 4], "kabkota_id": ["64.72"] * 4,
         "name": ["Budi", "Siti", "Rina", "Yusuf"],
         "nik": [f"647201010180000{i}" for i in range(1, 5)]},
        schema={"id": pl.Int64, "kabkota_id": pl.String, "name": pl.String, "nik": pl.String},
    )  # fmt: skip
    participants = pl.DataFrame(
        {"id": [10, 11, 12, 13, 14], "nik": ["1", "2", "3", "4", "5"],
         "nik_status": ["valid"] * 5, "segment": ["PU", "BPU", "BPU", "BPU", "BPU"],
         "status": ["AKTIF"] * 5, "payer": ["pemberi_kerja", "csr", "mandiri", "", "mandiri"]},
    )  # fmt: skip
    frame = pl.DataFrame(
        [(w, p, prob, "alasan") for w, p, prob in pairs],
        schema=services.PAIR_SCHEMA,
        orient="row",
    )
    decided = pl.DataFrame(
        [(w, p, d, 7, dt.datetime(2026, 1, 1, tzinfo=dt.UTC)) for w, p, d in decisions],
        schema=services.DECISION_SCHEMA,
        orient="row",
    )
    return workers, participants, frame, decided


def test_classify_bands_probabilities_and_applies_decisions():
    limits = services.Thresholds(match=0.95, review=0.5)
    workers, participants, pairs, decisions = _frames(
        [(1, 10, 0.99), (2, 11, 0.9), (3, 12, 0.99), (4, 13, 0.3)],
        [(3, 12, Decision.REJECT), (4, 13, Decision.ACCEPT)],
    )
    out = services.classify(workers, participants, pairs, decisions, limits).sort("worker_id")
    assert out["status"].to_list() == ["pu", "tinjauan", "belum", "bpu_mandiri"]
    assert out["participant_id"].to_list() == [10, 11, None, 13]
    reasons = out["reason"].to_list()
    assert reasons[2] == services.REASON_REJECTED
    assert reasons[3].startswith(services.REASON_ACCEPTED)
    assert out["decided_by_id"].to_list() == [None, None, None, 7]


def test_a_rejected_pair_falls_back_to_the_next_best_candidate():
    limits = services.Thresholds(match=0.95, review=0.5)
    pairs = [(1, 10, 0.9), (1, 11, 0.8), (1, 12, 0.4), (2, 13, 0.7)]
    workers, participants, frame, none = _frames(pairs, [])
    fresh = services.classify(workers, participants, frame, none, limits).sort("worker_id")
    first = fresh.row(0, named=True)
    assert (first["status"], first["participant_id"]) == ("tinjauan", 10)
    # the other candidate above the review threshold is kept for the fallback, 12 is too weak
    assert [a["participant_id"] for a in first["alternatives"]] == [11]

    _, _, _, one = _frames(pairs, [(1, 10, Decision.REJECT), (2, 13, Decision.REJECT)])
    out = services.classify(workers, participants, frame, one, limits).sort("worker_id")
    first, second = out.row(0, named=True), out.row(1, named=True)
    assert (first["status"], first["participant_id"], first["probability"]) == ("tinjauan", 11, 0.8)
    assert first["reason"] == f"{services.REASON_NEXT}: alasan" and not first["alternatives"]
    assert (second["status"], second["participant_id"]) == ("belum", None)
    assert second["reason"] == services.REASON_REJECTED

    _, _, _, both = _frames(pairs, [(1, 10, Decision.REJECT), (1, 11, Decision.REJECT)])
    out = services.classify(workers, participants, frame, both, limits).sort("worker_id")
    assert out.row(0)[2:6] == ("belum", None, None, services.REASON_REJECTED)


def test_a_participant_keeps_its_best_worker_and_other_proposals_of_the_same_person():
    limits = services.Thresholds(match=0.95, review=0.5)
    workers, participants, _, none = _frames([], [])
    workers = workers.with_columns(
        name=pl.Series(["Budi Santoso", "Budi Santoso", "Budi Santoso", "Rina"]),
        nik=pl.Series(["6472010101800001", "6472010101800001", "6472010202800009", "x"]),
    )
    pairs = pl.DataFrame(
        [(1, 10, 0.99, "a"), (2, 10, 0.98, "b"), (3, 10, 0.97, "c"), (4, 10, 0.96, "d")],
        schema=services.PAIR_SCHEMA, orient="row",
    )  # fmt: skip
    out = services.classify(workers, participants, pairs, none, limits).sort("worker_id")
    # 2: same name and NIK (proposed twice); 3: a namesake with another NIK; 4: another name
    assert out["participant_id"].to_list() == [10, 10, None, None]


@override_settings(LINDUNG_MATCH_THRESHOLD=1.01)  # every engine pair goes to review
def test_reject_falls_back_now_and_on_every_rerun(op_samarinda):
    worker = testing.make_worker("64.72", name="Budi Santoso")
    first = participant_for(worker, name="Budi Santoso")
    second = participant_for(worker, name="Budi Santosa", segment="PU", npp="NPP7")
    services.run_matching()
    item = coverage(worker)
    assert item.status == "tinjauan" and len(item.alternatives) == 1
    shown = item.participant_id
    other = second.pk if shown == first.pk else first.pk

    after = services.decide(item, Decision.REJECT, op_samarinda)
    assert (after.status, after.participant_id) == ("tinjauan", other)
    assert after.reason.startswith(services.REASON_NEXT) and after.decided_by is None
    services.run_matching()
    again = coverage(worker)
    assert (again.status, again.participant_id) == ("tinjauan", other)
    assert again.reason.startswith(services.REASON_NEXT)

    last = services.decide(again, Decision.REJECT, op_samarinda)
    assert (last.status, last.participant_id, last.reason) == (
        "belum", None, services.REASON_REJECTED
    )  # fmt: skip
    services.run_matching()
    assert (coverage(worker).status, coverage(worker).reason) == (
        "belum", services.REASON_REJECTED
    )  # fmt: skip
    assert ReviewDecision.objects.filter(worker=worker, decision="tolak").count() == 2


@override_settings(LINDUNG_MATCH_THRESHOLD=1.01)
def test_a_fallback_above_the_match_threshold_links_at_once(op_samarinda):
    worker = testing.make_worker("64.72", name="Budi Santoso")
    participant_for(worker, name="Budi Santoso")
    participant_for(worker, name="Budi Santosa", segment="PU", npp="NPP7", payer="pemberi_kerja")
    services.run_matching()
    with override_settings(LINDUNG_MATCH_THRESHOLD=0.5):
        after = services.decide(coverage(worker), Decision.REJECT, op_samarinda)
    assert after.status in {"pu", "bpu_mandiri"} and after.participant_id is not None
    assert after.reason.startswith(services.REASON_NEXT)


@override_settings(LINDUNG_MATCH_THRESHOLD=1.01)  # every engine pair goes to review
def test_review_decisions_are_remembered_on_rerun(op_samarinda):
    first = testing.make_worker("64.72", name="Budi Santoso")
    second = testing.make_worker("64.72", name="Siti Aminah", sex="P")
    participant_for(first, segment="PU", npp="NPP1", payer="pemberi_kerja")
    candidate = participant_for(second, payer="pemerintah")
    services.run_matching()
    assert {c.status for c in Coverage.objects.all()} == {"tinjauan"}

    services.decide(coverage(first), Decision.REJECT, op_samarinda)
    services.decide(coverage(second), Decision.ACCEPT, op_samarinda)
    assert coverage(first).status == "belum" and coverage(first).decided_by == op_samarinda
    assert coverage(second).status == "bpu_program"
    assert coverage(second).participant == candidate
    assert ReviewDecision.objects.count() == 2
    assert AuditEntry.objects.filter(object_type="matching.reviewdecision").count() == 2

    ids = {c.worker_id: c.pk for c in Coverage.objects.all()}
    with override_settings(LINDUNG_MATCH_THRESHOLD=0.95):
        services.run_matching()  # the rejected pair would now link on its own
    assert coverage(first).status == "belum"
    assert coverage(first).reason == services.REASON_REJECTED
    assert coverage(second).status == "bpu_program" and coverage(second).decided_by is not None
    assert {c.worker_id: c.pk for c in Coverage.objects.all()} == ids  # upserted, same rows


def test_write_coverage_stores_what_the_orm_stores_and_updates_in_place(admin_provinsi):
    """The set-based upsert: every value as ``save()`` stores it (JSON, aware datetimes,
    foreign keys), existing rows keep their id, rows of the run's scope not written are gone."""
    kept, fresh, gone = (testing.make_worker("64.72", name=n) for n in ("Budi", "Siti", "Rina"))
    participant = participant_for(kept)
    old_run, run = MatchRun.objects.create(), MatchRun.objects.create()
    old = Coverage.objects.create(worker=kept, kabkota_id="64.72", status="belum", run=old_run)
    Coverage.objects.create(worker=gone, kabkota_id="64.72", status="belum", run=old_run)
    at = dt.datetime(2026, 11, 26, 7, 30, 0, 123456, tzinfo=dt.UTC)
    alternatives = [{"participant_id": participant.pk, "probability": 0.87, "reason": "NIK sama"}]
    alternative = pl.Struct({"participant_id": pl.Int64, "probability": pl.Float64,
                             "reason": pl.String})  # fmt: skip
    frame = pl.DataFrame(
        [(kept.pk, "64.72", "bpu_mandiri", participant.pk, 0.991, "Diterima petugas, a",
          admin_provinsi.pk, at, alternatives),
         (fresh.pk, "64.72", "belum", None, None, services.REASON_NOT_FOUND, None, None, None)],
        schema={"worker_id": pl.Int64, "kabkota_id": pl.String, "status": pl.String,
                "participant_id": pl.Int64, "probability": pl.Float64, "reason": pl.String,
                "decided_by_id": pl.Int64, "decided_at": pl.Datetime("us", "UTC"),
                "alternatives": pl.List(alternative)},
        orient="row",
    )  # fmt: skip

    assert services.write_coverage(frame, run) == 2

    rows = {c.worker_id: c for c in Coverage.objects.all()}
    assert set(rows) == {kept.pk, fresh.pk}
    updated, created = rows[kept.pk], rows[fresh.pk]
    assert updated.pk == old.pk and updated.run == run
    assert (updated.status, updated.participant, updated.probability, updated.reason) == (
        "bpu_mandiri", participant, 0.991, "Diterima petugas, a"
    )  # fmt: skip
    assert (updated.decided_by, updated.decided_at) == (admin_provinsi, at)
    assert updated.alternatives == alternatives
    assert (created.status, created.participant, created.probability) == ("belum", None, None)
    assert (created.decided_by, created.decided_at, created.alternatives) == (None, None, [])
    assert created.run == run and created.kabkota_id == "64.72"


def test_kabkota_run_leaves_other_regions_alone():
    smd = testing.make_worker("64.72", name="Budi Santoso")
    bpp = testing.make_worker("64.71", name="Yakobus Lerang")
    services.run_matching()
    participant_for(smd)
    participant_for(bpp)
    run = services.run_matching(kabkota="64.72")
    assert coverage(smd).status == "bpu_mandiri" and coverage(smd).run == run
    assert coverage(bpp).status == "belum" and coverage(bpp).run != run


def test_duplicate_proposals_by_province_and_kabkota_are_found():
    born = dt.date(1979, 3, 3)
    by_city = testing.make_worker("64.72", name="Muhammad Rizal", birth_date=born)
    by_province = testing.make_worker(
        "64.72", name="M. Rizal", birth_date=born, nik=by_city.nik, proposer_id="64"
    )
    testing.make_worker("64.72", name="Agus Salim", proposer_id="64")
    run = services.run_matching()
    pair = DuplicatePair.objects.get()
    assert (pair.first, pair.second, pair.kabkota_id) == (by_province, by_city, "64.72")
    assert pair.probability >= 0.5 and "NIK sama" in pair.reason
    assert run.counts["duplicates"] == 1


def test_failed_run_is_marked_and_previous_coverage_kept(monkeypatch):
    worker = testing.make_worker("64.72")
    services.run_matching()
    before = coverage(worker).run_id

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("mesin mati")

    monkeypatch.setattr(services, "classify", boom)
    with pytest.raises(RuntimeError):
        services.run_matching()
    failed = MatchRun.objects.latest("id")
    assert failed.status == RunStatus.FAILED and failed.message
    assert coverage(worker).run_id == before


def test_match_command_reports_counts(capsys):
    worker = testing.make_worker("64.72")
    participant_for(worker)
    call_command("match")
    out = capsys.readouterr().out
    assert "BPU mandiri: 1" in out and "Pencocokan #" in out


def test_demo_participants_cover_about_sixty_percent_of_the_demo_registry():
    from lindung.matching.services_demo import load_demo_participants

    call_command("demo_data", workers=400, seed=5, verbosity=0)
    loaded = load_demo_participants(seed=5)
    assert loaded.created > 200 and loaded.rejected < loaded.created * 0.02
    assert Participant.objects.exclude(nik_status="valid").exists()  # damaged like real lists
    assert set(Participant.objects.values_list("segment", flat=True)) >= {"PU", "BPU"}
    again = load_demo_participants(seed=5)
    assert again.created == 0  # idempotent
    run = services.run_matching()
    covered = sum(run.counts[s] for s in ("pu", "bpu_mandiri", "bpu_program", "nonaktif"))
    assert 0.45 < covered / run.counts["workers"] < 0.75


def test_a_lapsed_record_does_not_hide_a_current_membership_of_the_same_nik():
    """Whichever record the engine links, the person's best membership decides, and says so."""
    participants = pl.DataFrame(
        {
            "id": [10, 11],
            "nik": ["6471010101800001"] * 2,
            "nik_status": ["valid"] * 2,
            "segment": ["PU", "BPU"],
            "status": ["NONAKTIF", "AKTIF"],
            "payer": ["pemberi_kerja", "mandiri"],
        }
    )
    linked = pl.DataFrame({"worker_id": [1], "participant_id": [10], "reason": ["NIK sama"]})
    best = services._status_from_person(linked, participants).row(0, named=True)
    assert (best["participant_id"], best["status"]) == (11, "bpu_mandiri")
    assert best["reason"] == "NIK sama; " + services.REASON_SAME_PERSON
