"""Number and date formats: Indonesian for what is printed, the reader's language on pages.

Letters, reports and explanations print "26 November 2026" and "Rp 1.234.567" whatever locale
the server runs in, so they format here rather than through ``locale``. Pages format through
:func:`number` and :func:`percent`, which follow the active language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.formats import number_format

MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def long_date(day: dt.date) -> str:
    """``date(2026, 1, 5)`` → ``"5 Januari 2026"``."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def thousands(value: float | Decimal, decimals: int = 0) -> str:
    """``1234567`` → ``"1.234.567"``; ``thousands(11.25, 1)`` → ``"11,3"`` (Indonesian)."""
    if not decimals:
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def rupiah(value: int | Decimal) -> str:
    """``1234567`` → ``"Rp 1.234.567"``."""
    return "Rp " + thousands(value)


# --- pages: the reader's language -----------------------------------------------------------------
# Pages follow the active language (Indonesian "1.234" and "41,3%", English "1,234" and
# "41.3%"); documents render under Indonesian (``translation.override``), so the same helpers
# print Indonesian there.


def number(value: int | float | Decimal, decimals: int = 0) -> str:
    """``1234567`` → ``"1.234.567"`` (Indonesian) or ``"1,234,567"`` (English)."""
    return number_format(value, decimals, force_grouping=True)


def percent(fraction: float) -> str:
    """``0.413`` → ``"41,3%"`` (Indonesian) or ``"41.3%"`` (English), one decimal."""
    return number(round(100 * fraction, 1), 1) + "%"
