"""Leaders answer "how many are unprotected in Kutai Kartanegara?" in two clicks and follow the
number to the list behind it; an operator's dashboard shows only their kab/kota."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lindung import testing
from lindung.matching.models import Coverage
from lindung.reporting.summary import refresh_summaries
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry():  # type: ignore[no-untyped-def]
    for kab, status, n in (("64.02", "belum", 3), ("64.02", "pu", 2), ("64.72", "nonaktif", 2)):
        for _ in range(n):
            worker = testing.make_worker(kab, name="Rahmat Hidayat")
            Coverage.objects.create(worker=worker, kabkota_id=kab, status=status)
    refresh_summaries()


def test_leader_answers_in_two_clicks_and_opens_the_list(page, registry) -> None:  # type: ignore[no-untyped-def]
    testing.persona_user("pimpinan")
    login(page, "pimpinan", testing.PASSWORD)
    expect(page).to_have_url(re.compile(r"/dasbor/$"))  # the home page leads leaders here
    # click 1: Kutai Kartanegara in the ranking
    page.locator("table.ranked").get_by_role("link", name="Kutai Kartanegara").click()
    answer = page.locator("#jawaban")
    expect(answer).to_contain_text(
        "Di Kabupaten Kutai Kartanegara, 3 pekerja rentan belum terlindungi (60,0%)."
    )
    # click 2: the number opens the filtered worker list, NIKs masked for leaders
    answer.get_by_role("link", name="3").click()
    expect(page).to_have_url(re.compile(r"/pekerja/\?kabkota=64\.02&coverage=belum_terlindungi"))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("******")


def test_operator_sees_only_samarinda(page, registry) -> None:  # type: ignore[no-untyped-def]
    testing.persona_user("op.samarinda")
    login(page, "op.samarinda", testing.PASSWORD)
    page.get_by_role("link", name="Dasbor", exact=True).click()
    expect(page.locator("#jawaban")).to_contain_text(
        "Di Kota Samarinda, 2 pekerja rentan belum terlindungi (100,0%)."
    )
    expect(page.locator("#wilayah option")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("Kutai Kartanegara")
    response = page.goto("/dasbor/?wilayah=64.02")
    assert response is not None and response.status == 404
