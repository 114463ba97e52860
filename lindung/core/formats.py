"""Indonesian number and date formats, independent of the process locale.

Letters, reports and explanations print "26 November 2026" and "Rp 1.234.567" whatever locale
the server runs in, so they format here rather than through ``locale`` or Django's l10n.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def long_date(day: dt.date) -> str:
    """``date(2026, 1, 5)`` → ``"5 Januari 2026"``."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def thousands(value: int | Decimal) -> str:
    """``1234567`` → ``"1.234.567"``."""
    return f"{int(value):,}".replace(",", ".")


def rupiah(value: int | Decimal) -> str:
    """``1234567`` → ``"Rp 1.234.567"``."""
    return "Rp " + thousands(value)
