from __future__ import annotations

import datetime as dt

import pytest

from lindung.audit.models import AuditEntry
from lindung.enrolment import bills
from lindung.enrolment.common import EnrolmentError
from lindung.enrolment.files import FileProblems
from lindung.enrolment.models import LineKind, Reconciliation
from lindung.programmes.models import BeneficiaryStatus

from .factories import add_people, make_programme, register

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def programme():
    """Four people registered for the whole year, one only from April, one never registered."""
    programme = make_programme()
    people = add_people(programme, 4) + add_people(programme, 1, "64.71")
    register(people[:4], dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    register(people[4:], dt.date(2026, 4, 1), dt.date(2026, 12, 31), first_kpj=5)
    add_people(programme, 1, status=BeneficiaryStatus.SENT)
    return programme


def _invoice(tmp_path, body: str):
    path = tmp_path / "tagihan.csv"
    path.write_text("No KPJ;Nama Peserta;Jumlah Iuran\n" + body, encoding="utf-8")
    return path


def test_one_extra_one_missing_one_wrong_amount_are_exactly_the_differences(
    programme, tmp_path, admin_provinsi
):
    path = _invoice(
        tmp_path,
        "26000000001;Peserta 1;Rp 16.800\n"
        "26000000002;Peserta 2;16800\n"
        "26000000003;Peserta 3;Rp 36.800\n"  # wrong amount (JHT price)
        "26009999999;Orang Lain;16.800\n"  # not ours
        "TOTAL;;Rp 87.200\n",
    )
    rec = bills.reconcile(programme, MARCH, path, path.name, admin_provinsi)
    kinds = sorted(rec.lines.exclude(kind=LineKind.MATCH).values_list("kind", flat=True))
    assert kinds == sorted([LineKind.AMOUNT, LineKind.NOT_OURS, LineKind.NOT_BILLED])
    assert rec.lines.filter(kind=LineKind.MATCH).count() == 2
    assert rec.premium == 16_800
    assert (rec.billed_people, rec.active_people) == (4, 4)  # April starter is not active yet
    assert rec.billed_total == 16_800 * 3 + 36_800
    assert rec.expected_total == 4 * 16_800
    assert rec.difference_total == 20_000 + 16_800 - 16_800
    assert rec.stated_total == 87_200
    assert rec.differences == 3
    missing = rec.lines.get(kind=LineKind.NOT_BILLED)
    assert (missing.participant_number, missing.billed, missing.expected) == (
        "26000000004",
        0,
        16_800,
    )
    wrong = rec.lines.get(kind=LineKind.AMOUNT)
    assert (wrong.row, wrong.difference) == (4, 20_000)
    totals = {
        t.kind: (t.count, t.billed, t.expected, t.difference) for t in bills.totals(rec.lines)
    }
    assert totals == {
        LineKind.MATCH: (2, 33_600, 33_600, 0),
        LineKind.AMOUNT: (1, 36_800, 16_800, 20_000),
        LineKind.NOT_OURS: (1, 16_800, 0, 16_800),
        LineKind.NOT_BILLED: (1, 0, 16_800, -16_800),
    }
    assert sum(t.difference for t in totals_list(rec)) == rec.difference_total
    assert AuditEntry.objects.filter(action="import", object_id=str(rec.pk)).count() == 1


def totals_list(rec):
    return bills.totals(rec.lines)


def test_duplicates_and_people_not_active_that_month(programme, tmp_path, admin_provinsi):
    path = _invoice(
        tmp_path,
        "26000000001;;16800\n26000000002;;16800\n26000000003;;16800\n26000000004;;16800\n"
        "26000000001;;16800\n"  # billed twice
        "26000000005;;16800\n",  # registered only from April
    )
    rec = bills.reconcile(programme, MARCH, path, path.name, admin_provinsi)
    lines = {line.kind: line for line in rec.lines.exclude(kind=LineKind.MATCH)}
    assert set(lines) == {LineKind.DUPLICATE, LineKind.NOT_ACTIVE}
    assert lines[LineKind.DUPLICATE].note == "Sudah ditagih di baris 2."
    assert rec.difference_total == 2 * 16_800
    # in April the same person is active and billed correctly
    april = bills.reconcile(programme, dt.date(2026, 4, 20), path, path.name, admin_provinsi)
    assert april.month == dt.date(2026, 4, 1)
    assert sorted(april.lines.exclude(kind=LineKind.MATCH).values_list("kind", flat=True)) == [
        LineKind.DUPLICATE
    ]


def test_a_line_found_by_nik_when_bpjs_leaves_out_the_kpj(programme, tmp_path, admin_provinsi):
    nik = programme.beneficiaries.get(participant_number="26000000001").worker.nik
    path = tmp_path / "tagihan.csv"
    path.write_text(f"KPJ;NIK;Iuran\n;{nik};16800\n", encoding="utf-8")
    rec = bills.reconcile(programme, MARCH, path, path.name, admin_provinsi)
    assert rec.lines.get(row=2).kind == LineKind.MATCH


def test_bad_invoices_are_refused_whole(programme, tmp_path, admin_provinsi):
    path = _invoice(tmp_path, "26000000001;;abc\n;Tanpa nomor;16800\n")
    with pytest.raises(FileProblems) as caught:
        bills.reconcile(programme, MARCH, path, path.name, admin_provinsi)
    assert caught.value.problems[0].startswith("Baris 2, kolom 'Jumlah Iuran'")
    path = _invoice(tmp_path, "26000000001;;16800\n;Tanpa nomor;16800\n")
    with pytest.raises(FileProblems, match="Baris 3: tidak ada nomor peserta"):
        bills.reconcile(programme, MARCH, path, path.name, admin_provinsi)
    with pytest.raises(EnrolmentError, match="di luar masa program"):
        bills.reconcile(programme, dt.date(2027, 1, 1), path, path.name, admin_provinsi)
    assert not Reconciliation.objects.exists()
