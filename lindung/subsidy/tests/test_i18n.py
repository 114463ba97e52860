"""The calculator's explanation follows the user's language (Indonesian by default)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from lindung.subsidy.premiums import PremiumError, bpu_premium, programme_cost

pytestmark = pytest.mark.django_db


def test_explanations_and_refusals_are_english_on_an_english_page():
    with translation.override("en"):
        snapped = bpu_premium(1_250_000, on=dt.date(2026, 6, 1), payer="pemerintah")
        cost = programme_cost(15_000, 12, {"JKK", "JKM"}, 1_000_000, dt.date(2025, 1, 1))
        with pytest.raises(PremiumError, match=r"^Unknown payer: bank\.$"):
            bpu_premium(1_000_000, on=dt.date(2026, 6, 1), payer="bank")
    assert "Reported income Rp 1.250.000 rounded up to the Rp 1.300.000 tier." in (
        snapped.explanation
    )
    assert "does not apply: the contribution is paid by" in snapped.explanation
    assert "half up, per programme" in snapped.explanation
    assert cost.explanation == (
        "15.000 participants × 12 months from January 2025, Rp 16.800 per month: "
        "Rp 201.600 per person, total Rp 3.024.000.000."
    )
    indonesian = programme_cost(15_000, 12, {"JKK", "JKM"}, 1_000_000, dt.date(2025, 1, 1))
    assert indonesian.explanation == (
        "15.000 peserta × 12 bulan mulai Januari 2025, Rp 16.800 per bulan: "
        "Rp 201.600 per orang, total Rp 3.024.000.000."
    )
