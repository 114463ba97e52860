"""Coverage that ends soon: which programmes and beneficiaries need a renewal decision.

A programme appears when its period ends within :data:`WARNING_DAYS` days, or when any of its
registered beneficiaries' coverage does; only programmes the user may see
(:func:`~lindung.programmes.services.programmes_for`) and, within them, the beneficiaries of
their scope (an operator: their kab/kota's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min

from lindung.accounts.access import scoped
from lindung.enrolment.overview import of_visible_programmes
from lindung.programmes.models import Beneficiary, BeneficiaryStatus, Programme
from lindung.programmes.services import programmes_for

WARNING_DAYS = 30


@dataclass(frozen=True)
class Expiring:
    programme: Programme
    people: int  # registered beneficiaries (in scope) whose coverage ends in the window
    first_end: dt.date


def beneficiaries(user: Any, today: dt.date, days: int = WARNING_DAYS) -> Any:
    """Registered beneficiaries the user may see (in programmes they may see) whose coverage
    ends in ``[today, today+days]``."""
    return of_visible_programmes(user, scoped(user, Beneficiary.objects.all())).filter(
        status=BeneficiaryStatus.REGISTERED,
        coverage_end__gte=today,
        coverage_end__lte=today + dt.timedelta(days=days),
    )


def programmes(user: Any, today: dt.date, days: int = WARNING_DAYS) -> list[Expiring]:
    """Programmes needing a renewal decision, the soonest end first."""
    horizon = today + dt.timedelta(days=days)
    counts = {
        r["programme"]: r
        for r in beneficiaries(user, today, days)
        .values("programme")
        .annotate(n=Count("id"), first=Min("coverage_end"))
    }
    candidates = [
        p
        for p in programmes_for(user).filter(period_start__lte=horizon)
        if p.pk in counts or ends_soon(p, today, days)
    ]
    found = [
        Expiring(
            programme=p,
            people=counts.get(p.pk, {}).get("n", 0),
            first_end=counts.get(p.pk, {}).get("first") or p.period_end,
        )
        for p in candidates
    ]
    return sorted(found, key=lambda e: (e.first_end, e.programme.pk))


def ends_soon(programme: Programme, today: dt.date, days: int = WARNING_DAYS) -> bool:
    return today <= programme.period_end <= today + dt.timedelta(days=days)


def successor(programme: Programme, user: Any = None) -> Programme | None:
    """The programme renewed from ``programme``, if one was made (renewal records its origin);
    with ``user``, only one they may see (an admin may have re-targeted it since)."""
    programmes = programmes_for(user) if user is not None else Programme.objects.all()
    return programmes.filter(selection__renewed_from=programme.pk).order_by("pk").first()
