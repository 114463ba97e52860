"""The selection: capacity from the one premium calculator, reasons in and out, quotas, no person
funded twice, duplicates across proposals, reproducible tie-break, saving, replacement, renewal."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from lindung.audit.models import AuditEntry
from lindung.programmes import services
from lindung.programmes.models import Beneficiary, BeneficiaryStatus, Funder, Programme
from lindung.programmes.selection import largest_remainder, tie_break
from lindung.programmes.services import Params, ProgrammeError
from lindung.programmes.tests.conftest import START, YEAR, covered, programme, uncovered
from lindung.testing import make_worker

pytestmark = pytest.mark.django_db


def test_three_billion_for_twelve_months_pays_for_14880_people():
    p = programme(budget=3_000_000_000)
    price = services.cost(Params.of(p))
    assert price.monthly == 16_800
    assert price.per_person == 201_600
    assert price.capacity == 14_880  # 3.000.000.000 // 201.600
    # the small print prices the whole capacity, so it adds up to (nearly) the budget
    assert price.explanation.startswith("14.880 peserta × 12 bulan")
    assert price.explanation.endswith("Rp 201.600 per orang, total Rp 2.999.808.000.")


def test_jht_package_and_higher_income_tier_cost_more():
    p = programme(budget=3_000_000_000, package="JKK,JKM,JHT")
    assert services.cost(Params.of(p)).monthly == 36_800
    assert services.cost(Params.of(p)).capacity == 3_000_000_000 // (36_800 * 12)


def test_every_candidate_gets_a_reason_in_or_out():
    old = uncovered(name="Tua", birth_date=dt.date(1959, 6, 1))  # 67 on 1 Jan 2027
    pu = covered(make_worker(name="Buruh Pabrik"), "pu")
    unmatched = make_worker(name="Belum Dicek")
    rich = uncovered(name="Mampu", poverty_decile=8)
    poor = uncovered(name="Miskin", poverty_decile=1, birth_date=dt.date(1968, 5, 2))
    excel = uncovered(name="Excel", nik="6472011708850000", nik_status="rusak")
    p = programme(people=5, max_poverty_decile=4)
    chosen = services.evaluate(p).selection
    texts = {
        row["worker_id"]: row["reason"]
        for row in chosen.with_reasons(chosen.frame).iter_rows(named=True)
    }
    assert texts[old.pk] == "usia 67 di atas batas 65"
    assert texts[pu.pk] == "sudah terlindungi sebagai PU"
    assert texts[unmatched.pk] == "belum dicocokkan dengan data BPJS"
    assert texts[rich.pk] == "desil 8 di atas batas 4"
    # BPJS TK cannot register a NIK Dukcapil does not know: no place is paid for one.
    assert texts[excel.pk] == "NIK kosong, rusak atau tidak valid: perbaiki NIK di registri dulu"
    assert texts[poor.pk] == "peringkat 1 di Kota Samarinda: desil 1, usia 58"
    assert chosen.selected_count == 1


def test_quotas_follow_eligible_people_per_kabkota_and_sum_to_capacity():
    for _ in range(6):
        uncovered("64.72")
    for _ in range(3):
        uncovered("64.71")
    p = programme(people=4)
    saved = services.save_selection(p, None)
    assert saved.selected == 4
    rows = Beneficiary.objects.filter(programme=p).values_list("kabkota_id", flat=True)
    by_kab = {code: list(rows).count(code) for code in set(rows)}
    # 4 × 6/9 = 2.67 → 2 (+1, larger remainder), 4 × 3/9 = 1.33 → 1
    assert by_kab == {"64.72": 3, "64.71": 1}
    regions = {r["code"]: r for r in saved.summary["regions"]}
    assert regions["64.72"]["quota"] == 3 and regions["64.71"]["quota"] == 1
    assert sum(r["quota"] for r in regions.values()) == 4


def test_unused_manual_quota_goes_to_kabkota_with_people_left():
    for _ in range(5):
        uncovered("64.72")
    uncovered("64.71")
    p = programme(people=4, quota_mode="manual", quotas={"64.71": 3, "64.72": 1})
    chosen = services.evaluate(p).selection
    quotas = dict(chosen.quotas.select("kabkota_id", "quota").iter_rows())
    assert quotas == {"64.71": 1, "64.72": 3}


def test_largest_remainder_is_proportional_capped_and_complete():
    assert largest_remainder({"a": 6, "b": 3}, 4) == {"a": 3, "b": 1}
    assert largest_remainder({"a": 1, "b": 100}, 50) == {"a": 0, "b": 50}  # .495 < .505
    assert largest_remainder({"c": 1, "b": 1, "a": 1}, 2) == {"a": 1, "b": 1, "c": 0}
    assert largest_remainder({"a": 2, "b": 3}, 10) == {"a": 2, "b": 3}
    assert sum(largest_remainder({"a": 7, "b": 11, "c": 13}, 17).values()) == 17


def test_nobody_is_funded_twice_by_overlapping_programmes():
    workers = [uncovered("64.72") for _ in range(4)]
    province = programme(people=3, name="Provinsi 2027")
    services.save_selection(province, None)
    regency = programme(
        people=3, name="Kota Samarinda 2027", funder=Funder.APBD_KABKOTA, funder_region_id="64.72",
        period_start=dt.date(2027, 6, 1),
    )  # fmt: skip
    saved = services.save_selection(regency, None)
    assert saved.selected == 1  # only the one the province did not take
    first = set(Beneficiary.objects.filter(programme=province).values_list("worker_id", flat=True))
    second = set(Beneficiary.objects.filter(programme=regency).values_list("worker_id", flat=True))
    assert not first & second and first | second == {w.pk for w in workers}
    assert saved.summary["out_counts"]["sudah_dibiayai"] == 3
    explained = services.explain(regency, Beneficiary.objects.filter(programme=province)[0].worker)
    assert explained.text == "sudah dibiayai program «Provinsi 2027» yang periodenya tumpang tindih"


def test_a_later_programme_that_does_not_overlap_may_fund_the_same_people():
    uncovered()
    services.save_selection(programme(people=1, name="2027"), None)
    later = programme(people=1, name="2028", period_start=dt.date(2028, 1, 1))
    assert services.save_selection(later, None).selected == 1


def test_same_person_proposed_twice_is_counted_once():
    by_kab = uncovered("64.72", name="Rahmat", poverty_decile=1)
    by_province = covered(make_worker("64.72", name="Rahmat", nik=by_kab.nik, proposer_id="64"))
    uncovered("64.72", name="Lain", poverty_decile=5)
    p = programme(people=3)
    saved = services.save_selection(p, None)
    assert saved.selected == 2
    taken = Beneficiary.objects.filter(programme=p, person_key=by_kab.nik)
    assert taken.count() == 1
    kept, other = (
        (by_kab, by_province) if taken[0].worker_id == by_kab.pk else (by_province, by_kab)
    )
    text = services.explain(p, other).text
    assert text == f"usulan ganda: orang yang sama sudah dihitung lewat usulan #{kept.pk}"


def test_tie_break_is_reproducible_seeded_and_not_row_order():
    keys = pl.Series([f"64720101{i:08d}" for i in range(1, 201)])
    first = tie_break(keys, 7)
    assert (first == tie_break(keys, 7)).all()
    assert not (first == tie_break(keys, 8)).all()
    order = first.argsort()
    assert list(order) != sorted(order)  # not the registry order
    assert int(tie_break(pl.Series(["6472010101010001"]), 1)[0]) == int(
        tie_break(pl.Series(["6472010101010001"]), 1)[0]
    )


def test_saving_again_replaces_an_unsent_selection_and_is_audited_once():
    for _ in range(3):
        uncovered()
    p = programme(people=2)
    services.save_selection(p, None)
    entries = AuditEntry.objects.filter(object_type="programmes.programme", object_id=str(p.pk))
    before = entries.count()
    saved = services.save_selection(p, None)
    assert saved.removed == 2 and saved.selected == 2
    assert Beneficiary.objects.filter(programme=p).count() == 2
    assert entries.count() == before + 1
    assert entries.latest("pk").detail["pemilihan_penerima"]["terpilih"] == 2
    assert not AuditEntry.objects.filter(object_type="programmes.beneficiary").exists()


def test_saving_again_is_refused_once_people_were_sent():
    uncovered()
    p = programme(people=1)
    services.save_selection(p, None)
    Beneficiary.objects.filter(programme=p).update(status=BeneficiaryStatus.SENT)
    with pytest.raises(ProgrammeError, match="sudah dikirim ke BPJS"):
        services.save_selection(p, None)
    assert Beneficiary.objects.filter(programme=p).count() == 1


def test_rules_that_select_nobody_are_refused_with_the_reasons():
    uncovered(birth_date=dt.date(1950, 1, 1))
    p = programme(people=1)
    with pytest.raises(ProgrammeError, match="1 di atas usia maksimum"):
        services.save_selection(p, None)
    assert not Beneficiary.objects.filter(programme=p).exists()


def test_replacement_offers_the_remaining_months_to_the_next_in_line():
    first = uncovered("64.72", poverty_decile=1)
    uncovered("64.72", poverty_decile=2)
    elsewhere = uncovered("64.71", poverty_decile=1)
    nextin = uncovered("64.72", poverty_decile=3)
    p = programme(people=2, quota_mode="manual", quotas={"64.72": 2})
    services.save_selection(p, None)
    gone = Beneficiary.objects.get(programme=p, worker=first)
    done = services.replace(gone, "meninggal", None, on=dt.date(2027, 3, 10))
    gone.refresh_from_db()
    assert gone.status == BeneficiaryStatus.REPLACED and gone.exit_reason == "meninggal"
    assert gone.coverage_end == dt.date(2027, 3, 31)
    assert done.months == 9 and done.freed == 9 * 16_800
    assert done.successor is not None
    assert done.successor.worker_id == nextin.pk  # same kab/kota first, not Balikpapan
    assert done.successor.worker_id != elsewhere.pk
    assert done.successor.coverage_start == dt.date(2027, 4, 1)
    assert done.successor.replaces_id == gone.pk
    assert done.successor.reason.startswith("pengganti Budi Santoso (meninggal dunia): peringkat")
    audit = AuditEntry.objects.filter(object_type="programmes.programme").latest("pk")
    assert audit.detail["penggantian"]["anggaran_dibebaskan"] == 151_200
    with pytest.raises(ProgrammeError, match="tidak dapat diganti"):
        services.replace(gone, "meninggal", None)


def test_renewal_carries_over_registered_people_still_eligible():
    stays = uncovered()
    becomes_pu = uncovered()
    p = programme(people=2)
    services.save_selection(p, None)
    Beneficiary.objects.filter(programme=p).update(status=BeneficiaryStatus.REGISTERED)
    stays.coverage.status = "bpu_program"  # paid by this programme: still to be carried
    stays.coverage.save()
    becomes_pu.coverage.status = "pu"
    becomes_pu.coverage.save()
    new = services.renew(p, None)
    assert isinstance(new, Programme)
    assert new.period_start == dt.date(2028, 1, 1) and new.months == 12
    assert new.budget == p.budget and new.name == "Program Uji — lanjutan 2028"
    carried = Beneficiary.objects.filter(programme=new)
    assert list(carried.values_list("worker_id", flat=True)) == [stays.pk]
    assert carried[0].carried_over and carried[0].coverage_start == dt.date(2028, 1, 1)
    assert new.selection["not_carried"] == [
        {
            "worker_id": becomes_pu.pk,
            "name": "Budi Santoso",
            "reason": "sudah terlindungi sebagai PU",
        }
    ]
    with pytest.raises(ProgrammeError, match="tidak dapat diperpanjang dua kali"):
        services.renew(p, None)
    # running the selection keeps the carried person and fills the rest of the budget
    newcomer = uncovered()
    saved = services.save_selection(new, None)
    assert saved.selected == 1
    assert set(Beneficiary.objects.filter(programme=new).values_list("worker_id", flat=True)) == {
        stays.pk,
        newcomer.pk,
    }


def test_scenario_summary_compares_coverage_before_and_after():
    covered(make_worker("64.72"), "pu")
    for _ in range(3):
        uncovered("64.72")
    p = programme(people=2)
    base = services.summary(services.evaluate(p))
    bigger = services.summary(services.evaluate(p, Params.of(p, budget=3 * YEAR)))
    assert (base["selected"], base["total_cost"], base["leftover"]) == (2, 2 * YEAR, 0)
    assert (bigger["selected"], bigger["leftover"]) == (3, 0)
    row = bigger["regions"][0]
    assert (row["people"], row["covered_before"], row["rate_before"], row["rate_after"]) == (
        4, 1, 25.0, 100.0,
    )  # fmt: skip
    assert START.isoformat() == bigger["params"]["period_start"]
