"""Enrolment batches: the collective ("wadah") registration file for BPJS TK.

Creating a batch takes every beneficiary still waiting (``SELECTED``), freezes the cells BPJS TK
needs for each of them in :class:`~lindung.enrolment.models.BatchRow` and marks them ``SENT``, in
one transaction. The file (CSV or XLSX) is always built from those frozen rows, so downloading a
batch again gives the same file even after the registry changed. The file holds full NIKs (BPJS
cannot register anyone without one): every download is an audited export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.core.bulk import insert_rows
from lindung.core.exports import csv_lines, xlsx_bytes
from lindung.enrolment.audit import record_beneficiary_changes
from lindung.enrolment.common import EnrolmentError, monthly_premium
from lindung.enrolment.models import BatchRow, EnrolmentBatch
from lindung.programmes.models import Beneficiary, BeneficiaryStatus, Programme
from lindung.registry.models import Occupation

#: The columns of BPJS TK's collective registration form, in its order.
HEADER = (
    "No", "ID Baris", "NIK", "Nama Lengkap", "Tempat Lahir", "Tanggal Lahir", "Jenis Kelamin",
    "Alamat", "Desa/Kelurahan", "Kecamatan", "Kabupaten/Kota", "Pekerjaan",
    "Penghasilan Dilaporkan", "Program", "Kode Wadah", "Nama Wadah", "Sumber Dana",
    "Tanggal Mulai", "Iuran per Bulan", "KPJ Sebelumnya",
)  # fmt: skip

#: Primary keys per ``IN (…)`` list (SQLite allows 32,766 parameters per statement).
ID_CHUNK = 5_000

_WORKER = (
    "id", "kabkota_id", "worker__nik", "worker__name", "worker__birth_date", "worker__sex",
    "worker__address", "worker__desa__name", "worker__kecamatan__name", "kabkota__name",
    "worker__occupation", "person_key", "coverage_start",
)  # fmt: skip


def _date(day: dt.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


@dataclass(frozen=True)
class _Constants:
    """The cells every row of a batch shares, translated once (not once per row)."""

    income: int
    package: str
    group: str
    name: str
    funder: str
    occupations: dict[str, str]

    @classmethod
    def of(cls, programme: Programme) -> _Constants:
        return cls(
            programme.declared_income,
            ", ".join(programme.package_codes()),
            programme.group_code,
            programme.name,
            str(programme.get_funder_display()),
            {code: str(label) for code, label in Occupation.choices},
        )


def _cells(
    row: dict[str, Any], position: int, reference: str, same: _Constants, start: dt.date,
    premium: int, previous_kpj: str,
) -> list[Any]:  # fmt: skip
    """One person's cells in :data:`HEADER` order. Birth place is not in the registry: blank.
    ``previous_kpj``: the person's KPJ from an earlier programme (renewals, re-registrations)."""
    occupation = row["worker__occupation"]
    return [
        position,
        reference,
        row["worker__nik"],
        row["worker__name"],
        "",
        _date(row["worker__birth_date"]),
        row["worker__sex"],
        row["worker__address"],
        row["worker__desa__name"] or "",
        row["worker__kecamatan__name"] or "",
        row["kabkota__name"],
        same.occupations.get(occupation, occupation),
        same.income,
        same.package,
        same.group,
        same.name,
        same.funder,
        _date(start),
        premium,
        previous_kpj,
    ]


def pending(programme: Programme) -> Any:
    """Beneficiaries chosen but not yet sent to BPJS TK."""
    return Beneficiary.objects.filter(programme=programme, status=BeneficiaryStatus.SELECTED)


def _previous_kpj(programme: Programme) -> dict[str, str]:
    """The latest KPJ each waiting person got in any programme (by person key)."""
    keys = pending(programme).values("person_key")
    rows = (
        Beneficiary.objects.filter(person_key__in=keys)
        .exclude(participant_number="")
        .order_by("person_key", "coverage_start", "id")
        .values_list("person_key", "participant_number")
    )
    return dict(rows)  # later rows win: the latest coverage


def _row_start(person: dict[str, Any], start: dt.date) -> dt.date:
    """A replacement or renewal may be due to start later than the batch: its own date wins."""
    return max(person["coverage_start"] or start, start)


