"""The one premium calculator: BPU premiums, PU contributions and programme budgets.

Every figure comes from the versioned rules in :mod:`lindung.subsidy.models`; nothing here
knows a rate. Amounts are integer rupiah computed with :class:`~decimal.Decimal`.

Rounding rule (``ROUNDING``): each programme's share is rounded to the nearest rupiah, half up
(``ROUND_HALF_UP``), before it is added to a total; a discount is rounded the same way and
subtracted from the rounded programme amount. Published BPJS figures are whole rupiah, so the
rule only matters for odd wages (e.g. 1% of Rp 10.547.450 = Rp 105.474,50 → Rp 105.475).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lindung.core.formats import long_date as tanggal
from lindung.core.formats import rupiah, thousands
from lindung.subsidy.models import (
    Benefit,
    BpuRate,
    Discount,
    Payer,
    Programme,
    PuRate,
    RuleSet,
    Sector,
)

ROUNDING = gettext_noop("pembulatan ke rupiah terdekat, setengah ke atas, per program")
DEFAULT_PACKAGE = frozenset({"JKK", "JKM"})
JKM_DEATH_BENEFIT = "jkm-santunan-kematian"


class PremiumError(ValueError):
    """A request the rules cannot answer; the message is Indonesian and shown to users."""


class RuleNotInForce(PremiumError):
    """No version of the rules of a segment is in force on the requested date."""


def _percent(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",") + "%"


def round_rupiah(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _share(basis: int, percent: Decimal) -> int:
    return round_rupiah(Decimal(basis) * percent / Decimal(100))


def _codes(programmes: Iterable[str]) -> list[str]:
    if isinstance(programmes, str):
        programmes = programmes.split(",")
    codes = sorted({p.strip().upper() for p in programmes if p.strip()}, key=_programme_order)
    unknown = [c for c in codes if c not in Programme.values]
    if unknown:
        raise PremiumError(_("Program tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)})
    return codes


def _programme_order(code: str) -> int:
    values = list(Programme.values)
    return values.index(code) if code in values else len(values)


def rule_set_in_force(segment: str, on: dt.date) -> RuleSet:
    """The version of ``segment``'s rules in force on ``on``: the latest start wins."""
    if isinstance(on, dt.datetime):
        on = on.date()
    found = (
        RuleSet.objects.in_force(on)
        .filter(segment=segment)
        .order_by("-effective_from", "-pk")
        .first()
    )
    if found is None:
        raise _not_in_force(segment, on)
    return found


def _not_in_force(segment: str, on: dt.date) -> RuleNotInForce:
    return RuleNotInForce(
        _(
            "Tidak ada aturan iuran %(segment)s yang berlaku pada %(date)s. "
            "Tambahkan versi aturan melalui Admin → Aturan iuran dan subsidi."
        )
        % {"segment": segment, "date": tanggal(on)}
    )


class BpuRules:
    """Every version of the BPU rules with its tiers, rates and discounts, read in four queries.

    Pricing a budget asks for the rules of each month, and a dashboard prices every programme:
    reading the tables once per call, instead of four queries per month, keeps that to a
    constant number of queries. The choice of version is :func:`rule_set_in_force`'s (the
    latest start among the versions whose window holds the day).
    """

    @cached_property
    def versions(self) -> list[RuleSet]:
        """Read on first use, so a caller may make one without knowing it will price anything."""
        return list(
            RuleSet.objects.filter(segment="BPU")
            .prefetch_related("tiers", "bpu_rates", "discounts")
            .order_by("-effective_from", "-pk")
        )

    def in_force(self, on: dt.date) -> RuleSet:
        if isinstance(on, dt.datetime):
            on = on.date()
        for version in self.versions:
            if version.effective_from <= on and (
                version.effective_to is None or version.effective_to >= on
            ):
                return version
        raise _not_in_force("BPU", on)


# --------------------------------------------------------------------------------------------
# BPU


