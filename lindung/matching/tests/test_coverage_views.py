"""Coverage pages: overview, run + progress, review (scoped, htmx), duplicates, worker page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from lindung import testing
from lindung.audit.models import AuditEntry
from lindung.matching import services
from lindung.matching.models import (
    Coverage,
    DuplicatePair,
    MatchRun,
    Participant,
    ReviewDecision,
    RunStatus,
)
from lindung.registry.models import Worker
from lindung.testing import client_for

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def participant_for(worker: Worker, **fields: object) -> Participant:
    values: dict[str, object] = {
        "nik": worker.nik, "name": worker.name, "birth_date": worker.birth_date,
        "sex": worker.sex, "segment": "BPU", "status": "AKTIF", "payer": "pemerintah",
        "region_id": worker.desa_id,
    }  # fmt: skip
    values.update(fields)
    return Participant.objects.create(**values)


def review_item(worker: Worker) -> Coverage:
    participant = participant_for(worker, name=worker.name + " Bin Ali")
    return Coverage.objects.create(
        worker=worker, kabkota_id=worker.kabkota_id, status="tinjauan", participant=participant,
        probability=0.9, reason="NIK sama, nama mirip 0,93, tanggal lahir sama",
    )  # fmt: skip


def test_overview_counts_per_kabkota_are_scoped(op_samarinda, admin_provinsi):
    smd = testing.make_worker("64.72", name="Budi Santoso")
    bpp = testing.make_worker("64.71", name="Yakobus Lerang")
    Coverage.objects.create(worker=smd, kabkota_id="64.72", status="bpu_program")
    Coverage.objects.create(worker=bpp, kabkota_id="64.71", status="belum")
    page = client_for(op_samarinda).get(reverse("matching:overview"))
    assert page.status_code == 200
    assert "Samarinda" in page.text and "Balikpapan" not in page.text
    # each count leads to its workers on the registry list (status and reason per worker)
    assert 'href="/pekerja/?kabkota=64.72&amp;coverage=bpu_program">1</a>' in page.text
    assert "Jalankan pencocokan" not in page.text  # operators cannot start a run
    whole = client_for(admin_provinsi).get(reverse("matching:overview"))
    assert "Balikpapan" in whole.text and "Jalankan pencocokan" in whole.text
    assert 'href="/cakupan/"' in whole.text  # nav entry


@override_settings(TASKS=IMMEDIATE)
def test_run_button_runs_the_job_and_progress_fragment_polls(petugas_bpjs, op_samarinda):
    worker = testing.make_worker("64.72")
    participant_for(worker)
    client = client_for(petugas_bpjs)
    response = client.post(reverse("matching:run"))
    assert response.status_code == 302
    run = MatchRun.objects.get()
    assert run.status == RunStatus.DONE and run.created_by == petugas_bpjs
    assert Coverage.objects.get(worker=worker).status == "bpu_program"
    assert client_for(op_samarinda).post(reverse("matching:run")).status_code == 403

    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=42, stage="X")
    running = client.get(reverse("matching:run-progress", args=[run.pk]))
    assert 'hx-trigger="every 1s"' in running.text and 'value="42"' in running.text
    assert "HX-Refresh" not in running
    overview = client.get(reverse("matching:overview"))
    assert 'id="job-progress"' in overview.text and "Jalankan pencocokan" not in overview.text
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, progress=100)
    done = client.get(reverse("matching:run-progress", args=[run.pk]))
    assert done["HX-Refresh"] == "true" and "every 1s" not in done.text


def test_job_progress_writer_updates_the_run():
    from lindung.matching import jobs

    run = MatchRun.objects.create()
    jobs.progress_writer(run)(37, "Mencocokkan: membandingkan pasangan")
    run.refresh_from_db()
    assert (run.progress, run.stage) == (37, "Mencocokkan: membandingkan pasangan")


def test_review_queue_shows_pairs_masked_and_scoped(op_samarinda, op_balikpapan):
    smd = review_item(testing.make_worker("64.72", name="Siti Aminah", sex="P"))
    bpp = review_item(testing.make_worker("64.71", name="Yakobus Lerang"))
    page = client_for(op_samarinda).get(reverse("matching:review"))
    assert page.status_code == 200
    assert "Siti Aminah Bin Ali" in page.text and "Yakobus" not in page.text
    assert smd.worker.nik not in page.text and smd.worker.masked_nik in page.text
    assert "90,0%" in page.text and "nama mirip 0,93" in page.text
    url = reverse("matching:review-decide", args=[bpp.pk, "terima"])
    assert client_for(op_samarinda).post(url).status_code == 404
    assert not ReviewDecision.objects.exists()
    assert client_for(op_balikpapan).get(reverse("matching:review")).text.count("Yakobus") >= 1


def test_accept_and_reject_by_htmx(op_samarinda, petugas_bpjs):
    accept = review_item(testing.make_worker("64.72", name="Siti Aminah", sex="P"))
    reject = review_item(testing.make_worker("64.72", name="Budi Santoso"))
    client = client_for(op_samarinda)
    done = client.post(reverse("matching:review-decide", args=[accept.pk, "terima"]))
    assert done.status_code == 200 and f'id="review-{accept.pk}"' in done.text
    assert "BPU dibayar pemerintah/CSR" in done.text
    client.post(reverse("matching:review-decide", args=[reject.pk, "tolak"]))
    decisions = dict(ReviewDecision.objects.values_list("worker_id", "decision"))
    assert decisions == {accept.worker_id: "terima", reject.worker_id: "tolak"}
    assert Coverage.objects.get(pk=reject.pk).status == "belum"
    assert client.get(reverse("matching:review")).text.count("<article") == 0
    # BPJS may look but not decide
    other = review_item(testing.make_worker("64.72", name="Andi Saputra"))
    bpjs = client_for(petugas_bpjs)
    assert "Terima" not in bpjs.get(reverse("matching:review")).text
    url = reverse("matching:review-decide", args=[other.pk, "terima"])
    assert bpjs.post(url).status_code == 403


def test_reject_shows_the_next_candidate_in_place(op_samarinda):
    item = review_item(testing.make_worker("64.72", name="Budi Santoso"))
    nxt = participant_for(item.worker, name="Budi Santosa", nik="")
    item.alternatives = [{"participant_id": nxt.pk, "probability": 0.7, "reason": "nama mirip"}]
    item.save()
    client = client_for(op_samarinda)
    done = client.post(reverse("matching:review-decide", args=[item.pk, "tolak"]))
    assert "Calon berikutnya untuk" in done.text and "Budi Santosa" in done.text
    assert f'id="review-{item.pk}"' in done.text and "70,0%" in done.text
    assert Coverage.objects.get(pk=item.pk).participant == nxt
    again = client.post(reverse("matching:review-decide", args=[item.pk, "tolak"]))
    assert "Tidak terdaftar di BPJS TK" in again.text and services.REASON_REJECTED in again.text
    assert client.get(reverse("matching:review")).text.count("<article") == 0


def test_worker_detail_shows_coverage_block(op_samarinda):
    worker = testing.make_worker("64.72")
    participant = participant_for(worker, segment="PU", npp="NPP77", payer="pemberi_kerja")
    client = client_for(op_samarinda)
    url = reverse("registry:worker-detail", args=[worker.pk])
    assert "Belum dicocokkan" in client.get(url).text
    Coverage.objects.create(
        worker=worker, kabkota_id="64.72", status="pu", participant=participant,
        probability=0.999, reason="NIK sama, nama sama, tanggal lahir sama",
    )  # fmt: skip
    page = client.get(url).text
    assert "Terlindungi sebagai penerima upah" in page and "NIK sama, nama sama" in page
    assert worker.nik not in page


def test_duplicates_page_and_merge_marks_the_other_rejected(op_samarinda, op_balikpapan):
    born = dt.date(1979, 3, 3)
    city = testing.make_worker("64.72", name="Muhammad Rizal", birth_date=born)
    prov = testing.make_worker(
        "64.72", name="M. Rizal", birth_date=born, nik=city.nik, proposer_id="64"
    )
    pair = DuplicatePair.objects.create(
        first=prov, second=city, kabkota_id="64.72", probability=0.99, reason="NIK sama"
    )
    Coverage.objects.create(worker=prov, kabkota_id="64.72", status="belum")
    client = client_for(op_samarinda)
    page = client.get(reverse("matching:duplicates"))
    assert page.status_code == 200 and "M. Rizal" in page.text and "Muhammad Rizal" in page.text
    assert city.nik not in page.text
    merge = reverse("matching:duplicate-merge", args=[pair.pk])
    assert client_for(op_balikpapan).post(merge, {"keep": city.pk}).status_code == 404
    done = client.post(merge, {"keep": city.pk})
    assert done.status_code == 200 and "ditolak" in done.text
    prov.refresh_from_db()
    pair.refresh_from_db()
    assert prov.status == "ditolak" and (pair.status, pair.kept) == ("digabung", city)
    assert not Coverage.objects.filter(worker=prov).exists()
    entry = AuditEntry.objects.filter(object_type="registry.worker", object_id=str(prov.pk))
    assert entry.filter(detail__gabung__dipertahankan=city.pk).exists()
    assert entry.filter(changes__status=["diusulkan", "ditolak"]).exists()
    assert "M. Rizal" not in client.get(reverse("matching:duplicates")).text
