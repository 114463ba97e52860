"""Age ranges of workers, in whole years on a given day: the ``age`` filter and dashboard groups.

Programmes enrol people aged 18–65, so the dashboards count these groups; the worker list takes
the same ranges as ``age=18-24`` (inclusive), and a dashboard links to it with
:attr:`AgeRange.param`. An age range becomes a range of birth dates (one ``BETWEEN`` in SQL),
so nothing is computed per row.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext as _

#: The oldest age the filter accepts (no one is older; larger numbers are typing mistakes).
MAX_AGE = 130
_RANGE = re.compile(r"^\s*(\d{1,3})\s*[-–]\s*(\d{1,3})\s*$")


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier; 29 February becomes 28 February in a common
    year (someone born on 29 February turns a year older on 1 March in common years)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years from ``birth`` to ``day`` (the age a person states on ``day``)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class AgeRange:
    """Ages ``low`` to ``high`` inclusive, in whole years."""

    low: int
    high: int

    @property
    def param(self) -> str:
        """The ``age`` query parameter value, e.g. ``18-24``."""
        return f"{self.low}-{self.high}"

    @property
    def label(self) -> str:
        if self.low == 0:
            return _("di bawah %(n)s tahun") % {"n": self.high + 1}
        if self.high >= MAX_AGE:
            return _("di atas %(n)s tahun") % {"n": self.low - 1}
        return _("%(low)s–%(high)s tahun") % {"low": self.low, "high": self.high}

    def birth_dates(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """The earliest and latest birth dates (inclusive) of people in this range on ``today``:
        aged at least ``low`` means born on or before ``today`` minus ``low`` years; aged at most
        ``high`` means born after ``today`` minus ``high + 1`` years."""
        latest = years_before(today, self.low)
        earliest = years_before(today, self.high + 1) + dt.timedelta(days=1)
        return earliest, latest

    def q(self, today: dt.date, field: str = "birth_date") -> Q:
        """A filter on ``field`` (a date) for people in this range on ``today``."""
        earliest, latest = self.birth_dates(today)
        return Q(**{f"{field}__range": (earliest, latest)})

    @classmethod
    def parse(cls, value: str) -> AgeRange | None:
        """``"18-24"`` → AgeRange(18, 24); None for anything else (reversed, above MAX_AGE)."""
        found = _RANGE.match(value)
        if not found:
            return None
        low, high = int(found[1]), int(found[2])
        return cls(low, high) if low <= high <= MAX_AGE else None


#: The age groups of programme dashboards (the enrolment ages 18–65) ...
AGE_GROUPS = (
    AgeRange(18, 24),
    AgeRange(25, 34),
    AgeRange(35, 44),
    AgeRange(45, 54),
    AgeRange(55, 65),
)
#: ... and the ages outside them, so that the groups add up to every dated worker.
OTHER_AGES = (AgeRange(0, 17), AgeRange(66, MAX_AGE))


def age_group_case(today: dt.date, field: str = "birth_date") -> Case:
    """An annotation naming each row's group (its :attr:`AgeRange.param`; ``""`` when the birth
    date is unknown or beyond every group), for counting all groups in one grouped query."""
    groups = (*AGE_GROUPS, *OTHER_AGES)
    whens = [When(group.q(today, field), then=Value(group.param)) for group in groups]
    return Case(*whens, default=Value(""), output_field=CharField())
