"""Applying BPJS TK's answer to a batch: registered (with KPJ and start date) or rejected.

The whole file is checked before anything is saved; one bad row refuses the file with every
problem named by its row (people we never sent in this programme's batches, the same person
twice, a registration without KPJ or start date, a rejection without reason, a start date
outside the programme period, a KPJ given to two people). Then all rows are applied in one
transaction, each change audited. Importing the same answer again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung import nik as nik_module
from lindung.accounts.models import User
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.core.bulk import update_rows
from lindung.core.formats import long_date
from lindung.enrolment.audit import record_beneficiary_changes
from lindung.enrolment.files import ANSWER, FileProblems, read_rows
from lindung.enrolment.models import AnswerImport, BatchRow
from lindung.imports.reading import ROW
from lindung.programmes.models import Beneficiary, BeneficiaryStatus, Programme

REGISTERED = "terdaftar"
REJECTED = "ditolak"
FIELDS = ("status", "participant_number", "coverage_start", "coverage_end", "rejection_reason")


@dataclass
class _Sent:
    """What we know of one person we sent: their beneficiary row as it stands."""

    beneficiary_id: int
    name: str
    state: dict[str, Any]


@dataclass
class _Check:
    programme: Programme
    by_reference: dict[str, _Sent]
    by_nik: dict[str, _Sent]
    kpj_owner: dict[str, int]  # KPJ already stored in this programme → beneficiary
    problems: list[str] = field(default_factory=list)
    seen: dict[int, int] = field(default_factory=dict)  # beneficiary → first file row
    kpj_rows: dict[str, int] = field(default_factory=dict)  # KPJ → first file row
    changes: list[tuple[_Sent, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0


def _sent_people(programme: Programme) -> tuple[dict[str, _Sent], dict[str, _Sent]]:
    rows = (
        BatchRow.objects.filter(batch__programme=programme)
        .order_by("batch__sequence", "position")
        .values_list(
            "reference", "nik", "beneficiary_id", "beneficiary__worker__name",
            *(f"beneficiary__{f}" for f in FIELDS),
        )
    )  # fmt: skip
    by_reference: dict[str, _Sent] = {}
    by_nik: dict[str, _Sent] = {}
    for reference, nik, pk, name, *state in rows.iterator(chunk_size=5_000):
        sent = _Sent(pk, name, dict(zip(FIELDS, state, strict=True)))
        by_reference[reference] = sent
        by_nik[nik] = sent  # a person sent again later: the same beneficiary row
    return by_reference, by_nik


def _identify(check: _Check, row: dict[str, Any], where: str) -> _Sent | None:
    reference, nik = row.get("id_baris"), row.get("nik")
    by_ref = check.by_reference.get(reference) if reference else None
    by_nik = check.by_nik.get(nik) if nik else None
    name = check.programme.name
    if reference and by_ref is None:
        check.problems.append(
            _("%(where)s: ID baris %(ref)s tidak ada dalam batch program «%(name)s».")
            % {"where": where, "ref": reference, "name": name}
        )
        return None
    if nik and by_nik is None:
        check.problems.append(
            _("%(where)s: NIK %(nik)s tidak pernah dikirim dalam batch program «%(name)s».")
            % {"where": where, "nik": nik_module.mask(nik), "name": name}
        )
        return None
    if by_ref and by_nik and by_ref.beneficiary_id != by_nik.beneficiary_id:
        check.problems.append(
            _("%(where)s: ID baris %(ref)s milik %(a)s, tetapi NIK %(nik)s milik %(b)s.")
            % {
                "where": where,
                "ref": reference,
                "a": by_ref.name,
                "nik": nik_module.mask(nik),
                "b": by_nik.name,
            }
        )
        return None
    return by_ref or by_nik


def _wanted(check: _Check, row: dict[str, Any], where: str) -> dict[str, Any] | None:
    """The beneficiary fields the row asks for, or None after noting its problems."""
    programme = check.programme
    if row["status"] == REJECTED:
        reason = (row.get("alasan") or "").strip()
        if not reason:
            check.problems.append(
                _("%(where)s: status ditolak tanpa alasan; isi kolom Alasan.") % {"where": where}
            )
            return None
        return {
            "status": BeneficiaryStatus.REJECTED.value,
            "participant_number": "",
            "coverage_start": None,
            "coverage_end": None,
            "rejection_reason": reason[:255],
        }
    kpj, start = (row.get("nomor_peserta") or "").strip(), row.get("tanggal_mulai")
    before = len(check.problems)
    if not kpj:
        check.problems.append(
            _("%(where)s: status terdaftar tanpa nomor peserta (KPJ).") % {"where": where}
        )
    elif not kpj.isalnum():
        check.problems.append(
            _("%(where)s: nomor peserta (KPJ) '%(kpj)s' hanya boleh angka/huruf.")
            % {"where": where, "kpj": kpj}
        )
    if start is None:
        check.problems.append(
            _("%(where)s: status terdaftar tanpa tanggal mulai.") % {"where": where}
        )
    elif not programme.period_start <= start <= programme.period_end:
        check.problems.append(
            _("%(where)s: tanggal mulai %(day)s di luar masa program (%(start)s – %(end)s).")
            % {
                "where": where,
                "day": long_date(start),
                "start": long_date(programme.period_start),
                "end": long_date(programme.period_end),
            }
        )
    if len(check.problems) > before:
        return None
    return {
        "status": BeneficiaryStatus.REGISTERED.value,
        "participant_number": kpj,
        "coverage_start": start,
        "coverage_end": programme.period_end,
        "rejection_reason": "",
    }


def _check_kpj(check: _Check, sent: _Sent, kpj: str, where: str) -> None:
    first = check.kpj_rows.setdefault(kpj, check.seen[sent.beneficiary_id])
    if first != check.seen[sent.beneficiary_id]:
        check.problems.append(
            _("%(where)s: nomor peserta %(kpj)s sudah dipakai di baris %(first)s.")
            % {"where": where, "kpj": kpj, "first": first}
        )
    owner = check.kpj_owner.get(kpj)
    if owner is not None and owner != sent.beneficiary_id:
        check.problems.append(
            _("%(where)s: nomor peserta %(kpj)s sudah tercatat untuk penerima lain program ini.")
            % {"where": where, "kpj": kpj}
        )


def _check_row(check: _Check, row: dict[str, Any]) -> None:
    where = _("Baris %(row)s") % {"row": row[ROW]}
    sent = _identify(check, row, where)
    if sent is None:
        return
    first = check.seen.setdefault(sent.beneficiary_id, row[ROW])
    if first != row[ROW]:
        check.problems.append(
            _("%(where)s: %(name)s sudah ada di baris %(first)s.")
            % {"where": where, "name": sent.name, "first": first}
        )
        return
    wanted = _wanted(check, row, where)
    if wanted is None:
        return
    if wanted["participant_number"]:
        _check_kpj(check, sent, wanted["participant_number"], where)
    current = sent.state
    if all(current[k] == v for k, v in wanted.items()):
        check.unchanged += 1
    elif current["status"] == BeneficiaryStatus.SENT:
        check.changes.append((sent, wanted))
    else:
        label = BeneficiaryStatus(current["status"]).label
        check.problems.append(
            _(
                "%(where)s: %(name)s sudah berstatus «%(status)s»; jawaban berbeda tidak "
                "diterapkan. Hubungi admin bila data BPJS memang berubah."
            )
            % {"where": where, "name": sent.name, "status": label}
        )


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _apply(check: _Check) -> None:
    now = timezone.now()
    rows = [
        (sent.beneficiary_id, *(wanted[f] for f in FIELDS), now) for sent, wanted in check.changes
    ]
    if update_rows(Beneficiary, [*FIELDS, "updated_at"], rows) != len(rows):
        raise FileProblems([_("Data penerima berubah saat jawaban diterapkan; unggah lagi.")])


def import_answer(programme: Programme, path: Path, file_name: str, user: User) -> AnswerImport:
    """Check every row of BPJS's answer file, then apply all of it or nothing."""
    rows = read_rows(path, ANSWER)
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        by_reference, by_nik = _sent_people(programme)
        kpj_owner = dict(
            Beneficiary.objects.filter(programme=programme)
            .exclude(participant_number="")
            .values_list("participant_number", "id")
        )
        check = _Check(programme, by_reference, by_nik, kpj_owner)
        for row in rows.iter_rows(named=True):
            _check_row(check, row)
        if check.problems:
            raise FileProblems(check.problems)
        _apply(check)
        registered = sum(w["status"] == BeneficiaryStatus.REGISTERED for _, w in check.changes)
        done = AnswerImport.objects.create(
            programme=programme,
            file_name=file_name[:255],
            imported_by=user,
            rows=rows.height,
            registered=registered,
            rejected=len(check.changes) - registered,
            unchanged=check.unchanged,
        )
        record_beneficiary_changes(
            (
                (
                    sent.beneficiary_id,
                    f"{sent.name} · {programme.name}",
                    {
                        k: [_json(sent.state[k]), _json(v)]
                        for k, v in wanted.items()
                        if sent.state[k] != v
                    },
                )
                for sent, wanted in check.changes
            ),
            {"answer_import": done.pk, "file": done.file_name},
        )
        record(
            AuditEntry.Action.IMPORT,
            done,
            detail={"programme": programme.pk, "rows": done.rows, "registered": done.registered,
                    "rejected": done.rejected, "unchanged": done.unchanged},
        )  # fmt: skip
    return done
