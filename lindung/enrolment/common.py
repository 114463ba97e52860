"""What the enrolment services share: their error, the premium of a programme's month."""

from __future__ import annotations

import datetime as dt

from lindung.programmes.models import Programme
from lindung.subsidy.premiums import PremiumError, bpu_premium


class EnrolmentError(ValueError):
    """An action that cannot be done as asked; the message is Indonesian and shown to users."""


def monthly_premium(programme: Programme, on: dt.date) -> int:
    """What BPJS TK should bill per person for the month of ``on`` under this programme."""
    try:
        premium = bpu_premium(
            programme.declared_income,
            on=dt.date(on.year, on.month, 1),
            package=programme.package_codes(),
            payer=programme.payer,
        )
    except PremiumError as exc:
        raise EnrolmentError(str(exc)) from exc
    return premium.total


def first_of_month(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)
