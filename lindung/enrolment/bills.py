"""Monthly bill reconciliation: BPJS TK's invoice (tagihan) against our active beneficiaries.

Every invoice line is matched to a beneficiary of the programme by KPJ, else by NIK, and every
beneficiary whose coverage overlaps the month is expected once at the calculator's premium.
Each line of the result is one of :class:`~lindung.enrolment.models.LineKind`; every billed line
and every active beneficiary appears exactly once, so the sum of the lines' differences is the
difference between the invoice and what we owe. A line without KPJ and NIK whose name starts
with "total"/"jumlah" is the invoice's own total, compared with the sum of its lines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lindung import nik as nik_module
from lindung.accounts.models import User
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.core.bulk import insert_rows
from lindung.core.formats import MONTH_NAMES
from lindung.enrolment.common import EnrolmentError, first_of_month, monthly_premium
from lindung.enrolment.files import INVOICE, FileProblems, read_rows
from lindung.enrolment.models import LineKind, Reconciliation, ReconciliationLine
from lindung.imports.reading import ROW
from lindung.programmes.models import Beneficiary, BeneficiaryStatus, Programme
from lindung.subsidy.premiums import add_months

_TOTAL = re.compile(r"^\s*(grand\s*)?(total|jumlah)\b", re.IGNORECASE)

#: Statuses of people who were (or still are) registered and may be billed for some month.
ENROLLED = (BeneficiaryStatus.REGISTERED, BeneficiaryStatus.ENDED, BeneficiaryStatus.REPLACED)


@dataclass(frozen=True)
class _Person:
    pk: int
    kpj: str
    nik: str
    name: str
    kabkota_id: str
    active: bool


def month_label(month: dt.date) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def active_in(month: dt.date) -> Q:
    """Beneficiaries covered on at least one day of ``month`` (its first day)."""
    end = add_months(month, 1) - dt.timedelta(days=1)
    return Q(
        status__in=ENROLLED,
        coverage_start__isnull=False,
        coverage_start__lte=end,
        coverage_end__gte=month,
    )


def _people(programme: Programme, month: dt.date) -> list[_Person]:
    """Everyone of the programme who could appear on an invoice, and whether active in month."""
    everyone = Beneficiary.objects.filter(programme=programme)
    active_ids = set(everyone.filter(active_in(month)).values_list("id", flat=True))
    values = everyone.order_by("id").values_list(
        "id", "participant_number", "worker__nik", "worker__name", "kabkota_id"
    )
    return [
        _Person(pk, kpj, nik, name, kab, pk in active_ids)
        for pk, kpj, nik, name, kab in values.iterator(chunk_size=5_000)
    ]


def _is_total(row: dict[str, Any]) -> bool:
    """A "TOTAL"/"Jumlah" label in the KPJ or the name column: the invoice's own sum."""
    return any(_TOTAL.match(row.get(f) or "") for f in ("nomor_peserta", "nama"))


def _split_total(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int | None]:
    """Person lines and the invoice's own total line (if any); other blank lines refuse it."""
    lines: list[dict[str, Any]] = []
    totals: list[dict[str, Any]] = []
    problems: list[str] = []
    for row in rows:
        if not row.get("nik") and _is_total(row):
            totals.append(row)
        elif row.get("nomor_peserta") or row.get("nik"):
            lines.append(row)
        else:
            problems.append(
                _("Baris %(row)s: tidak ada nomor peserta (KPJ) maupun NIK.") % {"row": row[ROW]}
            )
    if len(totals) > 1:
        problems.append(
            _("Baris %(rows)s: lebih dari satu baris total.")
            % {"rows": ", ".join(str(t[ROW]) for t in totals)}
        )
    if problems:
        raise FileProblems(problems)
    return lines, (totals[0]["iuran"] if totals else None)


@dataclass
class _Line:
    """One :class:`ReconciliationLine` before it is saved (inserted in one statement)."""

    kind: str = LineKind.MATCH
    row: int | None = None
    beneficiary: int | None = None
    kabkota: str | None = None
    participant_number: str = ""
    nik: str = ""
    name: str = ""
    billed: int = 0
    expected: int = 0
    note: str = ""


_LINE_FIELDS = tuple(f.name for f in fields(_Line))


