"""Coverage in the browser, on demo data: an admin starts a matching run and watches it, reads
each worker's coverage status with its reason, works the review queue with one click per pair,
merges a duplicate proposal; a Samarinda operator's queue holds only Samarinda."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from lindung.matching import jobs, services
from lindung.matching.models import Coverage, DuplicatePair, MatchRun, Participant, RunStatus
from lindung.matching.services_demo import load_demo_participants
from lindung.registry.models import Worker, WorkerStatus
from lindung.testing import PASSWORD, persona_user
from tests.e2e.conftest import ARTIFACTS, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

#: Look-alikes (same name and birth date, another NIK serial: a neighbour or a twin) score just
#: below certainty; with this match threshold they, and only they, wait for a person to judge.
MATCH_THRESHOLD = 0.9999


def _uncovered(kabkota: str, count: int) -> list[Worker]:
    """Workers of ``kabkota`` with a valid NIK that no demo participant shares."""
    members = Participant.objects.values_list("nik", flat=True)
    return list(
        Worker.objects.filter(kabkota_id=kabkota, nik_status="valid", proposer_id=kabkota)
        .exclude(nik__in=members)
        .order_by("id")[:count]
    )


def _look_alike(worker: Worker) -> Participant:
    serial = (int(worker.nik[12:]) + 37) % 10_000 or 1
    return Participant.objects.create(
        nik=f"{worker.nik[:12]}{serial:04d}", name=worker.name, birth_date=worker.birth_date,
        sex=worker.sex, region_id=worker.desa_id, segment="BPU", status="AKTIF",
        payer="pemerintah",
    )  # fmt: skip


def _demo_world() -> dict[str, Worker]:
    """A few hundred demo workers and their participants, plus look-alikes for review in
    Samarinda and Balikpapan and one person proposed by both the province and Samarinda."""
    call_command("demo_data", workers=300, seed=5, verbosity=0)
    load_demo_participants(seed=5)
    smd = _uncovered("64.72", 3)
    bpp = _uncovered("64.71", 1)
    for worker in (*smd, *bpp):
        _look_alike(worker)
    original = smd[2]
    twin = Worker.objects.create(
        nik=original.nik, name=original.name, birth_date=original.birth_date, sex=original.sex,
        desa_id=original.desa_id, occupation=original.occupation, proposer_id="64",
        source="usulan provinsi",
    )  # fmt: skip
    return {"accept": smd[0], "reject": smd[1], "original": original, "twin": twin, "bpp": bpp[0]}


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"matching-{name}.png"), full_page=True)


def _article_of(page, worker: Worker):  # type: ignore[no-untyped-def]
    item = Coverage.objects.get(worker=worker)
    return page.locator(f"#review-{item.pk}")


def test_admin_runs_matching_reviews_pairs_and_merges_a_duplicate(page, settings):
    settings.LINDUNG_MATCH_THRESHOLD = MATCH_THRESHOLD
    persona_user("admin")
    persona_user("op.samarinda")
    world = _demo_world()

    login(page, "admin", PASSWORD)
    page.goto("/cakupan/")
    expect(page.get_by_text("Belum pernah dilakukan pencocokan.")).to_be_visible()
    page.get_by_role("button", name="Jalankan pencocokan").click()
    # queued for the background worker: the page shows its progress and polls it
    expect(page.locator("#job-progress")).to_be_visible()
    # the run's number: PostgreSQL sequences keep counting across the suite's flushed tests
    expect(
        page.get_by_text(re.compile(r"Pencocokan #\d+ dijalankan di latar belakang\."))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Jalankan pencocokan")).to_have_count(0)
    _shot(page, "progress")
    run = MatchRun.objects.get()
    jobs.process_run.call(run.pk)  # what `lindung worker` does
    # the poll sees the finished run and reloads the page with the counts
    expect(page.get_by_text(re.compile(r"Pencocokan terakhir #\d+: Selesai"))).to_be_visible()
    run.refresh_from_db()
    proposals = Worker.objects.exclude(status=WorkerStatus.REJECTED).count()
    assert run.status == RunStatus.DONE and run.counts["workers"] == proposals
    _shot(page, "overview")

    # every worker has a status; a count leads to the workers, each with its reason
    samarinda = page.locator("#coverage-table tbody tr", has_text="Kota Samarinda")
    review_cell = samarinda.locator("td").nth(5)  # pu, mandiri, program, nonaktif, belum, tinjauan
    expect(review_cell).to_have_text("4")  # three look-alikes, and the province's twin proposal
    samarinda.locator("td").nth(4).get_by_role("link").click()
    page.wait_for_url("**coverage=belum**")
    rows = page.locator("#results tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() == Coverage.objects.filter(kabkota_id="64.72", status="belum").count()
    for cell in rows.locator("td.coverage").all():
        assert "Tidak terdaftar di BPJS TK" in cell.inner_text()
        assert "Tidak ditemukan dalam data peserta BPJS Ketenagakerjaan" in cell.inner_text()
    _shot(page, "workers-belum")

    # the review queue: one click accepts, one click rejects (htmx swaps the pair in place)
    page.goto("/cakupan/tinjauan/")
    expect(page.locator("article[id^=review-]")).to_have_count(5)
    _shot(page, "review")
    accepted = _article_of(page, world["accept"])
    accepted.get_by_role("button", name="Terima: orang yang sama").click()
    expect(accepted.get_by_text("Diterima")).to_be_visible()
    expect(accepted.locator(".badge")).to_have_text("BPU dibayar pemerintah/CSR")
    rejected = _article_of(page, world["reject"])
    rejected.get_by_role("button", name="Tolak: orang berbeda").click()
    expect(rejected.get_by_text("Ditolak")).to_be_visible()
    expect(rejected.locator(".badge")).to_have_text("Tidak terdaftar di BPJS TK")
    _shot(page, "review-decided")
    statuses = dict(
        Coverage.objects.filter(worker__in=[world["accept"], world["reject"]]).values_list(
            "worker_id", "status"
        )
    )
    assert statuses == {world["accept"].pk: "bpu_program", world["reject"].pk: "belum"}
    page.reload()
    expect(page.locator("article[id^=review-]")).to_have_count(3)
    page.goto(f"/pekerja/{world['reject'].pk}/")
    expect(page.locator("#coverage")).to_contain_text(services.REASON_REJECTED)

    # the same person proposed by the province and by Samarinda: merge, keeping Samarinda's
    page.goto("/cakupan/ganda/")
    pair = DuplicatePair.objects.get(first=world["twin"])
    card = page.locator(f"#pair-{pair.pk}")
    expect(card).to_contain_text(world["original"].name)
    _shot(page, "duplicates")
    keep = re.compile(rf"Usulan #{world['original'].pk}\b")  # not #310 when the pk is 31
    card.locator("section", has_text=keep).get_by_role(
        "button", name="Gabungkan, pertahankan usulan ini"
    ).click()
    expect(card).to_contain_text("Usulan ganda digabung")
    assert Worker.objects.get(pk=world["twin"].pk).status == WorkerStatus.REJECTED
    assert Worker.objects.get(pk=world["original"].pk).status != WorkerStatus.REJECTED

    # the Samarinda operator's queue holds only Samarinda
    page.context.clear_cookies()
    login(page, "op.samarinda", PASSWORD)
    page.goto("/cakupan/tinjauan/")
    items = page.locator("article[id^=review-]")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Kota Samarinda")
    expect(page.locator("main")).not_to_contain_text("Balikpapan")
    _shot(page, "review-operator")