def _batch_rows(
    batch: EnrolmentBatch, people: list[dict[str, Any]], start: dt.date
) -> list[tuple[Any, ...]]:
    """The frozen rows of ``batch`` (in :data:`_ROW_FIELDS` order), each priced for the month
    its coverage starts."""
    programme = batch.programme
    previous = _previous_kpj(programme)
    premiums: dict[dt.date, int] = {}
    same = _Constants.of(programme)
    rows = []
    for position, person in enumerate(people, start=1):
        reference = f"{batch.number}-{position:05d}"
        begins = _row_start(person, start)
        month = dt.date(begins.year, begins.month, 1)
        if month not in premiums:
            premiums[month] = monthly_premium(programme, month)
        cells = _cells(
            person, position, reference, same, begins, premiums[month],
            previous.get(person["person_key"], ""),
        )  # fmt: skip
        rows.append(
            (batch.pk, position, reference, person["id"], person["worker__nik"],
             person["kabkota_id"], cells)
        )  # fmt: skip
    return rows


_ROW_FIELDS = ("batch", "position", "reference", "beneficiary", "nik", "kabkota", "values")


def _mark_sent(programme: Programme, ids: list[int]) -> int:
    """Waiting → sent, by primary key in chunks: a join with the just-filled batch table gets a
    bad plan on PostgreSQL before its statistics exist (33 s instead of under one)."""
    now, changed = timezone.now(), 0
    for i in range(0, len(ids), ID_CHUNK):
        chunk = pending(programme).filter(pk__in=ids[i : i + ID_CHUNK])
        changed += chunk.update(status=BeneficiaryStatus.SENT, updated_at=now)
    return changed


def create_batch(programme: Programme, user: User, today: dt.date) -> EnrolmentBatch:
    """Send every waiting beneficiary of ``programme`` in one new batch (all or nothing)."""
    start = max(programme.period_start, today)
    if start > programme.period_end:
        raise EnrolmentError(
            _("Masa program «%(name)s» sudah berakhir; tidak ada yang bisa didaftarkan.")
            % {"name": programme.name}
        )
    with transaction.atomic(), translation.override("id"):
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        people = list(pending(programme).order_by("kabkota_id", "rank", "id").values(*_WORKER))
        if not people:
            raise EnrolmentError(_("Tidak ada penerima yang menunggu dikirim ke BPJS."))
        sequence = (programme.enrolment_batches.aggregate(n=Max("sequence"))["n"] or 0) + 1
        batch = EnrolmentBatch.objects.create(
            programme=programme,
            sequence=sequence,
            number=f"PND-{programme.pk:04d}-{sequence:03d}",
            created_by=user,
            start_date=start,
            count=len(people),
        )
        insert_rows(BatchRow, _ROW_FIELDS, _batch_rows(batch, people, start))
        changed = _mark_sent(programme, [p["id"] for p in people])
        if changed != len(people):  # someone changed them meanwhile: the lock makes this a bug
            raise EnrolmentError(_("Daftar penerima berubah saat batch dibuat; coba lagi."))
        record_beneficiary_changes(
            (
                (
                    p["id"],
                    f"{p['worker__name']} · {programme.name}",
                    {"status": [BeneficiaryStatus.SELECTED.value, BeneficiaryStatus.SENT.value]},
                )
                for p in people
            ),
            {"batch": batch.number},
        )
        record(
            AuditEntry.Action.CREATE,
            batch,
            detail={"programme": programme.pk, "count": len(people), "start": start},
        )
    return batch


def table(batch: EnrolmentBatch) -> Iterator[Sequence[Any]]:
    """The batch's frozen rows in file order."""
    rows = BatchRow.objects.filter(batch=batch).order_by("position").values_list("values")
    for (values,) in rows.iterator(chunk_size=5_000):
        yield values


def file_name(batch: EnrolmentBatch, extension: str) -> str:
    return f"pendaftaran-{batch.number}.{extension}"


def _record_export(batch: EnrolmentBatch, extension: str) -> None:
    record(
        AuditEntry.Action.EXPORT,
        batch,
        detail={
            "format": extension,
            "rows": batch.count,
            "full_nik": True,
            "file": file_name(batch, extension),
        },
    )


def export_csv(batch: EnrolmentBatch) -> Iterator[str]:
    """The batch file as CSV lines (for streaming), recorded as a full-NIK export."""
    _record_export(batch, "csv")
    return csv_lines(HEADER, table(batch))


def export_xlsx(batch: EnrolmentBatch) -> bytes:
    """The batch file as XLSX, recorded as a full-NIK export; same rows, same bytes."""
    _record_export(batch, "xlsx")
    return xlsx_bytes([("Pendaftaran", HEADER, table(batch))], created=batch.created_at)
