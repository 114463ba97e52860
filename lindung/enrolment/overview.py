"""What the enrolment pages show, scoped to the user: counts by status, beneficiary lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from lindung.accounts.access import region_code, scoped
from lindung.programmes.models import Beneficiary, BeneficiaryStatus, Programme


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def status_counts(user: Any, programme: Programme) -> list[StatusCount]:
    """Beneficiaries of ``programme`` the user may see, per status (every status listed)."""
    found = dict(
        scoped(user, Beneficiary.objects.filter(programme=programme))
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return [StatusCount(s, str(label), found.get(s, 0)) for s, label in BeneficiaryStatus.choices]


def programmes_with_counts(user: Any) -> QuerySet[Programme]:
    """Every programme with the user's scoped beneficiaries counted by enrolment stage."""
    code = region_code(user)
    where = Q(beneficiaries__kabkota_id=code) if code else Q()

    def count(status: str) -> Count:
        return Count("beneficiaries", filter=where & Q(beneficiaries__status=status))

    return Programme.objects.annotate(
        waiting=count(BeneficiaryStatus.SELECTED),
        sent=count(BeneficiaryStatus.SENT),
        registered=count(BeneficiaryStatus.REGISTERED),
        rejected=count(BeneficiaryStatus.REJECTED),
    ).order_by("-period_start", "-id")


def beneficiaries(user: Any, programme: Programme, status: str, q: str) -> QuerySet[Beneficiary]:
    rows = scoped(user, Beneficiary.objects.filter(programme=programme))
    if status in BeneficiaryStatus.values:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(Q(worker__name__icontains=q) | Q(participant_number=q))
    return rows.select_related("worker", "kabkota").order_by("rank", "id")
