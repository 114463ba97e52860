"""A person logs in, searches the registry, opens a worker; an operator sees only their region."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lindung.testing import PASSWORD, make_worker, persona_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_searches_worker_and_opens_detail(page):
    persona_user("admin")
    make_worker("64.72", name="Siti Aminah", sex="P")
    make_worker("64.71", name="Yakobus Lerang")
    login(page, "admin", PASSWORD)
    page.get_by_role("link", name="Pekerja", exact=True).click()
    page.get_by_label("Cari nama atau NIK").fill("siti")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#results tbody tr")).to_have_count(1)  # waits for the htmx swap
    page.get_by_role("link", name="Siti Aminah").click()
    assert page.get_by_role("heading", name="Siti Aminah").is_visible()
    assert page.get_by_text("Kota Samarinda").first.is_visible()
    masked = page.locator("#nik code").inner_text()
    assert re.fullmatch(r"\d{6}\*{6}\d{4}", masked)
    page.get_by_role("button", name=re.compile("Tampilkan NIK lengkap")).click()
    page.locator("#nik code").filter(has_not_text="*").wait_for()
    assert not page.get_by_role("button", name=re.compile("Tampilkan NIK lengkap")).is_visible()


def test_operator_sees_only_own_region_and_404_elsewhere(page):
    persona_user("op.samarinda")
    make_worker("64.72", name="Siti Aminah", sex="P")
    other = make_worker("64.71", name="Yakobus Lerang")
    login(page, "op.samarinda", PASSWORD)
    page.goto("/pekerja/")
    body = page.locator("#results").inner_text()
    assert "Siti Aminah" in body and "Yakobus Lerang" not in body
    response = page.goto(f"/pekerja/{other.pk}/")
    assert response is not None and response.status == 404


def test_phone_width_list_is_usable(page):
    persona_user("pimpinan")
    make_worker("64.72", name="Siti Aminah", sex="P")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "pimpinan", PASSWORD)
    page.goto("/pekerja/")
    assert page.get_by_role("link", name="Siti Aminah").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"page scrolls sideways at phone width ({width}px)"