@dataclass(frozen=True)
class PremiumLine:
    programme: str
    rate: str  # e.g. "1% × Rp 1.000.000" or "tetap"
    base: int  # before any discount
    discount: int
    amount: int  # what is paid
    discount_name: str = ""


@dataclass(frozen=True)
class Premium:
    """One BPU participant's premium for one month."""

    declared_income: int
    tier_income: int
    on: dt.date
    payer: str
    sector: str | None
    lines: tuple[PremiumLine, ...]
    total: int
    rule_set_id: int
    rule_set_name: str
    legal_basis: str
    explanation: str

    @property
    def by_programme(self) -> dict[str, int]:
        return {line.programme: line.amount for line in self.lines}

    def amount(self, programme: str) -> int:
        return self.by_programme.get(programme.upper(), 0)


def _tier(rule_set: RuleSet, income: int) -> tuple[int, str]:
    tiers = sorted(t.income for t in rule_set.tiers.all())  # prefetched by BpuRules
    tier = next((t for t in tiers if t >= income), None)
    if tier is not None:
        if tier == income:
            return tier, ""
        return tier, _("Penghasilan dilaporkan %(income)s dibulatkan ke atas ke tier %(tier)s.") % {
            "income": rupiah(income),
            "tier": rupiah(tier),
        }
    top = tiers[-1] if tiers else None
    if top is None:
        raise PremiumError(
            _("Aturan «%(rules)s» belum punya tabel tier penghasilan BPU.")
            % {"rules": rule_set.name}
        )
    return top, _(
        "Penghasilan dilaporkan %(income)s melebihi tier tertinggi; "
        "dihitung pada tier tertinggi %(tier)s."
    ) % {"income": rupiah(income), "tier": rupiah(top)}


def _discounts_for(rule_set: RuleSet, on: dt.date, sector: str | None) -> list[Discount]:
    """Discounts in their window on ``on`` for ``sector`` (a sector row beats the blank row)."""
    wanted = sector or Sector.OTHER
    groups: dict[str, list[Discount]] = defaultdict(list)
    for discount in rule_set.discounts.all():
        groups[discount.name].append(discount)
    found: list[Discount] = []
    for group in groups.values():
        specific = [d for d in group if d.sector == wanted]
        rows = specific or [d for d in group if not d.sector]
        found += [d for d in rows if d.valid_from <= on <= d.valid_to]
    return found


def _payer_label(payer: str) -> str:
    return str(Payer(payer).label)


