"""The premium calculator reproduces the published BPJS Ketenagakerjaan figures from the seed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindung.audit.models import AuditEntry
from lindung.subsidy import premiums
from lindung.subsidy.models import BpuRate, IncomeTier, RuleSet
from lindung.subsidy.premiums import (
    PremiumError,
    RuleNotInForce,
    bpu_premium,
    programme_cost,
    pu_contribution,
)

pytestmark = pytest.mark.django_db

BEFORE_PP50 = dt.date(2025, 10, 1)


def test_minimum_package_is_16800_and_36800_with_jht():
    premium = bpu_premium(1_000_000, on=BEFORE_PP50)
    assert premium.total == 16_800
    assert premium.by_programme == {"JKK": 10_000, "JKM": 6_800}
    with_jht = bpu_premium(1_000_000, on=BEFORE_PP50, package={"JKK", "JKM", "JHT"})
    assert with_jht.total == 36_800
    assert with_jht.amount("JHT") == 20_000
    assert "PP 44/2015" in premium.legal_basis
    assert "Rp 16.800" in premium.explanation


def test_jkk_runs_from_10000_to_207000_and_income_snaps_up():
    assert bpu_premium(1_000_000, on=BEFORE_PP50).amount("JKK") == 10_000
    assert bpu_premium(20_700_000, on=BEFORE_PP50).amount("JKK") == 207_000
    snapped = bpu_premium(1_250_000, on=BEFORE_PP50)
    assert snapped.tier_income == 1_300_000
    assert snapped.amount("JKK") == 13_000
    assert "dibulatkan ke atas" in snapped.explanation
    assert bpu_premium(0, on=BEFORE_PP50).total == 16_800  # below the table: minimum tier
    assert bpu_premium(50_000_000, on=BEFORE_PP50).amount("JKK") == 207_000  # capped at the top


def test_government_payer_keeps_16800_during_pp50_while_self_payer_pays_8400():
    on = dt.date(2026, 6, 1)
    government = bpu_premium(1_000_000, on=on, payer="pemerintah")
    assert government.total == 16_800
    assert "tidak berlaku" in government.explanation
    own = bpu_premium(1_000_000, on=on, payer="mandiri")
    assert own.total == 8_400
    assert own.by_programme == {"JKK": 5_000, "JKM": 3_400}
    assert "PP 50/2025" in own.legal_basis
    # JHT is not discounted
    assert bpu_premium(1_000_000, on=on, payer="mandiri", package={"JKK", "JKM", "JHT"}).total == (
        8_400 + 20_000
    )


@pytest.mark.parametrize(
    ("on", "transport", "other"),
    [
        (dt.date(2025, 12, 31), 16_800, 16_800),
        (dt.date(2026, 1, 1), 8_400, 16_800),
        (dt.date(2026, 3, 31), 8_400, 16_800),
        (dt.date(2026, 4, 1), 8_400, 8_400),
        (dt.date(2026, 12, 31), 8_400, 8_400),
        (dt.date(2027, 1, 1), 8_400, 16_800),
        (dt.date(2027, 3, 31), 8_400, 16_800),
        (dt.date(2027, 4, 1), 16_800, 16_800),
    ],
)
def test_transport_window_differs_from_other_sectors(on, transport, other):
    assert bpu_premium(1_000_000, on=on, payer="mandiri", sector="transportasi").total == transport
    assert bpu_premium(1_000_000, on=on, payer="mandiri", sector="lainnya").total == other
    assert bpu_premium(1_000_000, on=on, payer="mandiri").total == other


def test_pu_contribution_applies_the_jp_cap():
    c = pu_contribution(
        12_000_000, on=dt.date(2025, 6, 1), risk_class=1, programmes={"JKK", "JKM", "JHT", "JP"}
    )
    assert [line.programme for line in c.lines] == ["JKK", "JKM", "JHT", "JP"]
    assert (c.line("JKK").employer, c.line("JKK").worker) == (28_800, 0)
    assert c.line("JKM").employer == 36_000
    assert (c.line("JHT").employer, c.line("JHT").worker) == (444_000, 240_000)
    jp = c.line("JP")
    assert jp.capped and jp.basis == 10_547_400
    assert (jp.employer, jp.worker) == (210_948, 105_474)
    assert c.employer_total == 28_800 + 36_000 + 444_000 + 210_948
    assert c.worker_total == 240_000 + 105_474
    # a year earlier the cap was Rp 10.042.300
    old = pu_contribution(12_000_000, on=dt.date(2024, 6, 1), risk_class=1, programmes={"JP"})
    assert (old.line("JP").basis, old.line("JP").employer) == (10_042_300, 200_846)


def test_pu_jkp_is_government_paid_and_risk_class_matters():
    c = pu_contribution(4_000_000, on=dt.date(2025, 6, 1), risk_class=5, programmes={"JKK", "JKP"})
    assert c.line("JKK").employer == 69_600  # 1,74%
    jkp = c.line("JKP")
    assert (jkp.employer, jkp.worker, jkp.government, jkp.recomposed) == (0, 0, 8_800, 5_600)
    assert c.total == 69_600
    with pytest.raises(PremiumError, match="JKP tidak diatur"):
        pu_contribution(4_000_000, on=dt.date(2024, 6, 1), risk_class=1, programmes={"JKP"})


def test_pu_programmes_follow_size_class_and_warn_when_missing():
    c = pu_contribution(5_000_000, on=dt.date(2025, 6, 1), risk_class=2, size_class="menengah")
    assert [line.programme for line in c.lines] == ["JKK", "JKM", "JHT", "JP"]
    partial = pu_contribution(
        5_000_000, on=dt.date(2025, 6, 1), risk_class=2, programmes={"JKK"}, size_class="kecil"
    )
    assert partial.warnings and "JKM, JHT" in partial.warnings[0]


def test_rounding_is_half_up_to_the_rupiah():
    c = pu_contribution(10_000_050, on=dt.date(2025, 6, 1), risk_class=1, programmes={"JP"})
    assert c.line("JP").worker == 100_001  # 100.000,50 → 100.001
    assert premiums.round_rupiah(Decimal("2.5")) == 3
    assert premiums.round_rupiah(Decimal("2.49")) == 2


def test_dates_without_rules_are_refused_in_indonesian():
    with pytest.raises(RuleNotInForce, match=r"Tidak ada aturan iuran BPU .* 1 Januari 2010"):
        bpu_premium(1_000_000, on=dt.date(2010, 1, 1))
    with pytest.raises(RuleNotInForce, match="aturan iuran PU"):
        pu_contribution(5_000_000, on=dt.date(2020, 1, 1), risk_class=1, programmes={"JKK"})


def test_invalid_requests_are_refused():
    with pytest.raises(PremiumError, match="JP tidak tersedia"):
        bpu_premium(1_000_000, on=BEFORE_PP50, package={"JKK", "JKM", "JP"})
    with pytest.raises(PremiumError, match="wajib"):
        bpu_premium(1_000_000, on=BEFORE_PP50, package={"JHT"})
    with pytest.raises(PremiumError, match="Pembayar"):
        bpu_premium(1_000_000, on=BEFORE_PP50, payer="bank")


def test_new_rule_set_version_in_the_database_changes_the_result_from_its_date():
    new = RuleSet.objects.create(
        name="BPU uji — JKM Rp 10.000",
        segment="BPU",
        effective_from=dt.date(2028, 1, 1),
        legal_basis="PP uji 1/2027",
    )
    BpuRate.objects.create(rule_set=new, programme="JKK", kind="persen", value=1, mandatory=True)
    BpuRate.objects.create(
        rule_set=new, programme="JKM", kind="tetap", value=10_000, mandatory=True
    )
    IncomeTier.objects.bulk_create(
        [IncomeTier(rule_set=new, income=i) for i in (1_000_000, 2_000_000)]
    )
    assert bpu_premium(1_000_000, on=dt.date(2027, 12, 31)).total == 16_800
    premium = bpu_premium(1_000_000, on=dt.date(2028, 1, 1))
    assert premium.total == 20_000
    assert premium.rule_set_id == new.pk and "PP uji 1/2027" in premium.legal_basis
    assert bpu_premium(1_500_000, on=dt.date(2028, 1, 1)).tier_income == 2_000_000
    assert AuditEntry.objects.filter(object_type="subsidy.ruleset", object_id=str(new.pk)).exists()


def test_programme_cost_prices_each_month_with_its_rules():
    ppu = programme_cost(15_000, 12, {"JKK", "JKM"}, 1_000_000, dt.date(2025, 1, 1))
    assert ppu.per_person == 16_800 * 12 and ppu.total == 15_000 * 16_800 * 12
    assert "Rp 16.800 per bulan" in ppu.explanation
    # a self-paid transport group crosses the PP 50/2025 window
    own = programme_cost(
        10,
        4,
        {"JKK", "JKM"},
        1_000_000,
        dt.date(2025, 11, 1),
        payer="mandiri",
        sector="transportasi",
    )
    assert [p.total for p in own.monthly] == [16_800, 16_800, 8_400, 8_400]
    assert own.total == 10 * (2 * 16_800 + 2 * 8_400)


def test_jkm_death_benefit_is_data():
    assert premiums.jkm_death_benefit() == 42_000_000


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    a=st.integers(min_value=0, max_value=25_000_000),
    b=st.integers(min_value=0, max_value=25_000_000),
    jht=st.booleans(),
    on=st.dates(min_value=dt.date(2015, 7, 1), max_value=dt.date(2030, 12, 31)),
    payer=st.sampled_from(["pemerintah", "mandiri"]),
)
def test_premium_is_monotonic_and_never_below_the_minimum_tier(a, b, jht, on, payer):
    low, high = sorted((a, b))
    package = {"JKK", "JKM", "JHT"} if jht else {"JKK", "JKM"}
    floor = bpu_premium(1_000_000, on=on, package=package, payer=payer).total
    p_low = bpu_premium(low, on=on, package=package, payer=payer).total
    p_high = bpu_premium(high, on=on, package=package, payer=payer).total
    assert floor <= p_low <= p_high


@pytest.mark.django_db
def test_village_paid_programme_keeps_the_full_premium_during_pp50_discount() -> None:
    """APBDes is public money: like APBD-paid participants, no PP 50/2025 discount."""
    premium = bpu_premium(1_000_000, on=dt.date(2026, 6, 1), payer="desa")
    assert premium.total == 16_800
