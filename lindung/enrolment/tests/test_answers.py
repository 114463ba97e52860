from __future__ import annotations

import datetime as dt

import pytest

from lindung.audit.models import AuditEntry
from lindung.enrolment import answers, batches
from lindung.enrolment.files import FileProblems
from lindung.enrolment.models import AnswerImport
from lindung.programmes.models import BeneficiaryStatus

from .factories import add_people, make_programme

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 12, 10)
HEADER = "NIK;Status;No KPJ;TMT Kepesertaan;Keterangan\n"


@pytest.fixture
def sent(admin_provinsi):
    programme = make_programme()
    people = add_people(programme, 3)
    other = make_programme(name="Program lain")
    stranger = add_people(other, 1)[0]
    batch = batches.create_batch(programme, admin_provinsi, TODAY)
    return programme, [p.worker.nik for p in people], batch, stranger.worker.nik


def _file(tmp_path, body: str, name: str = "jawaban.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _apply(programme, path, user):
    return answers.import_answer(programme, path, path.name, user)


def test_registered_and_rejected_rows_are_applied(sent, tmp_path, admin_provinsi):
    programme, niks, _, _ = sent
    path = _file(
        tmp_path,
        f"{niks[0]};Terdaftar;26000000011;05-01-2026;\n"
        f"{niks[1]};DITERIMA;26000000012;2026-01-01;\n"
        f"{niks[2]};Ditolak;;;NIK tidak ditemukan di Dukcapil\n",
    )
    done = _apply(programme, path, admin_provinsi)
    assert (done.rows, done.registered, done.rejected, done.unchanged) == (3, 2, 1, 0)
    first = programme.beneficiaries.get(worker__nik=niks[0])
    assert first.status == BeneficiaryStatus.REGISTERED
    assert first.participant_number == "26000000011"
    assert first.coverage_start == dt.date(2026, 1, 5)
    assert first.coverage_end == dt.date(2026, 12, 31)
    third = programme.beneficiaries.get(worker__nik=niks[2])
    assert third.status == BeneficiaryStatus.REJECTED
    assert third.rejection_reason == "NIK tidak ditemukan di Dukcapil"
    changes = AuditEntry.objects.filter(detail__answer_import=done.pk)
    assert changes.count() == 3
    assert changes.get(object_id=str(third.pk)).changes == {
        "status": ["dikirim", "ditolak"],
        "rejection_reason": ["", "NIK tidak ditemukan di Dukcapil"],
    }
    assert AuditEntry.objects.filter(action="import", object_id=str(done.pk)).count() == 1
    # the same answer again changes nothing
    again = _apply(programme, path, admin_provinsi)
    assert (again.registered, again.rejected, again.unchanged) == (0, 0, 3)


def test_rows_can_name_people_by_our_batch_row_id(sent, tmp_path, admin_provinsi):
    programme, _niks, batch, _ = sent
    path = tmp_path / "jawaban.csv"
    path.write_text(
        "ID Baris;Status;KPJ;Tanggal Mulai\n"
        f"{batch.number}-00002;terdaftar;26000000099;01-01-2026\n",
        encoding="utf-8",
    )
    _apply(programme, path, admin_provinsi)
    second = programme.beneficiaries.get(batch_rows__position=2)
    assert (second.status, second.participant_number) == ("terdaftar", "26000000099")


def test_people_never_sent_refuse_the_whole_file(sent, tmp_path, admin_provinsi):
    programme, niks, _, stranger = sent
    path = _file(
        tmp_path,
        f"{niks[0]};Terdaftar;26000000011;05-01-2026;\n"
        f"{stranger};Terdaftar;26000000012;05-01-2026;\n",
    )
    with pytest.raises(FileProblems) as caught:
        _apply(programme, path, admin_provinsi)
    assert caught.value.problems == [
        f"Baris 3: NIK {stranger[:6]}******{stranger[12:]} tidak pernah dikirim dalam batch "
        f"program «{programme.name}»."
    ]
    assert set(programme.beneficiaries.values_list("status", flat=True)) == {"dikirim"}
    assert not AnswerImport.objects.exists()


def test_every_problem_is_named_by_its_row_and_nothing_is_saved(sent, tmp_path, admin_provinsi):
    programme, niks, _, _ = sent
    path = _file(
        tmp_path,
        f"{niks[0]};Terdaftar;;05-01-2026;\n"  # row 2: no KPJ
        f"{niks[1]};Terdaftar;26000000012;31-02-2026;\n"  # row 3: impossible date
        f"{niks[2]};Ditolak;;;\n"  # row 4: no reason
        f"{niks[0]};Terdaftar;26000000013;05-01-2026;\n"  # row 5: same person as row 2
        "6472010101010001;Terdaftar;26000000014;05-03-2027;\n",  # row 6: not sent
    )
    with pytest.raises(FileProblems) as caught:
        _apply(programme, path, admin_provinsi)
    problems = caught.value.problems
    assert any(p.startswith("Baris 3, kolom 'TMT Kepesertaan'") for p in problems), problems
    path = _file(
        tmp_path,
        f"{niks[0]};Terdaftar;;05-01-2026;\n"
        f"{niks[1]};Terdaftar;26000000012;05-03-2027;\n"
        f"{niks[2]};Ditolak;;;\n"
        f"{niks[0]};Terdaftar;26000000013;05-01-2026;\n",
    )
    with pytest.raises(FileProblems) as caught:
        _apply(programme, path, admin_provinsi)
    assert caught.value.problems == [
        "Baris 2: status terdaftar tanpa nomor peserta (KPJ).",
        "Baris 3: tanggal mulai 5 Maret 2027 di luar masa program "
        "(1 Januari 2026 – 31 Desember 2026).",
        "Baris 4: status ditolak tanpa alasan; isi kolom Alasan.",
        "Baris 5: Peserta 64.72 1 sudah ada di baris 2.",
    ]
    assert set(programme.beneficiaries.values_list("status", flat=True)) == {"dikirim"}


def test_one_kpj_for_two_people_and_a_changed_answer_are_refused(sent, tmp_path, admin_provinsi):
    programme, niks, _, _ = sent
    path = _file(
        tmp_path,
        f"{niks[0]};Terdaftar;26000000011;05-01-2026;\n"
        f"{niks[1]};Terdaftar;26000000011;05-01-2026;\n",
    )
    with pytest.raises(FileProblems) as caught:
        _apply(programme, path, admin_provinsi)
    assert caught.value.problems == ["Baris 3: nomor peserta 26000000011 sudah dipakai di baris 2."]
    _apply(
        programme, _file(tmp_path, f"{niks[0]};Terdaftar;26000000011;05-01-2026;\n"), admin_provinsi
    )
    with pytest.raises(FileProblems, match="sudah berstatus «Terdaftar di BPJS»"):
        _apply(programme, _file(tmp_path, f"{niks[0]};Ditolak;;;salah\n"), admin_provinsi)


def test_missing_columns_and_unreadable_files_get_one_clear_message(sent, tmp_path, admin_provinsi):
    programme, *_ = sent
    path = tmp_path / "x.csv"
    path.write_text("Nama;Status\nBudi;terdaftar\n", encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        _apply(programme, path, admin_provinsi)
    assert (
        "Salah satu kolom 'NIK' (nik) atau 'ID baris' (id_baris) harus ada."
        in caught.value.problems[0]
    )
    path.write_bytes(b"\x00\x01\x02 not a table")
    with pytest.raises(FileProblems):
        _apply(programme, path, admin_provinsi)
