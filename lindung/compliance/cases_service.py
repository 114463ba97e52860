"""Case tracking: letters open and advance cases, responses pause or close them, and the
suggested next step follows the escalation rules.

* :func:`record_letters_sent` — called by ``letters.services.generate_batch`` once the register
  rows exist: opens or advances the case of every company to the letter's stage (bulk);
* :func:`record_response` — ``sudah_mendaftar`` closes the case (outcome "terdaftar", status to
  be recomputed), ``sebagian`` sets a new deadline, ``keberatan`` pauses escalation;
* :func:`next_step` — the suggested action with an Indonesian sentence;
* :func:`follow_up_list` — open cases due or overdue, in the user's region, overdue first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.access import scoped
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.compliance.cases import (
    STAGE_ORDER,
    Case,
    CaseEvent,
    CaseResponse,
    EscalationRule,
    Outcome,
    Stage,
)
from lindung.compliance.models import Company
from lindung.letters.models import LetterBatch, OutgoingLetter

#: Used when a stage has no row in EscalationRule (the seeded values, see migration 0005).
DEFAULT_RULES: dict[str, tuple[int, str]] = {
    Stage.IMBAUAN: (14, Stage.TEGURAN_1),
    Stage.TEGURAN_1: (10, Stage.TEGURAN_2),
    Stage.TEGURAN_2: (30, Stage.REKOMENDASI_SANKSI),
}
#: Cases whose deadline falls within this many days are listed as "segera jatuh tempo".
DUE_SOON_DAYS = 3

STAGE_LABEL = {
    Stage.IMBAUAN: "Imbauan",
    Stage.TEGURAN_1: "Teguran I",
    Stage.TEGURAN_2: "Teguran II",
    Stage.REKOMENDASI_SANKSI: "Rekomendasi sanksi",
    Stage.SELESAI: "Selesai",
}


@dataclass(frozen=True)
class Rule:
    days: int
    next_stage: str


def rules() -> dict[str, Rule]:
    """Escalation rules by stage: the table, else the defaults."""
    found = {k: Rule(days, nxt) for k, (days, nxt) in DEFAULT_RULES.items()}
    for r in EscalationRule.objects.all():
        found[r.stage] = Rule(r.days, r.next_stage)
    return found


def _deadline(
    stage: str, sent: dt.date, printed_days: int, table: dict[str, Rule]
) -> dt.date | None:
    """The letter date plus the rule's days, never before the deadline printed in the letter."""
    rule = table.get(stage)
    if rule is None:
        return None
    return sent + dt.timedelta(days=max(rule.days, printed_days))


# --- letters ---------------------------------------------------------------------------------


def record_letters_sent(letters: Sequence[OutgoingLetter]) -> int:
    """Open or advance the cases of the companies that got ``letters``; returns cases touched.

    A letter moves a case to its stage (a closed case reopens); a letter of a lower stage than
    the case's is recorded in the timeline without moving the case back. A few queries whatever
    the number of letters; one audit summary (bulk writes bypass the per-row signals).
    """
    sent = [(x.company_id, x) for x in letters if x.company_id is not None]
    if not sent:
        return 0
    table = rules()
    batch_ids = {x.batch_id for _, x in sent if x.batch_id is not None}
    printed = dict(
        LetterBatch.objects.filter(pk__in=batch_ids).values_list("pk", "template__deadline_days")
    )
    company_ids = {company_id for company_id, _ in sent}
    kabkota = dict(Company.objects.filter(pk__in=company_ids).values_list("pk", "kabkota_id"))
    cases = {c.company_id: c for c in Case.objects.filter(company_id__in=company_ids)}
    new: dict[int, Case] = {}
    changed: dict[int, Case] = {}
    for company_id, letter in sent:
        stage = letter.kind
        deadline = _deadline(stage, letter.date, printed.get(letter.batch_id or 0) or 0, table)
        case = cases.get(company_id) or new.get(company_id)
        if case is None:
            new[company_id] = Case(
                company_id=company_id,
                kabkota_id=kabkota[company_id],
                stage=stage,
                stage_started=letter.date,
                deadline=deadline,
            )
            continue
        if not case.is_open or STAGE_ORDER[stage] >= STAGE_ORDER[case.stage]:
            case.stage, case.stage_started, case.deadline = stage, letter.date, deadline
            case.deadline_from = None  # counted from the letter again
            case.paused, case.closed_at, case.outcome = False, None, Outcome.NONE
            if case.pk:
                changed[case.pk] = case
    with transaction.atomic():
        Case.objects.bulk_create(new.values(), batch_size=1000)
        Case.objects.bulk_update(
            changed.values(),
            [
                "stage",
                "stage_started",
                "deadline",
                "deadline_from",
                "paused",
                "closed_at",
                "outcome",
            ],
            batch_size=1000,
        )
        by_company = {c.company_id: c for c in Case.objects.filter(company_id__in=company_ids)}
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case=by_company[company_id],
                    kind=CaseEvent.Kind.LETTER_SENT,
                    letter=x,
                    note=f"{x.get_kind_display()} nomor {x.number}",
                    by_id=x.created_by_id,
                )
                for company_id, x in sent
            ],
            batch_size=1000,
        )
        record(
            AuditEntry.Action.UPDATE,
            object_type="compliance.case",
            detail={"surat": len(sent), "kasus_baru": len(new), "kasus_naik": len(changed)},
        )
    return len(new) + len(changed)


# --- responses -------------------------------------------------------------------------------