class _Matcher:
    """Classifies invoice lines one by one, remembering who was already billed."""

    def __init__(self, people: list[_Person], premium: int) -> None:
        self.premium = premium
        self.by_kpj = {p.kpj: p for p in people if p.kpj}
        self.by_nik = {p.nik: p for p in people if p.nik}
        self.billed: dict[int, int] = {}  # beneficiary → first invoice row
        self.people = people

    def line(self, row: dict[str, Any]) -> _Line:
        kpj, nik = (row.get("nomor_peserta") or "").strip(), row.get("nik") or ""
        person = self.by_kpj.get(kpj) if kpj else None
        note = ""
        if person is None and nik:
            person = self.by_nik.get(nik)
            if person is not None and kpj:
                note = _("KPJ di tagihan %(billed)s, KPJ tercatat %(ours)s.") % {
                    "billed": kpj,
                    "ours": person.kpj or "—",
                }
        line = _Line(
            row=row[ROW], participant_number=kpj[:20], nik=nik, name=(row.get("nama") or "")[:150],
            billed=row["iuran"],
        )  # fmt: skip
        if person is None:
            line.kind = LineKind.NOT_OURS
            return line
        line.beneficiary, line.kabkota = person.pk, person.kabkota_id
        line.name, line.nik = person.name, person.nik
        line.participant_number = line.participant_number or person.kpj
        first = self.billed.setdefault(person.pk, row[ROW])
        if first != row[ROW]:
            line.kind, line.note = (
                LineKind.DUPLICATE,
                _("Sudah ditagih di baris %(row)s.") % {"row": first},
            )
        elif not person.active:
            line.kind = LineKind.NOT_ACTIVE
        else:
            line.expected = self.premium
            line.kind = LineKind.MATCH if line.billed == self.premium else LineKind.AMOUNT
        line.note = line.note or note
        return line

    def not_billed(self) -> list[_Line]:
        return [
            _Line(
                kind=LineKind.NOT_BILLED,
                beneficiary=p.pk,
                kabkota=p.kabkota_id,
                participant_number=p.kpj,
                nik=p.nik,
                name=p.name,
                expected=self.premium,
            )
            for p in self.people
            if p.active and p.pk not in self.billed
        ]


def reconcile(
    programme: Programme,
    month: dt.date,
    path: Path,
    file_name: str,
    user: User,
    stated_total: int | None = None,
) -> Reconciliation:
    """Compare the invoice in ``path`` for ``month`` with the programme; save it with its lines.

    ``stated_total`` (the total printed on the invoice, typed by the officer) wins over a total
    line in the file.
    """
    month = first_of_month(month)
    if not programme.overlaps(month, add_months(month, 1) - dt.timedelta(days=1)):
        raise EnrolmentError(
            _("%(month)s di luar masa program «%(name)s».")
            % {"month": month_label(month), "name": programme.name}
        )
    premium = monthly_premium(programme, month)
    rows, file_total = _split_total(list(read_rows(path, INVOICE).iter_rows(named=True)))
    matcher = _Matcher(_people(programme, month), premium)
    lines = [matcher.line(row) for row in rows] + matcher.not_billed()
    active = sum(p.active for p in matcher.people)
    with transaction.atomic():
        rec = Reconciliation.objects.create(
            programme=programme,
            month=month,
            file_name=file_name[:255],
            imported_by=user,
            premium=premium,
            billed_people=len(rows),
            billed_total=sum(line.billed for line in lines),
            stated_total=stated_total if stated_total is not None else file_total,
            active_people=active,
            expected_total=active * premium,
            differences=sum(line.kind != LineKind.MATCH for line in lines),
        )
        insert_rows(
            ReconciliationLine,
            ("reconciliation", *_LINE_FIELDS),
            [(rec.pk, *(getattr(line, f) for f in _LINE_FIELDS)) for line in lines],
        )
        record(
            AuditEntry.Action.IMPORT,
            rec,
            detail={"programme": programme.pk, "month": month, "file": rec.file_name,
                    "billed_total": rec.billed_total, "expected_total": rec.expected_total,
                    "differences": rec.differences},
        )  # fmt: skip
    return rec


@dataclass(frozen=True)
class KindTotal:
    kind: str
    label: str
    count: int
    billed: int
    expected: int

    @property
    def difference(self) -> int:
        return self.billed - self.expected


def totals(lines: Any) -> list[KindTotal]:
    """Count, billed, expected and difference per kind of line (of the lines given)."""
    from django.db.models import Count, Sum

    found = {
        r["kind"]: r
        for r in lines.order_by()
        .values("kind")
        .annotate(n=Count("id"), billed_sum=Sum("billed"), expected_sum=Sum("expected"))
    }
    return [
        KindTotal(kind, str(label), found[kind]["n"], found[kind]["billed_sum"] or 0,
                  found[kind]["expected_sum"] or 0)
        for kind, label in LineKind.choices
        if kind in found
    ]  # fmt: skip


EXPORT_HEADER = (
    "Hasil", "Baris tagihan", "Nomor peserta (KPJ)", "NIK", "Nama", "Kabupaten/Kota",
    "Ditagih", "Seharusnya", "Selisih", "Keterangan",
)  # fmt: skip


def export_rows(lines: Any, full_nik: bool) -> list[list[Any]]:
    rows = []
    for line in lines.select_related("kabkota").order_by("kind", "row", "id"):
        rows.append([
            line.get_kind_display(), line.row, line.participant_number,
            line.nik if full_nik else nik_module.mask(line.nik) if line.nik else "", line.name,
            line.kabkota.name if line.kabkota else "", line.billed, line.expected,
            line.difference, line.note,
        ])  # fmt: skip
    return rows
