"""BPJS TK's side of enrolment, simulated for the demo: an answer to a batch and a monthly bill.

A demo has no BPJS office to answer the batch Lindung sends or to bill the funder, so a person
trying the whole flow (programme → batch → answer → bill) would have to make those files by hand.
These functions write them from the database the way a BPJS office would: the answer registers
almost everyone with a KPJ number and a start date and rejects a few with the reasons BPJS
gives; the bill charges every active beneficiary but, like real bills, carries three mistakes to
find (someone who is not ours, someone missing, one wrong amount). The column headers are ones
the enrolment importers accept (:mod:`lindung.enrolment.files`), not our own export's.

The files hold full NIKs, so every file made is recorded in the audit log as an export.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.core.exports import csv_lines, xlsx_bytes
from lindung.core.formats import rupiah
from lindung.enrolment.batches import HEADER as BATCH_HEADER
from lindung.enrolment.bills import active_in
from lindung.enrolment.common import EnrolmentError, first_of_month, monthly_premium
from lindung.enrolment.models import BatchRow, EnrolmentBatch
from lindung.programmes.models import Beneficiary, Programme
from lindung.registry.models import NikStatus, Worker

#: Reasons BPJS TK gives when it refuses to register someone in a collective.
REJECTION_REASONS = (
    "NIK tidak ditemukan di Dukcapil",
    "Sudah terdaftar sebagai peserta PU (penerima upah)",
    "Nama dan tanggal lahir tidak sesuai data Dukcapil",
    "NIK sudah terdaftar aktif di wadah lain",
    "Usia melebihi batas kepesertaan BPU",
)

ANSWER_HEADER = (
    "No", "ID Baris", "NIK", "Nama Tenaga Kerja", "Status", "No KPJ", "TMT Kepesertaan",
    "Keterangan",
)  # fmt: skip
BILL_HEADER = ("No", "No KPJ", "NIK", "Nama Peserta", "Periode", "Jumlah Iuran")

#: The share of a batch BPJS refuses in the demo answer (at least one when there are two rows).
REJECTED_SHARE = 0.02

_COLUMN = {name: i for i, name in enumerate(BATCH_HEADER)}


@dataclass(frozen=True)
class DemoFile:
    """A file written for the demo and what is in it (for the command's summary)."""

    path: Path
    rows: int
    summary: str


def _write(path: Path, sheet: str, header: Sequence[str], rows: list[list[Any]]) -> None:
    """CSV (``;``, as Indonesian Excel saves it) or XLSX, chosen by the file's extension."""
    if path.suffix.lower() == ".csv":
        path.write_text("".join(csv_lines(header, rows)), encoding="utf-8")
    elif path.suffix.lower() == ".xlsx":
        path.write_bytes(xlsx_bytes([(sheet, header, rows)]))
    else:
        raise EnrolmentError(f"Format file {path.name} tidak dikenal; pakai .csv atau .xlsx.")


def _kpj(batch: EnrolmentBatch, position: int) -> str:
    """An 11-digit KPJ unique to the batch row: year, batch id, row."""
    return f"{batch.created_at.year % 100:02d}{batch.pk % 1000:03d}{position:06d}"


def _rejected_rows(count: int, seed: int) -> dict[int, str]:
    """Positions BPJS refuses, each with a reason."""
    if count < 2:
        return {}
    rng = random.Random(seed)
    how_many = max(1, round(count * REJECTED_SHARE))
    positions = rng.sample(range(1, count + 1), how_many)
    return {p: rng.choice(REJECTION_REASONS) for p in sorted(positions)}


def answer_rows(batch: EnrolmentBatch, seed: int = 2026) -> tuple[list[list[Any]], int]:
    """BPJS's answer to ``batch`` (rows in :data:`ANSWER_HEADER` order) and how many rejected.

    A registered person keeps the KPJ of an earlier programme when the batch sent one, and starts
    on the date the batch asked for. Someone sent without a valid NIK (the registry keeps damaged
    NIKs, and selection may choose their owners) cannot pass the Dukcapil check: rejected, and
    answered by row ID only, because the answer importer refuses a file with a damaged NIK cell.
    """
    values = (
        BatchRow.objects.filter(batch=batch)
        .order_by("position")
        .values_list("values", "beneficiary__worker__nik_status")
    )
    rows = list(values.iterator(chunk_size=5_000))
    rejected = _rejected_rows(len(rows), seed)
    out = []
    for cells, nik_status in rows:
        position = cells[_COLUMN["No"]]
        valid = nik_status == NikStatus.VALID
        who = [position, cells[_COLUMN["ID Baris"]], cells[_COLUMN["NIK"]] if valid else "",
               cells[_COLUMN["Nama Lengkap"]]]  # fmt: skip
        reason = rejected.get(position) if valid else REJECTION_REASONS[0]
        if reason:
            out.append([*who, "Ditolak", "", "", reason])
            continue
        kpj = cells[_COLUMN["KPJ Sebelumnya"]] or _kpj(batch, position)
        out.append([*who, "Terdaftar", kpj, cells[_COLUMN["Tanggal Mulai"]], ""])
    return out, sum(row[4] == "Ditolak" for row in out)


def write_answer(batch: EnrolmentBatch, path: Path, seed: int = 2026) -> DemoFile:
    """Write BPJS's demo answer to ``batch`` at ``path`` (.csv or .xlsx), audited."""
    rows, rejected = answer_rows(batch, seed)
    _write(path, "Jawaban", ANSWER_HEADER, rows)
    _record(batch, path, len(rows), {"rejected": rejected})
    summary = f"{len(rows) - rejected} terdaftar, {rejected} ditolak"
    return DemoFile(path, len(rows), summary)


def _outsider(programme: Programme) -> tuple[str, str]:
    """NIK and name of a registry worker who is not in the programme (billed by mistake)."""
    worker = (
        Worker.objects.exclude(beneficiaries__programme=programme)
        .filter(nik_status=NikStatus.VALID)
        .order_by("id")
        .values_list("nik", "name")
        .first()
    )
    if worker is None:
        raise EnrolmentError("Tidak ada pekerja di luar program untuk contoh tagihan keliru.")
    return worker


def bill_rows(
    programme: Programme, month: dt.date, seed: int = 2026
) -> tuple[list[list[Any]], int]:
    """BPJS's bill for ``month`` (rows in :data:`BILL_HEADER` order, then a TOTAL line) and its
    premium. Every active beneficiary is billed the premium, except: one is left out, one is
    billed twice the premium (two months at once), and one outsider is billed."""
    month = first_of_month(month)
    premium = monthly_premium(programme, month)
    active = list(
        Beneficiary.objects.filter(programme=programme)
        .filter(active_in(month))
        .order_by("kabkota_id", "rank", "id")
        .values_list("participant_number", "worker__nik", "worker__name")
    )
    if len(active) < 2:
        raise EnrolmentError(
            "Tagihan contoh butuh sedikitnya dua penerima terdaftar yang aktif di bulan itu; "
            "impor jawaban BPJS dulu."
        )
    rng = random.Random(seed)
    missing, wrong = rng.sample(range(len(active)), 2)
    period = f"{month:%m-%Y}"
    lines: list[list[Any]] = [
        [kpj, nik, name, period, premium * 2 if i == wrong else premium]
        for i, (kpj, nik, name) in enumerate(active)
        if i != missing
    ]
    nik, name = _outsider(programme)
    stranger = f"{month.year % 100:02d}999{rng.randrange(10**6):06d}"  # a KPJ we never got
    lines.insert(rng.randrange(len(lines) + 1), [stranger, nik, name, period, premium])
    rows = [[i, *line] for i, line in enumerate(lines, start=1)]
    rows.append(["", "TOTAL", "", "", period, sum(int(line[-1]) for line in lines)])
    return rows, premium


def write_bill(programme: Programme, month: dt.date, path: Path, seed: int = 2026) -> DemoFile:
    """Write BPJS's demo bill of ``programme`` for ``month`` at ``path``, audited."""
    rows, premium = bill_rows(programme, month, seed)
    _write(path, "Tagihan", BILL_HEADER, rows)
    _record(programme, path, len(rows) - 1, {"month": first_of_month(month)})
    summary = (
        f"{len(rows) - 1} baris tagihan, iuran {rupiah(premium)} per orang; selisih yang "
        "ditanam: 1 bukan penerima, 1 tidak ditagih, 1 nominal berbeda"
    )
    return DemoFile(path, len(rows) - 1, summary)


def _record(obj: Any, path: Path, rows: int, detail: dict[str, Any]) -> None:
    record(
        AuditEntry.Action.EXPORT,
        obj,
        detail={"demo_bpjs": True, "file": path.name, "rows": rows, "full_nik": True, **detail},
    )