@transaction.atomic
def record_response(
    case: Case,
    kind: str,
    note: str,
    evidence: UploadedFile | None,
    user: Any,
    *,
    today: dt.date | None = None,
) -> CaseResponse:
    """Record the company's answer and apply it to the case (audited through ``track``)."""
    today = today or timezone.localdate()
    by = user if getattr(user, "pk", None) else None
    response = CaseResponse(case=case, kind=kind, note=note, recorded_by=by)
    if evidence is not None:
        response.evidence = evidence  # type: ignore[assignment]
    response.full_clean(exclude=["case", "recorded_by"])
    response.save()
    text = f"{CaseResponse.Kind(kind).label}. {note}".strip()
    if response.evidence:
        text += f" (bukti: {Path(response.evidence.name or '').name})"
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.RESPONSE, note=text, by=by)
    if kind == CaseResponse.Kind.REGISTERED:
        case.stage, case.deadline, case.paused = Stage.SELESAI, None, False
        case.closed_at, case.outcome, case.status_recheck = timezone.now(), Outcome.REGISTERED, True
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.CLOSED,
            note="Ditutup: perusahaan menyatakan sudah mendaftar; status dihitung ulang "
            "pada data BPJS berikutnya.",
            by=by,
        )
    elif kind == CaseResponse.Kind.PARTIAL:
        rule = rules().get(case.stage)
        case.deadline = today + dt.timedelta(days=rule.days if rule else 14)
        case.deadline_from = today
        case.paused = False
    else:  # keberatan
        case.paused = True
    case.save()
    return response


@transaction.atomic
def resume(case: Case, user: Any, note: str = "") -> Case:
    """End the pause of an objection that was reviewed and rejected."""
    case.paused = False
    case.save(update_fields=["paused"])
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.ESCALATION,
        note=("Keberatan ditinjau, eskalasi dilanjutkan. " + note).strip(),
        by=user if getattr(user, "pk", None) else None,
    )
    return case


# --- next step -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    sentence: str
    next_kind: str | None = None  # the letter to send now, if any
    due: bool = False  # deadline passed: the letter should go now
    overdue_days: int = 0
    waiting: bool = False


def _tanggal(d: dt.date) -> str:
    return d.strftime("%d-%m-%Y")


def next_step(
    case: Case, today: dt.date | None = None, table: dict[str, Rule] | None = None
) -> NextStep:
    """What to do next with ``case`` on ``today``, as an Indonesian sentence."""
    today = today or timezone.localdate()
    table = table if table is not None else rules()
    if not case.is_open:
        return NextStep(
            _("Kasus selesai (%(outcome)s).") % {"outcome": case.get_outcome_display().lower()}
        )
    if case.paused:
        return NextStep(
            _(
                "Eskalasi ditangguhkan: keberatan perusahaan sedang ditinjau. "
                "Lanjutkan eskalasi bila keberatan ditolak."
            ),
            waiting=True,
        )
    rule = table.get(case.stage)
    stage = STAGE_LABEL[Stage(case.stage)]
    if rule is None or case.deadline is None:
        return NextStep(
            _(
                "%(stage)s sudah dikirim: pantau tindak lanjut penghentian layanan publik melalui "
                "DPMPTSP (Permenaker 4/2018), lalu tutup kasus bila perusahaan mendaftar."
            )
            % {"stage": stage}
        )
    nxt = STAGE_LABEL[Stage(rule.next_stage)]
    since = case.deadline_from or case.stage_started
    days = (case.deadline - since).days if since else rule.days
    if case.deadline_from is not None:
        head = _("Batas waktu baru %(days)s hari sejak tanggapan sebagian atas %(stage)s") % {
            "days": days,
            "stage": stage,
        }
    else:
        head = _("Batas waktu %(days)s hari sejak %(stage)s") % {"days": days, "stage": stage}
    late = (today - case.deadline).days
    if late > 0:
        return NextStep(
            _("%(head)s lewat %(late)s hari: kirim %(next)s")
            % {"head": head, "late": late, "next": nxt},
            next_kind=rule.next_stage,
            due=True,
            overdue_days=late,
        )
    if late == 0:
        return NextStep(
            _(
                "%(head)s berakhir hari ini (%(date)s): kirim %(next)s mulai besok "
                "bila belum ada tanggapan"
            )
            % {"head": head, "date": _tanggal(case.deadline), "next": nxt},
            next_kind=rule.next_stage,
            waiting=True,
        )
    return NextStep(
        _(
            "%(head)s berakhir %(date)s (sisa %(left)s hari): tunggu tanggapan, "
            "lalu kirim %(next)s bila tidak dipenuhi"
        )
        % {"head": head, "date": _tanggal(case.deadline), "left": -late, "next": nxt},
        next_kind=rule.next_stage,
        waiting=True,
    )


@dataclass(frozen=True)
class FollowUp:
    case: Case
    step: NextStep


def open_cases(user: Any) -> QuerySet[Case]:
    return scoped(user, Case.objects.exclude(stage=Stage.SELESAI)).select_related(
        "company", "kabkota"
    )


def follow_up_list(user: Any, today: dt.date | None = None, *, kabkota: str = "") -> list[FollowUp]:
    """Open cases due (deadline within ``DUE_SOON_DAYS``), overdue or paused, in the user's
    scope; overdue first (oldest deadline first), paused objections last."""
    today = today or timezone.localdate()
    qs = open_cases(user)
    if kabkota:
        qs = qs.filter(kabkota_id=kabkota)
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    table = rules()
    active = qs.filter(paused=False, deadline__lte=soon).order_by("deadline", "company__name_key")
    paused = qs.filter(paused=True).order_by("deadline", "company__name_key")
    return [FollowUp(c, next_step(c, today, table)) for c in (*active, *paused)]
