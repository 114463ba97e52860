from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from lindung.audit.models import AuditEntry
from lindung.enrolment import batches
from lindung.enrolment.common import EnrolmentError
from lindung.enrolment.models import BatchRow
from lindung.imports.reading import read_table
from lindung.programmes.models import BeneficiaryStatus
from lindung.registry.models import Worker

from .factories import add_people, make_programme

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 12, 10)


def _csv(batch) -> list[list[str]]:
    text = "".join(batches.export_csv(batch))
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_batch_sends_every_waiting_person_once_with_bpjs_columns(admin_provinsi):
    programme = make_programme()
    people = add_people(programme, 3) + add_people(programme, 2, "64.71")
    people[4].status = BeneficiaryStatus.REPLACED
    people[4].save()

    batch = batches.create_batch(programme, admin_provinsi, TODAY)

    assert batch.count == 4
    assert batch.number == f"PND-{programme.pk:04d}-001"
    assert batch.start_date == dt.date(2026, 1, 1)  # the programme starts after today
    statuses = sorted(programme.beneficiaries.values_list("status", flat=True))
    assert statuses == ["diganti"] + ["dikirim"] * 4
    rows = _csv(batch)
    assert rows[0][:4] == ["No", "ID Baris", "NIK", "Nama Lengkap"]
    first = dict(zip(rows[0], rows[1], strict=True))
    worker = people[3].worker  # Balikpapan (64.71) sorts first
    assert first["NIK"] == worker.nik and first["Nama Lengkap"] == worker.name
    assert first["Kabupaten/Kota"] == "Kota Balikpapan" or "Balikpapan" in first["Kabupaten/Kota"]
    assert first["Tanggal Lahir"] == "17-08-1985"
    assert first["Pekerjaan"] == "Nelayan"
    assert first["Kode Wadah"] == "SG" and first["Program"] == "JKK, JKM"
    assert first["Penghasilan Dilaporkan"] == "1000000"
    assert first["Iuran per Bulan"] == "16800"
    assert first["Tanggal Mulai"] == "01-01-2026"
    assert first["ID Baris"] == f"{batch.number}-00001"
    assert len(rows) == 5
    # one audit entry per person sent, plus the batch itself
    sent = AuditEntry.objects.filter(
        object_type="programmes.beneficiary", detail__batch=batch.number
    )
    assert sent.count() == 4
    assert sent.all()[0].changes == {"status": ["terpilih", "dikirim"]}
    assert (
        AuditEntry.objects.filter(action="create", object_type="enrolment.enrolmentbatch").count()
        == 1
    )


def test_second_batch_takes_only_the_newly_chosen_and_nothing_left_is_refused(admin_provinsi):
    programme = make_programme()
    add_people(programme, 2)
    batches.create_batch(programme, admin_provinsi, TODAY)
    add_people(programme, 1)
    second = batches.create_batch(programme, admin_provinsi, dt.date(2026, 2, 3))
    assert (second.count, second.sequence) == (1, 2)
    assert second.start_date == dt.date(2026, 2, 3)  # sent during the period: starts that day
    with pytest.raises(EnrolmentError, match="Tidak ada penerima"):
        batches.create_batch(programme, admin_provinsi, TODAY)


def test_redownload_gives_the_same_file_after_the_registry_changed(admin_provinsi):
    programme = make_programme()
    add_people(programme, 2)
    batch = batches.create_batch(programme, admin_provinsi, TODAY)
    first_csv, first_xlsx = _csv(batch), batches.export_xlsx(batch)
    Worker.objects.update(name="Nama Baru")
    assert _csv(batch) == first_csv
    assert batches.export_xlsx(batch) == first_xlsx
    exports = AuditEntry.objects.filter(action="export", object_type="enrolment.enrolmentbatch")
    assert exports.count() == 4
    assert exports.all()[0].detail["full_nik"] is True


def test_formula_in_a_name_is_neutralised_in_csv_and_xlsx(admin_provinsi, tmp_path):
    programme = make_programme()
    (person,) = add_people(programme, 1)
    Worker.objects.filter(pk=person.worker_id).update(name='=HYPERLINK("http://x","klik")')
    batch = batches.create_batch(programme, admin_provinsi, TODAY)
    assert _csv(batch)[1][3] == '\'=HYPERLINK("http://x","klik")'
    path = tmp_path / "batch.xlsx"
    path.write_bytes(batches.export_xlsx(batch))
    row = read_table(path, max_bytes=10**7).frame.row(0, named=True)
    assert row["Nama Lengkap"] == '\'=HYPERLINK("http://x","klik")'
    assert row["NIK"] == person.worker.nik  # 16 digits kept as text


def test_ended_programme_cannot_send(admin_provinsi):
    programme = make_programme(period_start=dt.date(2024, 1, 1), months=12)
    add_people(programme, 1)
    with pytest.raises(EnrolmentError, match="sudah berakhir"):
        batches.create_batch(programme, admin_provinsi, TODAY)
    assert not BatchRow.objects.exists()
    assert programme.beneficiaries.get().status == BeneficiaryStatus.SELECTED


def test_renewed_person_carries_their_kpj_and_their_own_later_start(admin_provinsi):
    old = make_programme(name="2025", period_start=dt.date(2025, 1, 1))
    (before,) = add_people(old, 1)
    before.status, before.participant_number = BeneficiaryStatus.REGISTERED, "26000000042"
    before.coverage_start, before.coverage_end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    before.save()
    new = make_programme(name="2026", period_start=dt.date(2026, 1, 1))
    new.beneficiaries.create(
        worker=before.worker, person_key=before.person_key, kabkota_id="64.72", rank=1,
        reason="diperpanjang", coverage_start=dt.date(2026, 3, 1),
    )  # fmt: skip
    (fresh,) = add_people(new, 1)
    batch = batches.create_batch(new, admin_provinsi, TODAY)
    header, *rows = _csv(batch)
    assert header[-1] == "KPJ Sebelumnya"
    by_nik = {r[2]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_nik[before.worker.nik]["KPJ Sebelumnya"] == "26000000042"
    assert by_nik[before.worker.nik]["Tanggal Mulai"] == "01-03-2026"
    assert by_nik[fresh.worker.nik]["KPJ Sebelumnya"] == ""
    assert by_nik[fresh.worker.nik]["Tanggal Mulai"] == "01-01-2026"