def bpu_premium(
    declared_income: int,
    *,
    on: dt.date,
    package: Iterable[str] = DEFAULT_PACKAGE,
    payer: str = Payer.GOVERNMENT,
    sector: str | None = None,
    rules: BpuRules | None = None,
) -> Premium:
    """The monthly premium of one BPU participant declaring ``declared_income``.

    Income is snapped UP to the next tier of the rule set's table (above the top tier: the top
    tier). ``payer`` decides whether a discount applies (PP 50/2025 excludes APBN/APBD-paid
    participants); ``sector`` picks the discount window (``None`` = other sectors). ``rules``
    are the rules already read (many premiums in one call); by default they are read here.
    """
    if declared_income < 0:
        raise PremiumError(_("Penghasilan dilaporkan tidak boleh negatif."))
    if payer not in Payer.values:
        raise PremiumError(_("Pembayar tidak dikenal: %(payer)s.") % {"payer": payer})
    if sector is not None and sector not in Sector.values:
        raise PremiumError(_("Sektor tidak dikenal: %(sector)s.") % {"sector": sector})
    codes = _codes(package)
    rule_set = (rules or BpuRules()).in_force(on)
    rates: dict[str, BpuRate] = {r.programme: r for r in rule_set.bpu_rates.all()}
    unavailable = [c for c in codes if c not in rates]
    if unavailable:
        raise PremiumError(
            _("Program %(codes)s tidak tersedia untuk peserta BPU menurut aturan «%(rules)s».")
            % {"codes": ", ".join(unavailable), "rules": rule_set.name}
        )
    missing = [c for c in sorted(rates, key=_programme_order) if rates[c].mandatory]
    missing = [c for c in missing if c not in codes]
    if missing:
        raise PremiumError(
            _("Program wajib BPU belum dipilih: %(codes)s.") % {"codes": ", ".join(missing)}
        )

    tier, tier_note = _tier(rule_set, declared_income)
    notes = [
        _("Iuran BPU per orang per bulan pada %(date)s menurut aturan «%(rules)s».")
        % {"date": tanggal(on), "rules": rule_set.name}
    ]
    if tier_note:
        notes.append(tier_note)

    best: dict[str, Discount] = {}
    for discount in _discounts_for(rule_set, on, sector):
        if payer in discount.excluded_payer_list():
            notes.append(
                _("Diskon «%(name)s» (%(percent)s) tidak berlaku: iuran dibayar %(payer)s.")
                % {
                    "name": discount.name,
                    "percent": _percent(discount.percent),
                    "payer": _payer_label(payer),
                }
            )
            continue
        for code in discount.programme_list():
            if code not in best or discount.percent > best[code].percent:
                best[code] = discount

    lines: list[PremiumLine] = []
    for code in codes:
        rate = rates[code]
        if rate.kind == BpuRate.Kind.PERCENT:
            base = _share(tier, rate.value)
            how = f"{_percent(rate.value)} × {rupiah(tier)}"
        else:
            base = round_rupiah(rate.value)
            how = "tetap"
        offer = best.get(code)
        cut = _share(base, offer.percent) if offer else 0
        lines.append(PremiumLine(code, how, base, cut, base - cut, offer.name if offer else ""))
        facts = {"code": code, "how": how, "base": rupiah(base)}
        text = (
            _("%(code)s %(how)s = %(base)s") % facts
            if how != "tetap"
            else _("%(code)s tetap %(base)s") % facts
        )
        if offer:
            text = _("%(text)s, dikurangi diskon %(percent)s (%(name)s) %(cut)s = %(amount)s") % {
                "text": text,
                "percent": _percent(offer.percent),
                "name": offer.name,
                "cut": rupiah(cut),
                "amount": rupiah(base - cut),
            }
        notes.append(text + ".")
    total = sum(line.amount for line in lines)
    notes.append(
        _("Total %(total)s per orang per bulan (%(rounding)s).")
        % {"total": rupiah(total), "rounding": _(ROUNDING)}
    )
    bases = [rule_set.legal_basis.strip()]
    bases += sorted({d.legal_basis.strip() for d in best.values()})
    legal_basis = "; ".join(b for b in bases if b)
    notes.append(_("Dasar hukum: %(basis)s.") % {"basis": legal_basis})
    return Premium(
        declared_income=declared_income,
        tier_income=tier,
        on=on,
        payer=payer,
        sector=sector,
        lines=tuple(lines),
        total=total,
        rule_set_id=rule_set.pk,
        rule_set_name=rule_set.name,
        legal_basis=legal_basis,
        explanation=" ".join(notes),
    )


# --------------------------------------------------------------------------------------------
# PU


@dataclass(frozen=True)
class ContributionLine:
    programme: str
    basis: int  # the wage the percentages apply to (after any cap)
    capped: bool
    employer: int
    worker: int
    government: int = 0  # paid by the central government, not by the company
    recomposed: int = 0  # moved here from another programme's contribution: no extra cost

    @property
    def total(self) -> int:
        """What the company pays to BPJS for this programme (employer + worker share)."""
        return self.employer + self.worker


@dataclass(frozen=True)
class Contribution:
    """One PU worker's monthly contributions."""

    wage: int
    on: dt.date
    risk_class: int | None
    size_class: str | None
    lines: tuple[ContributionLine, ...]
    employer_total: int
    worker_total: int
    government_total: int
    total: int
    rule_set_id: int
    rule_set_name: str
    legal_basis: str
    explanation: str
    warnings: tuple[str, ...] = field(default=())

    def line(self, programme: str) -> ContributionLine:
        for line in self.lines:
            if line.programme == programme.upper():
                return line
        raise KeyError(programme)


