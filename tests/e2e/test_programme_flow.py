"""An admin creates a Rp 3 billion, 12-month programme in the browser, selects its
beneficiaries and compares three scenarios side by side."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lindung.matching.models import Coverage
from lindung.programmes.models import Beneficiary, Programme, Scenario
from lindung.subsidy.premiums import add_months
from lindung.testing import PASSWORD, make_worker, persona_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _registry() -> None:
    """Demo-like: two kab/kota, some covered, one too old, the rest waiting."""
    for i in range(12):
        kab = "64.72" if i < 8 else "64.71"
        status = "pu" if i % 4 == 0 else "belum"
        born = dt.date(1955, 1, 1) if i == 1 else dt.date(1970 + i, 3, 1)
        worker = make_worker(kab, name=f"Pekerja {i}", birth_date=born, poverty_decile=1 + i % 5)
        Coverage.objects.create(worker=worker, kabkota_id=kab, status=status)


def test_admin_creates_selects_and_compares_scenarios(page):
    persona_user("admin")
    _registry()
    start = add_months(timezone.localdate().replace(day=1), 1)

    login(page, "admin", PASSWORD)
    page.get_by_role("link", name="Program", exact=True).click()
    page.get_by_role("button", name="Program baru").click()
    page.fill("input[name=name]", "Bantuan Iuran Pekerja Rentan Provinsi")
    page.select_option("select[name=funder]", "apbd_provinsi")
    page.fill("input[name=budget]", "30 miliar")
    assert page.locator("#id_budget_echo").inner_text() == "Rp 30.000.000.000 (30 miliar)"
    page.fill("input[name=budget]", "Rp 3.000.000.000")  # typed the Indonesian way
    assert page.locator("#id_budget_echo").inner_text() == "Rp 3.000.000.000 (3 miliar)"
    page.fill("input[name=period_start]", start.isoformat())
    page.fill("input[name=months]", "12")
    page.get_by_role("button", name="Simpan program").click()

    page.get_by_text("dibuat.").wait_for()
    assert page.locator("#capacity").inner_text() == "14.880"
    programme = Programme.objects.get()
    page.get_by_role("button", name="Pilih penerima").click()
    page.get_by_text("8 penerima terpilih").wait_for()
    assert Beneficiary.objects.filter(programme=programme).count() == 8
    page.locator("#quota-table tbody tr").first.wait_for()
    assert page.locator("#out-counts").get_by_text("Sudah terlindungi BPJS TK").is_visible()

    # filter the beneficiaries by kab/kota (htmx swap)
    page.locator("select[name=kabkota]").select_option("64.71")
    page.wait_for_url("**kabkota=64.71**")
    page.locator("#beneficiary-table tbody tr").first.wait_for()
    assert page.locator("#beneficiary-table tbody tr").count() == 3

    page.get_by_role("button", name="Bandingkan skenario").click()
    for name, budget, months in (
        ("Anggaran dipangkas", "806.400", "12"),
        ("Enam bulan", "806400", "6"),
        ("Dengan JHT", "3000000000", "12"),
    ):
        page.fill("input[name=name]", name)
        page.fill("input[name=budget]", budget)
        page.fill("input[name=months]", months)
        if name == "Dengan JHT":
            page.select_option("select[name=package]", "JKK,JKM,JHT")
        page.get_by_role("button", name="Hitung skenario").click()
        page.get_by_text("Skenario dihitung.").wait_for()
    header = page.locator("#scenario-table thead th")
    assert header.count() == 5  # label column + current programme + three scenarios
    people = page.locator("#scenario-table tr.people td").all_inner_texts()
    assert people == ["8", "4", "8", "8"]  # Rp 806.400 = 4 people × 12 months, or 8 × 6
    assert Scenario.objects.get(name="Dengan JHT").result["premium_monthly"] == 36_800
    assert page.locator("#scenario-regions tbody tr").count() == 2
