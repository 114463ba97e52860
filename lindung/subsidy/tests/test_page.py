"""/iuran/: login required, rules in force listed, htmx calculator."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lindung.subsidy.models import RuleSet
from lindung.testing import client_for

pytestmark = pytest.mark.django_db


def test_page_requires_login(client):
    response = client.get(reverse("subsidy:rules"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_page_lists_rules_in_force_and_benefits(op_samarinda):
    page = client_for(op_samarinda).get(reverse("subsidy:rules")).content.decode()
    assert "Aturan iuran BPJS Ketenagakerjaan" in page
    assert "PP 44/2015" in page and "PP 50/2025" in page
    assert "batas upah JP Maret 2025" in page
    assert "42.000.000" in page


def test_htmx_calculator_returns_the_premium_with_explanation(op_samarinda):
    client = client_for(op_samarinda)
    params = {
        "income": "1000000",
        "package": ["JKK", "JKM"],
        "payer": "mandiri",
        "sector": "lainnya",
        "on": "2026-06-01",
    }
    response = client.get(reverse("subsidy:rules"), params, headers={"HX-Target": "hasil"})
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="premium-total">Rp 8.400' in body
    assert "PP 50/2025" in body
    params["payer"] = "pemerintah"
    again = client.get(reverse("subsidy:rules"), params, headers={"HX-Target": "hasil"})
    assert 'id="premium-total">Rp 16.800' in again.content.decode()


def test_calculator_shows_indonesian_error_for_a_date_without_rules(op_samarinda):
    params = {
        "income": "1000000",
        "package": ["JKK", "JKM"],
        "payer": "mandiri",
        "sector": "lainnya",
        "on": "2001-01-01",
    }
    body = client_for(op_samarinda).get(reverse("subsidy:rules"), params).content.decode()
    assert "Tidak ada aturan iuran BPU yang berlaku pada 1 Januari 2001" in body


def test_admin_copy_action_creates_an_editable_new_version(admin_provinsi):
    from django.contrib.admin.sites import site
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    bpu = RuleSet.objects.get(segment="BPU")
    request = RequestFactory().post("/")
    request.user = admin_provinsi
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    model_admin: Any = site._registry[RuleSet]
    model_admin.copy_as_new_version(request, RuleSet.objects.filter(pk=bpu.pk))
    copy = RuleSet.objects.filter(segment="BPU").exclude(pk=bpu.pk).get()
    assert copy.tiers.count() == bpu.tiers.count() == 198
    assert copy.bpu_rates.count() == 3 and copy.discounts.count() == 2