def programmes_for_size(size_class: str) -> list[str]:
    """Mandatory PU programmes by size class: the compliance rules' data (Perpres 109/2013)."""
    from lindung.compliance.models import ProgrammeRequirement

    row = ProgrammeRequirement.objects.filter(size_class=size_class).first()
    if row is None:
        raise PremiumError(f"Belum ada aturan program wajib untuk skala usaha «{size_class}».")
    return list(row.programme_list)


def pu_contribution(
    wage: int,
    *,
    on: dt.date,
    risk_class: int | None,
    programmes: Iterable[str] | None = None,
    size_class: str | None = None,
) -> Contribution:
    """Employer and worker shares per programme for a monthly ``wage`` (caps applied).

    ``programmes`` defaults to the mandatory programmes of ``size_class``; when both are given,
    programmes the size class requires but the list lacks are reported in ``warnings``.
    """
    if wage < 0:
        raise PremiumError("Upah tidak boleh negatif.")
    if programmes is None:
        if size_class is None:
            raise PremiumError("Sebutkan program atau skala usaha.")
        codes = _codes(programmes_for_size(size_class))
    else:
        codes = _codes(programmes)
    warnings: list[str] = []
    if size_class is not None and programmes is not None:
        lacking = [c for c in _codes(programmes_for_size(size_class)) if c not in codes]
        if lacking:
            warnings.append(
                f"Usaha skala {size_class} wajib mengikutkan pekerja pada "
                f"{', '.join(lacking)} (belum dipilih)."
            )
    rule_set = rule_set_in_force("PU", on)
    rows: dict[str, list[PuRate]] = defaultdict(list)
    for rate in rule_set.pu_rates.all():
        if rate.programme == Programme.JKK and rate.risk_class != risk_class:
            continue
        rows[rate.programme].append(rate)
    if "JKK" in codes and risk_class is None:
        raise PremiumError("JKK memerlukan kelompok risiko (1–5).")
    missing = [c for c in codes if not rows.get(c)]
    if missing:
        what = ", ".join(missing)
        if "JKK" in missing:
            what += f" (kelompok risiko {risk_class})"
        raise PremiumError(f"Program {what} tidak diatur dalam aturan «{rule_set.name}».")

    notes = [f"Iuran PU per pekerja per bulan pada {tanggal(on)} menurut aturan «{rule_set.name}»."]
    lines: list[ContributionLine] = []
    for code in codes:
        shares: dict[str, int] = defaultdict(int)
        bases: list[int] = []
        parts: list[str] = []
        for rate in rows[code]:
            basis = min(wage, rate.wage_cap) if rate.wage_cap is not None else wage
            bases.append(basis)
            amount = _share(basis, rate.percent)
            shares[rate.paid_by] += amount
            parts.append(
                f"{rate.get_paid_by_display().lower()} {_percent(rate.percent)} = {rupiah(amount)}"
            )
        basis = min(bases)
        capped = basis < wage
        if capped:
            notes.append(f"{code}: upah dibatasi {rupiah(basis)} (batas atas).")
        notes.append(f"{code} atas {rupiah(basis)}: " + "; ".join(parts) + ".")
        if shares[PuRate.PaidBy.RECOMPOSITION]:
            notes.append(
                f"Bagian rekomposisi {code} diambil dari iuran program lain, bukan tambahan biaya."
            )
        lines.append(
            ContributionLine(
                programme=code,
                basis=basis,
                capped=capped,
                employer=shares[PuRate.PaidBy.EMPLOYER],
                worker=shares[PuRate.PaidBy.WORKER],
                government=shares[PuRate.PaidBy.GOVERNMENT],
                recomposed=shares[PuRate.PaidBy.RECOMPOSITION],
            )
        )
    employer_total = sum(line.employer for line in lines)
    worker_total = sum(line.worker for line in lines)
    government_total = sum(line.government for line in lines)
    notes.append(
        f"Pemberi kerja {rupiah(employer_total)}, pekerja {rupiah(worker_total)}, "
        f"total disetor {rupiah(employer_total + worker_total)} ({ROUNDING})."
    )
    notes += warnings
    notes.append(f"Dasar hukum: {rule_set.legal_basis.strip()}.")
    return Contribution(
        wage=wage,
        on=on,
        risk_class=risk_class,
        size_class=size_class,
        lines=tuple(lines),
        employer_total=employer_total,
        worker_total=worker_total,
        government_total=government_total,
        total=employer_total + worker_total,
        rule_set_id=rule_set.pk,
        rule_set_name=rule_set.name,
        legal_basis=rule_set.legal_basis.strip(),
        explanation=" ".join(notes),
        warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------------------------
# Budgets


@dataclass(frozen=True)
class ProgrammeCost:
    """The cost of paying ``people`` participants' premiums for ``months`` months."""

    people: int
    months: int
    monthly: tuple[Premium, ...]  # one per month, per person
    per_person: int
    total: int
    explanation: str


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def programme_cost(
    people: int,
    months: int,
    package: Iterable[str] = DEFAULT_PACKAGE,
    declared_income: int = 1_000_000,
    on: dt.date | None = None,
    *,
    payer: str = Payer.GOVERNMENT,
    sector: str | None = None,
    rules: BpuRules | None = None,
) -> ProgrammeCost:
    """Budget for a government-paid (by default) BPU programme starting in the month of ``on``.

    Each month is priced with the rules in force on its first day, so a budget that crosses a
    new rule version or a discount window is priced month by month. The rules are read once
    (pass ``rules`` to share them between several programmes).
    """
    if on is None:
        raise PremiumError(_("Sebutkan tanggal mulai program."))
    if people < 0 or months < 1:
        raise PremiumError(
            _("Jumlah peserta tidak boleh negatif dan lama program minimal 1 bulan.")
        )
    codes = _codes(package)
    start = dt.date(on.year, on.month, 1)
    rules = rules or BpuRules()
    monthly = tuple(
        bpu_premium(
            declared_income,
            on=add_months(start, i),
            package=codes,
            payer=payer,
            sector=sector,
            rules=rules,
        )
        for i in range(months)
    )
    per_person = sum(p.total for p in monthly)
    total = per_person * people
    distinct = sorted({p.total for p in monthly})
    rate_text = (
        _("%(amount)s per bulan") % {"amount": rupiah(distinct[0])}
        if len(distinct) == 1
        else _("iuran per bulan %(amounts)s (aturan berubah)")
        % {"amounts": " / ".join(rupiah(t) for t in distinct)}
    )
    explanation = _(
        "%(people)s peserta × %(months)s bulan mulai %(month)s %(year)s, %(rate)s: "
        "%(per_person)s per orang, total %(total)s."
    ) % {
        "people": thousands(people),
        "months": months,
        "month": date_format(start, "F"),  # Januari in Indonesian, January in English
        "year": start.year,
        "rate": rate_text,
        "per_person": rupiah(per_person),
        "total": rupiah(total),
    }
    return ProgrammeCost(people, months, monthly, per_person, total, explanation)


# --------------------------------------------------------------------------------------------
# Benefits


def benefit(code: str) -> Benefit:
    try:
        return Benefit.objects.get(code=code)
    except Benefit.DoesNotExist:
        raise PremiumError(f"Manfaat «{code}» belum tercatat.") from None


def jkm_death_benefit() -> int:
    """The JKM death benefit in rupiah (Rp 42.000.000 under PP 82/2019), for reports."""
    return benefit(JKM_DEATH_BENEFIT).amount
