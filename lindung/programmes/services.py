"""Programme services: cost and capacity, selection saved or compared, replacement, renewal.

Pages, the CLI and other apps (enrolment) call these functions; every one of them reaches the
selection through :func:`evaluate`, so a scenario, the saved list, a replacement and the "why"
page of one worker always apply the same rules to the same data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.db.models import PROTECT, Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lindung.accounts.access import Capability, can, region_code
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.core.formats import long_date, rupiah, thousands
from lindung.matching.models import COVERED, CoverageStatus
from lindung.programmes.models import (
    HOLDING,
    Beneficiary,
    BeneficiaryStatus,
    ExitReason,
    Programme,
    ProgrammeStatus,
    QuotaMode,
    Scenario,
)
from lindung.programmes.selection import (
    DEFAULT_PRIORITIES,
    OUT_LABELS,
    Out,
    Rules,
    Selection,
    holdings_frame,
    load_candidates,
    select,
)
from lindung.regions.models import Region
from lindung.registry.models import Worker
from lindung.subsidy.premiums import (
    BpuRules,
    PremiumError,
    ProgrammeCost,
    add_months,
    programme_cost,
)

#: Budgets above this are typing mistakes (Kaltim's whole APBD is about Rp 20 triliun).
MAX_BUDGET = 10_000_000_000_000
BULK = 2_000


class ProgrammeError(ValueError):
    """A request that cannot be carried out; the message is shown to users (active language)."""


# --- who sees which programme ------------------------------------------------------------------


def programmes_for(user: Any) -> QuerySet[Programme]:
    """The programmes ``user`` may see; pages, the API, the dashboard and reports all ask here.

    A province-wide role sees every programme. A kab/kota operator sees those that target
    their kab/kota or the whole province (no target), never one aimed only at another kab/kota:
    its beneficiaries, quotas and budget are another region's business. ``Exists`` rather than
    a join on the targets, so a programme with several targets is one row and counts annotated
    on it are not multiplied.
    """
    if not can(user, Capability.VIEW_PROGRAMMES):
        return Programme.objects.none()
    code = region_code(user)
    if code is None:
        return Programme.objects.all()
    targets = Programme.target_regions.through.objects
    aimed = Exists(targets.filter(programme_id=OuterRef("pk")))
    aimed_here = Exists(targets.filter(programme_id=OuterRef("pk"), region_id=code))
    return Programme.objects.filter(~aimed | aimed_here)


def with_people(programmes: QuerySet[Programme], user: Any) -> QuerySet[Programme]:
    """Annotate ``people``: beneficiaries holding a place (an operator: in their kab/kota)."""
    holding = Q(beneficiaries__status__in=HOLDING)
    code = region_code(user)
    if code is not None:
        holding &= Q(beneficiaries__kabkota_id=code)
    return programmes.annotate(people=Count("beneficiaries", filter=holding))


# --- parameters, cost and capacity ------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    """Everything that decides a programme's cost and its beneficiaries (a scenario varies it)."""

    budget: int
    months: int
    period_start: dt.date
    package: str
    declared_income: int
    payer: str
    min_age: int = 18
    max_age: int = 65
    targets: tuple[str, ...] = ()
    occupations: tuple[str, ...] = ()
    max_poverty_decile: int | None = None
    max_income: int | None = None
    priorities: tuple[str, ...] = DEFAULT_PRIORITIES
    priority_occupations: tuple[str, ...] = ()
    quota_mode: str = QuotaMode.PROPORTIONAL
    quotas: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, programme: Programme, **changes: Any) -> Params:
        targets = tuple(sorted(programme.target_regions.values_list("code", flat=True)))
        base = cls(
            budget=programme.budget,
            months=programme.months,
            period_start=programme.period_start,
            package=programme.package,
            declared_income=programme.declared_income,
            payer=programme.payer,
            min_age=programme.min_age,
            max_age=programme.max_age,
            targets=targets,
            occupations=tuple(programme.occupations),
            max_poverty_decile=programme.max_poverty_decile,
            max_income=programme.max_income,
            priorities=tuple(programme.priorities),
            priority_occupations=tuple(programme.priority_occupations),
            quota_mode=programme.quota_mode,
            quotas=dict(programme.quotas),
        )
        return dataclasses.replace(base, **changes)

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["period_start"] = self.period_start.isoformat()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Params:
        values = dict(data)
        values["period_start"] = dt.date.fromisoformat(values["period_start"])
        for name in ("targets", "occupations", "priorities", "priority_occupations"):
            values[name] = tuple(values.get(name) or ())
        return cls(**values)

    @property
    def period_end(self) -> dt.date:
        return add_months(self.period_start, self.months) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Cost:
    monthly: int  # premium per person for the first month
    per_person: int  # for the whole period (month by month, rules may change)
    capacity: int  # people the budget pays for the whole period
    explanation: str


