"""Page-level queries and the review decision (one match at a time, by a person)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.access import region_code, scoped
from lindung.accounts.models import User
from lindung.compliance.models import (
    Company,
    CompanyMatch,
    CompanyStatus,
    ComplianceStatus,
    MatchDecision,
)
from lindung.compliance.status import recompute_statuses
from lindung.core.formats import thousands
from lindung.regions.models import Region

NOT_COMPLIANT = [s.value for s in ComplianceStatus if s != ComplianceStatus.COMPLIANT]


@dataclass
class CountRow:
    code: str
    name: str
    counts: list[int]
    total: int
    not_compliant: int

    @property
    def cells(self) -> list[tuple[str, int]]:
        return list(zip(ComplianceStatus.values, self.counts, strict=True))


def status_counts(user: Any) -> tuple[list[CountRow], CountRow]:
    """Companies per kab/kota and status (the user's scope), with a total row."""
    statuses = ComplianceStatus.values
    cells: dict[tuple[str, str], int] = {}
    for row in (
        scoped(user, CompanyStatus.objects.all())
        .values("company__kabkota_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        cells[(row["company__kabkota_id"], row["status"])] = row["n"]
    fixed = region_code(user)
    regions = Region.objects.filter(level=Region.Level.KABKOTA, code__startswith="64.")
    if fixed:
        regions = regions.filter(code=fixed)
    rows = []
    for region in regions:
        counts = [cells.get((region.code, s), 0) for s in statuses]
        rows.append(_row(region.code, region.name, counts))
    totals = [sum(r.counts[i] for r in rows) for i in range(len(statuses))]
    return rows, _row("", "Jumlah", totals)


def _row(code: str, name: str, counts: list[int]) -> CountRow:
    total = sum(counts)
    return CountRow(code, name, counts, total, total - counts[-1])


def company_queryset(user: Any, *, kabkota: str = "", status: str = "", q: str = "") -> QuerySet:
    qs = scoped(user, Company.objects.select_related("kabkota", "compliance"))
    if kabkota:
        qs = qs.filter(kabkota_id=kabkota)
    if status == "tidak_patuh":
        qs = qs.filter(compliance__status__in=NOT_COMPLIANT)
    elif status in ComplianceStatus.values:
        qs = qs.filter(compliance__status=status)
    if q:
        from lindung.compliance.names import company_name_key

        qs = qs.filter(name_key__contains=company_name_key(q))
    return qs.order_by("name_key", "id")


def review_queryset(user: Any) -> QuerySet[CompanyMatch]:
    return scoped(
        user,
        CompanyMatch.objects.filter(decision=MatchDecision.REVIEW).select_related(
            "company", "company__kabkota", "employer", "employer__kabkota"
        ),
    ).order_by("-score", "company_id")


@transaction.atomic
def decide(user: User, match: CompanyMatch, accept: bool) -> CompanyMatch:
    """Accept or reject a match; accepting drops the company's other pending candidates.

    The decision is kept when matching runs again; the company's status is recomputed.
    """
    match.decision = MatchDecision.ACCEPTED if accept else MatchDecision.REJECTED
    match.decided_by = user
    match.decided_at = timezone.now()
    match.save(update_fields=["decision", "decided_by", "decided_at"])  # audited (track)
    if accept:
        CompanyMatch.objects.filter(
            company_id=match.company_id, decision=MatchDecision.REVIEW
        ).exclude(pk=match.pk).delete()
    recompute_statuses(company_ids=[match.company_id])
    return match


#: Labels of evidence keys, for the detail page (in the reader's language).
EVIDENCE_LABELS = {
    "pekerja_dilaporkan": _("Pekerja dilaporkan (WLKP/OSS)"),
    "pekerja_terdaftar": _("Pekerja terdaftar BPJS"),
    "selisih": _("Selisih"),
    "toleransi": _("Toleransi"),
    "upah_terdaftar": _("Rata-rata upah terdaftar (Rp)"),
    "upah_acuan": _("Upah acuan (Rp)"),
    "acuan": _("Acuan"),
    "program_wajib": _("Program wajib"),
    "program_terdaftar": _("Program terdaftar"),
    "program_kurang": _("Program kurang"),
    "keterangan": _("Keterangan"),
    "skala_usaha": _("Skala usaha"),
    "npp": "NPP",
    "wajib": _("Wajib mendaftar"),
    "calon_di_tinjauan": _("Ada calon di antrean tinjauan"),
    "tahun_acuan": _("Tahun acuan"),
}


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("ya") if value else _("tidak"))
    if isinstance(value, int):
        return thousands(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return "—" if value is None else str(value)


def describe(status: CompanyStatus | None) -> dict[str, Any]:
    """Findings and evidence of a status as labelled rows for the template."""
    if status is None:
        return {"findings": [], "evidence": [], "minimum": None}
    labels = dict(ComplianceStatus.choices)
    findings = [
        {
            "status": f["status"],
            "label": labels.get(f["status"], f["status"]),
            "rows": [(EVIDENCE_LABELS.get(k, k), _shown(v)) for k, v in f.items() if k != "status"],
        }
        for f in status.findings
    ]
    evidence = [
        (EVIDENCE_LABELS.get(k, k), _shown(v))
        for k, v in status.evidence.items()
        if k != "upah_minimum"
    ]
    return {
        "findings": findings,
        "evidence": evidence,
        "minimum": status.evidence.get("upah_minimum"),
    }
