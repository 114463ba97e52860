"""What the enrolment pages show, scoped to the user: which programmes (those of
:func:`~lindung.programmes.services.programmes_for`, like on /program/), counts by status,
beneficiary lists, and the figures of batches and reconciliations (an operator's only count
their kab/kota's rows)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, F, Model, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from lindung.accounts.access import region_code, scoped
from lindung.enrolment.models import EnrolmentBatch, LineKind, Reconciliation
from lindung.programmes.models import Beneficiary, BeneficiaryStatus, Programme
from lindung.programmes.services import programmes_for

M = TypeVar("M", bound=Model)


def of_visible_programmes(user: Any, rows: QuerySet[M]) -> QuerySet[M]:
    """``rows`` (batches, reconciliations, beneficiaries…) of programmes the user may see.

    Region scoping of the rows themselves is not enough: a programme aimed only at another
    kab/kota is that region's business, so its batches and bills are 404 like the programme.
    """
    return rows.filter(programme__in=programmes_for(user))


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
    """Every programme the user may see, with their scoped beneficiaries counted by stage."""
    code = region_code(user)
    where = Q(beneficiaries__kabkota_id=code) if code else Q()

    def count(status: str) -> Count:
        return Count("beneficiaries", filter=where & Q(beneficiaries__status=status))

    return (
        programmes_for(user)
        .annotate(
            waiting=count(BeneficiaryStatus.SELECTED),
            sent=count(BeneficiaryStatus.SENT),
            registered=count(BeneficiaryStatus.REGISTERED),
            rejected=count(BeneficiaryStatus.REJECTED),
        )
        .order_by("-period_start", "-id")
    )


def beneficiaries(user: Any, programme: Programme, status: str, q: str) -> QuerySet[Beneficiary]:
    rows = scoped(user, Beneficiary.objects.filter(programme=programme))
    if status in BeneficiaryStatus.values:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(Q(worker__name__icontains=q) | Q(participant_number=q))
    return rows.select_related("worker", "kabkota").order_by("rank", "id")


def batches(user: Any, programme: Programme) -> QuerySet[EnrolmentBatch]:
    """The programme's batches, each with ``people``: the rows the user may see (all of them
    province-wide, stored as ``count``; an operator's kab/kota's rows counted)."""
    rows = programme.enrolment_batches.select_related("created_by")
    code = region_code(user)
    if code is None:
        return rows.annotate(people=F("count"))
    return rows.annotate(people=Count("rows", filter=Q(rows__kabkota_id=code)))


def reconciliations(user: Any, programme: Programme) -> QuerySet[Reconciliation]:
    """The programme's reconciliations with ``billed``, ``expected`` and ``differing`` (lines
    that do not match) over the lines the user may see. Lines of people who are not ours have
    no kab/kota, so an operator's figures never include them."""
    recs = programme.reconciliations.select_related("imported_by")
    code = region_code(user)
    if code is None:
        return recs.annotate(
            billed=F("billed_total"), expected=F("expected_total"), differing=F("differences")
        )
    own = Q(lines__kabkota_id=code)
    return recs.annotate(
        billed=Coalesce(Sum("lines__billed", filter=own), 0),
        expected=Coalesce(Sum("lines__expected", filter=own), 0),
        differing=Count("lines", filter=own & ~Q(lines__kind=LineKind.MATCH)),
    )