def cost(params: Params) -> Cost:
    """Premium per person and how many people the budget pays for (the one calculator).

    The explanation prices the whole capacity ("14.880 peserta × 12 bulan … total
    Rp 2.999.808.000"), so the small print adds up to the budget the reader typed in.
    """
    rules = BpuRules()

    def priced(people: int) -> ProgrammeCost:
        return programme_cost(
            people,
            params.months,
            params.package.split(","),
            params.declared_income,
            on=params.period_start,
            payer=params.payer,
            rules=rules,
        )

    try:
        one = priced(1)
        capacity = params.budget // one.per_person if one.per_person else 0
        explanation = priced(capacity).explanation if capacity else one.explanation
    except PremiumError as error:
        raise ProgrammeError(str(error)) from error
    return Cost(one.monthly[0].total, one.per_person, capacity, explanation)


def kabkota_names() -> dict[str, str]:
    return dict(
        Region.objects.filter(level=Region.Level.KABKOTA, code__startswith="64.").values_list(
            "code", "name"
        )
    )


def rules_for(params: Params, seed: int, capacity: int) -> Rules:
    manual = params.quotas if params.quota_mode == QuotaMode.MANUAL else None
    return Rules(
        seed=seed,
        as_of=params.period_start,
        capacity=capacity,
        min_age=params.min_age,
        max_age=params.max_age,
        targets=frozenset(params.targets),
        occupations=frozenset(params.occupations),
        max_poverty_decile=params.max_poverty_decile,
        max_income=params.max_income,
        priorities=params.priorities,
        priority_occupations=frozenset(params.priority_occupations),
        manual_quotas={k: int(v) for k, v in manual.items()} if manual is not None else None,
        region_names=kabkota_names(),
    )


def overlapping(start: dt.date, end: dt.date, exclude: int | None = None) -> list[Programme]:
    """Programmes whose period shares at least one day with ``start``–``end``."""
    found = Programme.objects.filter(period_start__lte=end)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return [p for p in found if p.overlaps(start, end)]


def holdings(params: Params, exclude: int | None) -> pl.DataFrame:
    """People holding a place in another programme whose period overlaps (never pay twice)."""
    others = overlapping(params.period_start, params.period_end, exclude)
    rows = (
        Beneficiary.objects.filter(programme__in=others, status__in=HOLDING)
        .order_by("programme_id")
        .values_list("person_key", "programme__name")
    )
    return holdings_frame(rows.iterator(chunk_size=50_000))


@dataclass(frozen=True)
class Evaluation:
    params: Params
    cost: Cost
    selection: Selection

    @property
    def total_cost(self) -> int:
        return self.selection.selected_count * self.cost.per_person

    @property
    def leftover(self) -> int:
        return self.params.budget - self.total_cost


def evaluate(
    programme: Programme,
    params: Params | None = None,
    *,
    candidates: pl.DataFrame | None = None,
    already_in: Iterable[str] = (),
    pinned: int = 0,
) -> Evaluation:
    """Run the selection for ``programme`` (or a variant of its ``params``); nothing is saved.

    ``pinned`` places are taken already (carried-over beneficiaries): the budget's capacity
    less those is shared by the quotas.
    """
    params = params or Params.of(programme)
    price = cost(params)
    rules = rules_for(params, programme.pk or 0, max(0, price.capacity - pinned))
    frame = candidates if candidates is not None else load_candidates()
    chosen = select(frame, rules, held=holdings(params, programme.pk), already_in=already_in)
    return Evaluation(params, price, chosen)


