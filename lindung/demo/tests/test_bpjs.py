"""The demo BPJS files are accepted by the enrolment importers and carry what they claim."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from lindung.audit.models import AuditEntry
from lindung.demo import bpjs
from lindung.enrolment import answers, bills
from lindung.enrolment.batches import create_batch
from lindung.enrolment.common import EnrolmentError
from lindung.enrolment.models import LineKind
from lindung.enrolment.tests.factories import add_people, make_programme
from lindung.programmes.models import Beneficiary, BeneficiaryStatus
from lindung.registry.models import NikStatus, Worker
from lindung.testing import make_worker

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 1)


@pytest.fixture
def batch(admin_provinsi):
    programme = make_programme(period_start=START)
    add_people(programme, 60)
    add_people(programme, 40, "64.71")
    make_worker("64.72", name="Bukan Penerima")
    return create_batch(programme, admin_provinsi, today=START)


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_the_answer_registers_almost_everyone_and_rejects_a_few_with_reasons(
    batch, admin_provinsi, tmp_path, extension
):
    path = tmp_path / f"jawaban.{extension}"
    written = bpjs.write_answer(batch, path)
    assert written.summary == "98 terdaftar, 2 ditolak"
    done = answers.import_answer(batch.programme, path, path.name, admin_provinsi)
    assert (done.registered, done.rejected, done.unchanged) == (98, 2, 0)
    people = Beneficiary.objects.filter(programme=batch.programme)
    registered = people.filter(status=BeneficiaryStatus.REGISTERED)
    assert registered.filter(coverage_start=START).count() == 98
    assert registered.values("participant_number").distinct().count() == 98
    assert all(len(k) == 11 for k in registered.values_list("participant_number", flat=True))
    reasons = people.filter(status=BeneficiaryStatus.REJECTED).values_list(
        "rejection_reason", flat=True
    )
    assert set(reasons) <= set(bpjs.REJECTION_REASONS) and len(reasons) == 2
    export = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT, detail__demo_bpjs=True)
    assert export.detail["rows"] == 100


def test_someone_sent_with_a_damaged_nik_is_rejected_by_dukcapil(admin_provinsi, tmp_path):
    programme = make_programme(period_start=START)
    damaged = add_people(programme, 3)[1]
    Worker.objects.filter(pk=damaged.worker_id).update(
        nik="6.47201E+15", nik_status=NikStatus.DAMAGED
    )
    batch = create_batch(programme, admin_provinsi, today=START)
    path = tmp_path / "jawaban.xlsx"
    bpjs.write_answer(batch, path)
    done = answers.import_answer(programme, path, path.name, admin_provinsi)
    assert done.rejected >= 1
    damaged.refresh_from_db()
    assert (damaged.status, damaged.rejection_reason) == (
        BeneficiaryStatus.REJECTED,
        "NIK tidak ditemukan di Dukcapil",
    )


def test_the_same_seed_gives_the_same_answer_and_another_seed_another(batch):
    assert bpjs.answer_rows(batch, seed=1) == bpjs.answer_rows(batch, seed=1)
    assert bpjs.answer_rows(batch, seed=1)[0] != bpjs.answer_rows(batch, seed=2)[0]


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_the_bill_has_exactly_one_outsider_one_missing_and_one_wrong_amount(
    batch, admin_provinsi, tmp_path, extension
):
    answer = tmp_path / "jawaban.csv"
    bpjs.write_answer(batch, answer)
    answers.import_answer(batch.programme, answer, answer.name, admin_provinsi)
    path = tmp_path / f"tagihan.{extension}"
    bpjs.write_bill(batch.programme, dt.date(2026, 3, 1), path)

    rec = bills.reconcile(batch.programme, dt.date(2026, 3, 1), path, path.name, admin_provinsi)
    kinds = sorted(rec.lines.exclude(kind=LineKind.MATCH).values_list("kind", flat=True))
    assert kinds == sorted([LineKind.NOT_OURS, LineKind.NOT_BILLED, LineKind.AMOUNT])
    assert rec.lines.filter(kind=LineKind.MATCH).count() == 96
    assert (rec.active_people, rec.billed_people) == (98, 98)
    assert rec.lines.get(kind=LineKind.NOT_OURS).name == "Bukan Penerima"
    wrong = rec.lines.get(kind=LineKind.AMOUNT)
    assert wrong.billed == 2 * wrong.expected == 2 * rec.premium
    assert rec.stated_total == rec.billed_total == 98 * rec.premium + rec.premium


def test_no_bill_before_anyone_is_registered(batch, tmp_path):
    with pytest.raises(EnrolmentError, match="impor jawaban BPJS dulu"):
        bpjs.write_bill(batch.programme, START, tmp_path / "tagihan.xlsx")


def test_an_unknown_extension_is_refused(batch, tmp_path):
    with pytest.raises(EnrolmentError, match=r"pakai \.csv atau \.xlsx"):
        bpjs.write_answer(batch, tmp_path / "jawaban.pdf")


@override_settings(DEBUG=True)
def test_the_commands_write_the_files(batch, admin_provinsi, tmp_path, capsys):
    answer = tmp_path / "jawaban.xlsx"
    call_command("demo_bpjs_reply", batch.number, out=answer)
    assert "98 terdaftar, 2 ditolak" in capsys.readouterr().out
    answers.import_answer(batch.programme, answer, answer.name, admin_provinsi)
    bill = tmp_path / "tagihan.xlsx"
    call_command("demo_bpjs_bill", str(batch.programme.pk), month="2026-02", out=bill)
    assert "98 baris tagihan, iuran Rp 16.800 per orang" in capsys.readouterr().out
    with pytest.raises(CommandError, match="tidak dikenali"):
        call_command("demo_bpjs_bill", str(batch.programme.pk), month="Feb", out=bill)
    with pytest.raises(CommandError, match="Batch 999 tidak ada"):
        call_command("demo_bpjs_reply", "999", out=answer)


@override_settings(DEBUG=False)
def test_the_commands_refuse_outside_the_demo(batch, tmp_path):
    with pytest.raises(CommandError, match="hanya untuk mode demo"):
        call_command("demo_bpjs_reply", str(batch.pk), out=tmp_path / "x.xlsx")