# --- summaries for pages, scenarios and briefs ------------------------------------------------


def region_table(evaluation: Evaluation, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Per kab/kota: people proposed, covered before, eligible, quota, selected, rates."""
    frame = evaluation.selection.frame
    gone = pl.col("out_code").is_in([Out.REJECTED, Out.INACTIVE]).fill_null(False)
    active = frame.filter(~gone)
    people = active.group_by("kabkota_id").agg(
        pl.col("person_key").n_unique().alias("people"),
        pl.col("person_key")
        .filter(pl.col("coverage").is_in([s.value for s in COVERED]))
        .n_unique()
        .alias("covered"),
    )
    quotas = {r["kabkota_id"]: r for r in evaluation.selection.quotas.iter_rows(named=True)}
    rows = []
    for row in people.sort("kabkota_id").iter_rows(named=True):
        code = row["kabkota_id"]
        q = quotas.get(code, {"eligible": 0, "quota": 0, "selected": 0})
        persons, covered = row["people"], row["covered"]
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "people": persons,
                "covered_before": covered,
                "eligible": q["eligible"],
                "quota": q["quota"],
                "selected": q["selected"],
                "cost": q["selected"] * evaluation.cost.per_person,
                "rate_before": round(100 * covered / persons, 1) if persons else 0.0,
                "rate_after": round(100 * (covered + q["selected"]) / persons, 1)
                if persons
                else 0.0,
            }
        )
    return rows


def summary(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluated figures as JSON: what a scenario stores and a brief prints."""
    names = kabkota_names()
    chosen = evaluation.selection
    return {
        "params": evaluation.params.as_json(),
        "premium_monthly": evaluation.cost.monthly,
        "per_person": evaluation.cost.per_person,
        "capacity": evaluation.cost.capacity,
        "cost_explanation": evaluation.cost.explanation,
        "eligible": int(chosen.quotas["eligible"].sum()),
        "selected": chosen.selected_count,
        "total_cost": evaluation.total_cost,
        "leftover": evaluation.leftover,
        "out_counts": chosen.out_counts(),
        "regions": region_table(evaluation, names),
        "evaluated_at": timezone.now().isoformat(),
    }


def _sentence_case(label: str) -> str:
    """``Sudah terlindungi BPJS TK`` → ``sudah terlindungi BPJS TK`` (acronyms kept)."""
    return label[:1].lower() + label[1:]


def nobody_message(evaluation: Evaluation) -> str:
    """Why a set of rules selects nobody: the three commonest reasons, with counts."""
    counts = sorted(evaluation.selection.out_counts().items(), key=lambda kv: -kv[1])[:3]
    parts = [f"{thousands(n)} {_sentence_case(str(OUT_LABELS[code]))}" for code, n in counts]
    if not parts:
        return _("Aturan ini tidak memilih siapa pun: registri belum berisi pekerja.")
    return _("Aturan ini tidak memilih siapa pun: %(reasons)s.") % {"reasons": "; ".join(parts)}


# --- saving a selection -----------------------------------------------------------------------

_SENT_OR_LATER = (
    BeneficiaryStatus.SENT,
    BeneficiaryStatus.REGISTERED,
    BeneficiaryStatus.REJECTED,
    BeneficiaryStatus.ENDED,
)


def _refuse_if_referenced(rows: QuerySet[Beneficiary]) -> None:
    """Refuse to drop rows another app protects (e.g. already written into a batch file)."""
    for relation in Beneficiary._meta.related_objects:
        if relation.on_delete is not PROTECT:
            continue
        lookup = {f"{relation.field.name}__in": rows}
        if relation.related_model._default_manager.filter(**lookup).exists():
            raise ProgrammeError(
                _("Pemilihan tidak dapat diulang: sebagian penerima sudah masuk berkas %(file)s.")
                % {"file": relation.related_model._meta.verbose_name}
            )


def _beneficiary_rows(
    programme: Programme, chosen: Selection, frame: pl.DataFrame, *, prefix: str = ""
) -> list[Beneficiary]:
    with translation.override(settings.LANGUAGE_CODE):  # stored: the records' language
        texts = chosen.with_reasons(frame)
    return [
        Beneficiary(
            programme=programme,
            worker_id=row["worker_id"],
            person_key=row["person_key"],
            kabkota_id=row["kabkota_id"],
            rank=row["rank"],
            reason=(prefix + row["reason"])[:255],
            coverage_start=programme.period_start,
            coverage_end=programme.period_end,
        )
        for row in texts.iter_rows(named=True)
    ]


@dataclass(frozen=True)
class Saved:
    selected: int
    removed: int
    summary: dict[str, Any]


def save_selection(programme: Programme, user: Any) -> Saved:
    """Choose and store the beneficiaries, replacing a previous selection not yet sent.

    Carried-over beneficiaries (a renewal) keep their places. One transaction, bulk insert, one
    audit entry with the counts (not one per person).
    """
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        existing = Beneficiary.objects.filter(programme=programme)
        if existing.filter(status__in=_SENT_OR_LATER).exists():
            raise ProgrammeError(
                _(
                    "Pemilihan tidak dapat diulang: sebagian penerima sudah dikirim ke BPJS. "
                    "Gunakan penggantian untuk penerima yang keluar."
                )
            )
        pinned = existing.filter(carried_over=True, status=BeneficiaryStatus.SELECTED)
        pinned_keys = list(pinned.values_list("person_key", flat=True))
        evaluation = evaluate(programme, already_in=pinned_keys, pinned=len(pinned_keys))
        chosen = evaluation.selection
        if chosen.selected_count == 0 and not pinned_keys:
            raise ProgrammeError(nobody_message(evaluation))
        dropped = existing.exclude(pk__in=pinned.values("pk"))
        _refuse_if_referenced(dropped)
        removed = dropped._raw_delete(dropped.db)  # bulk: one audited entry below, not per row
        rows = _beneficiary_rows(programme, chosen, chosen.selected)
        Beneficiary.objects.bulk_create(rows, batch_size=BULK)
        data = summary(evaluation)
        data["carried_over"] = len(pinned_keys)
        programme.selection = data
        programme.status = ProgrammeStatus.SELECTED
        programme.save(update_fields=["selection", "status", "updated_at"])
        record(
            AuditEntry.Action.UPDATE,
            programme,
            detail={
                "pemilihan_penerima": {
                    "terpilih": len(rows),
                    "dipertahankan": len(pinned_keys),
                    "dihapus": removed,
                    "kapasitas": evaluation.cost.capacity,
                    "biaya": evaluation.total_cost,
                    "alasan_tidak_terpilih": data["out_counts"],
                }
            },
        )
    return Saved(len(rows), removed, data)


# --- one worker: why in or out ----------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    programme: Programme
    selected: bool
    code: str | None
    label: str
    text: str
    beneficiary: Beneficiary | None


def explain(programme: Programme, worker: Worker) -> Explanation:
    """Why ``worker`` is in or out of ``programme``, under the programme's rules today.

    A stored beneficiary answers with its stored reason (what was decided then); anyone else is
    evaluated now, with the same function that selected the others.
    """
    stored = Beneficiary.objects.filter(programme=programme, worker=worker).order_by("-pk").first()
    if stored is not None and stored.status in HOLDING:
        return Explanation(
            programme, True, None, str(stored.get_status_display()), stored.reason, stored
        )
    # Alone first: most reasons need no one else. Ranks, quotas and duplicates need everyone,
    # evaluated as the saved selection was (without its own beneficiaries set aside).
    alone = load_candidates(Worker.objects.filter(pk=worker.pk))
    row = evaluate(programme, candidates=alone).selection.of_worker(worker.pk)
    if row is not None and row["out_code"] is None:
        row = evaluate(programme).selection.of_worker(worker.pk)
    assert row is not None
    if stored is not None:
        text = _("%(status)s: %(reason)s") % {
            "status": stored.get_status_display(),
            "reason": stored.reason,
        }
        if stored.exit_reason:
            text = _("%(text)s (keluar: %(exit)s)") % {
                "text": text,
                "exit": stored.get_exit_reason_display(),
            }
        return Explanation(
            programme, False, "tercatat", str(stored.get_status_display()), text, stored
        )
    code = str(row["out_code"]) if row["out_code"] is not None else None
    if code is None:  # in by today's data, but not in the saved list: the data changed since
        text = _("%(reason)s — memenuhi syarat, belum ada di daftar tersimpan") % {
            "reason": row["reason"]
        }
        return Explanation(programme, False, None, _("Memenuhi syarat"), text, None)
    return Explanation(programme, False, code, str(OUT_LABELS[code]), str(row["reason"]), None)


def out_rows(programme: Programme, code: str, kabkota: str | None) -> pl.DataFrame:
    """Candidates out of ``programme`` for reason ``code`` (optionally in one kab/kota)."""
    evaluation = evaluate(programme)
    frame = evaluation.selection.frame.filter(pl.col("out_code") == code)
    if kabkota:
        frame = frame.filter(pl.col("kabkota_id") == kabkota)
    return evaluation.selection.with_reasons(frame.sort("kabkota_id", "rank", "worker_id"))


# --- replacement ------------------------------------------------------------------------------


def first_month_after(day: dt.date) -> dt.date:
    return add_months(dt.date(day.year, day.month, 1), 1)


@dataclass(frozen=True)
class Replacement:
    exited: Beneficiary
    successor: Beneficiary | None
    months: int
    freed: int
    message: str


def replace(
    beneficiary: Beneficiary, exit_reason: str, user: Any, *, on: dt.date | None = None
) -> Replacement:
    """Mark a beneficiary as exited and offer their remaining months to the next in line.

    The next in line is chosen by the programme's own rules, in the same kab/kota first (its
    quota), then anywhere. The freed budget is the premium of the months left from the month
    after ``on`` to the end of the period; the successor is covered for exactly those months.
    """
    if exit_reason not in ExitReason.values:
        raise ProgrammeError(
            _("Alasan keluar tidak dikenal: %(reason)s.") % {"reason": exit_reason}
        )
    on = on or timezone.localdate()
    with transaction.atomic():
        old = (
            Beneficiary.objects.select_for_update()
            .select_related("programme")
            .get(pk=beneficiary.pk)
        )
        if old.status not in HOLDING:
            raise ProgrammeError(
                _("Penerima ini berstatus «%(status)s»: tidak dapat diganti.")
                % {"status": old.get_status_display()}
            )
        programme = old.programme
        start = max(programme.period_start, first_month_after(on))
        months = max(
            0,
            (programme.period_end.year - start.year) * 12
            + programme.period_end.month
            - start.month
            + 1,
        )
        old.status = BeneficiaryStatus.REPLACED
        old.exit_reason = exit_reason
        old.coverage_end = min(programme.period_end, start - dt.timedelta(days=1))
        old.save()
        successor = None
        freed = 0
        if months > 0:
            params = Params.of(programme)
            freed = programme_cost(
                1, months, params.package.split(","), params.declared_income,
                on=start, payer=params.payer,
            ).total  # fmt: skip
            with translation.override(settings.LANGUAGE_CODE):  # its stored reason
                successor = _next_in_line(programme, old, start)
        with translation.override(settings.LANGUAGE_CODE):
            note = _replacement_message(old, successor, months, freed)
        record(
            AuditEntry.Action.UPDATE,
            programme,
            detail={
                "penggantian": {
                    "keluar": old.pk,
                    "alasan": exit_reason,
                    "pengganti": successor.pk if successor else None,
                    "bulan_tersisa": months,
                    "anggaran_dibebaskan": freed,
                },
                "catatan": note,
            },
        )
    return Replacement(
        old, successor, months, freed, _replacement_message(old, successor, months, freed)
    )


def _next_in_line(programme: Programme, old: Beneficiary, start: dt.date) -> Beneficiary | None:
    taken = list(
        Beneficiary.objects.filter(programme=programme).values_list("person_key", flat=True)
    )
    evaluation = evaluate(programme, already_in=taken)
    frame = evaluation.selection.frame
    waiting = frame.filter(pl.col("out_code").is_null() | (pl.col("out_code") == Out.QUOTA))
    if waiting.is_empty():
        return None
    waiting = waiting.with_columns((pl.col("kabkota_id") != old.kabkota_id).alias("_elsewhere"))
    row = waiting.sort("_elsewhere", "rank", "overall_rank").head(1)
    texts = evaluation.selection.with_reasons(
        row.with_columns(pl.lit(None, pl.String).alias("out_code"))
    )
    data = texts.row(0, named=True)
    name = old.worker.name
    successor = Beneficiary(
        programme=programme,
        worker_id=data["worker_id"],
        person_key=data["person_key"],
        kabkota_id=data["kabkota_id"],
        rank=data["rank"],
        reason=(
            _("pengganti %(name)s (%(exit)s): %(reason)s")
            % {
                "name": name,
                "exit": old.get_exit_reason_display().lower(),
                "reason": data["reason"],
            }
        )[:255],
        coverage_start=start,
        coverage_end=programme.period_end,
        replaces=old,
    )
    successor.save()
    return successor


def _replacement_message(
    old: Beneficiary, successor: Beneficiary | None, months: int, freed: int
) -> str:
    """What happened, for the user (active language) and the audit note (Indonesian)."""
    facts = {
        "name": old.worker.name,
        "exit": old.get_exit_reason_display().lower(),
        "months": months,
        "freed": rupiah(freed),
    }
    if months == 0:
        return (
            _(
                "%(name)s keluar (%(exit)s); periode program sudah habis, tidak ada anggaran "
                "yang dibebaskan."
            )
            % facts
        )
    if successor is None:
        return (
            _(
                "%(name)s keluar (%(exit)s); %(months)s bulan tersisa (%(freed)s) dibebaskan, "
                "tetapi tidak ada lagi calon yang memenuhi syarat."
            )
            % facts
        )
    return _(
        "%(name)s keluar (%(exit)s); %(months)s bulan tersisa (%(freed)s) ditawarkan kepada "
        "%(successor)s mulai %(start)s."
    ) % {
        **facts,
        "successor": successor.worker.name,
        "start": long_date(successor.coverage_start or dt.date.min),
    }


# --- renewal ----------------------------------------------------------------------------------


def renew(programme: Programme, user: Any) -> Programme:
    """The next-period programme with the same parameters, carrying over still-eligible people.

    Registered beneficiaries who still meet the rules on the new start date keep their place
    (their BPJS membership paid by this programme does not count as "already covered"); the
    others are listed in ``selection["not_carried"]`` with their reason. Places left over are
    filled by running the selection on the new programme.
    """
    start = add_months(programme.period_start, programme.months)
    with transaction.atomic():
        earlier = Programme.objects.select_for_update().filter(selection__renewed_from=programme.pk)
        if earlier.exists():
            raise ProgrammeError(
                _(
                    "Program ini sudah diperpanjang menjadi «%(name)s»: tidak dapat diperpanjang "
                    "dua kali."
                )
                % {"name": earlier[0].name}
            )
        new = Programme.objects.get(pk=programme.pk)
        new.pk = None
        new.id = None
        new.name = f"{programme.name} — lanjutan {start.year}"[:200]
        new.period_start = start
        new.status = ProgrammeStatus.DRAFT
        new.selection = {}
        new.created_by = user if getattr(user, "pk", None) else None
        new.save()
        new.target_regions.set(programme.target_regions.all())
        registered = list(
            Beneficiary.objects.filter(
                programme=programme, status=BeneficiaryStatus.REGISTERED
            ).select_related("worker")
        )
        with translation.override(settings.LANGUAGE_CODE):  # reasons are stored
            carried, not_carried = _carry_over(new, programme, registered)
        new.selection = {
            "carried_over": len(carried),
            "not_carried": not_carried,
            "renewed_from": programme.pk,
        }
        new.save(update_fields=["selection"])
        record(
            AuditEntry.Action.CREATE,
            new,
            detail={
                "perpanjangan": {
                    "dari_program": programme.pk,
                    "diperpanjang": len(carried),
                    "tidak_diperpanjang": len(not_carried),
                }
            },
        )
    return new


def _carry_over(
    new: Programme, old: Programme, registered: list[Beneficiary]
) -> tuple[list[Beneficiary], list[dict[str, Any]]]:
    if not registered:
        return [], []
    keys = {b.person_key for b in registered}
    candidates = load_candidates(Worker.objects.filter(pk__in=[b.worker_id for b in registered]))
    # Their membership is the old programme's own: not a reason to stop paying for them.
    candidates = candidates.with_columns(
        pl.when(pl.col("coverage") == CoverageStatus.BPU_PROGRAM.value)
        .then(pl.lit(CoverageStatus.BELUM.value))
        .otherwise(pl.col("coverage"))
        .alias("coverage")
    )
    evaluation = evaluate(new, candidates=candidates)
    price = evaluation.cost
    frame = evaluation.selection.frame
    ok = frame.filter(pl.col("out_code").is_null() | (pl.col("out_code") == Out.QUOTA))
    ok = ok.filter(pl.col("person_key").is_in(sorted(keys))).sort("overall_rank")
    places = ok.head(price.capacity)
    by_worker = {b.worker_id: b for b in registered}
    rows = [
        Beneficiary(
            programme=new,
            worker_id=row["worker_id"],
            person_key=row["person_key"],
            kabkota_id=row["kabkota_id"],
            rank=i,
            reason=(
                _("diperpanjang dari «%(programme)s» (KPJ %(kpj)s)")
                % {
                    "programme": old.name,
                    "kpj": by_worker[row["worker_id"]].participant_number or "-",
                }
            )[:255],
            coverage_start=new.period_start,
            coverage_end=new.period_end,
            carried_over=True,
        )
        for i, row in enumerate(places.iter_rows(named=True), start=1)
    ]
    Beneficiary.objects.bulk_create(rows, batch_size=BULK)
    carried_ids = {r.worker_id for r in rows}
    texts = evaluation.selection.with_reasons(
        frame.filter(~pl.col("worker_id").is_in(sorted(carried_ids)))
    )
    not_carried = []
    for row in texts.iter_rows(named=True):
        why = (
            row["reason"]
            if row["out_code"] not in (None, Out.QUOTA)
            else _("anggaran periode baru tidak cukup untuk semua penerima lama")
        )
        worker = by_worker[row["worker_id"]].worker
        not_carried.append({"worker_id": worker.pk, "name": worker.name, "reason": why})
    return rows, not_carried


# --- scenarios and programme edits ------------------------------------------------------------


def add_scenario(programme: Programme, name: str, params: Params, user: Any) -> Scenario:
    """Evaluate a variant and keep its figures (nothing is saved as beneficiaries)."""
    result = summary(evaluate(programme, params))
    with transaction.atomic():
        scenario = Scenario.objects.create(
            programme=programme,
            name=name,
            params=params.as_json(),
            result=result,
            evaluated_at=timezone.now(),
            created_by=user if getattr(user, "pk", None) else None,
        )
        record(
            AuditEntry.Action.CREATE,
            scenario,
            detail={
                "skenario": {
                    "anggaran": params.budget,
                    "bulan": params.months,
                    "terpilih": result["selected"],
                    "biaya": result["total_cost"],
                }
            },
        )
    return scenario


def can_change(programme: Programme) -> bool:
    """Parameters may change until someone was sent to BPJS (then: replacement or renewal)."""
    return not programme.beneficiaries.filter(status__in=_SENT_OR_LATER).exists()


def clear_selection(programme: Programme) -> int:
    """Drop an unsent selection after the parameters changed (it no longer follows the rules)."""
    rows = Beneficiary.objects.filter(programme=programme)
    _refuse_if_referenced(rows)
    removed = rows._raw_delete(rows.db)
    if removed or programme.status == ProgrammeStatus.SELECTED:
        programme.status = ProgrammeStatus.DRAFT
        programme.selection = {}
        programme.save(update_fields=["status", "selection", "updated_at"])
        record(AuditEntry.Action.UPDATE, programme, detail={"pemilihan_dihapus": removed})
    return removed


def delete_scenario(scenario: Scenario) -> None:
    with transaction.atomic():
        record(AuditEntry.Action.DELETE, scenario, detail={"skenario": scenario.name})
        scenario.delete()
