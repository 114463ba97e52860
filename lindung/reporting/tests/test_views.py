"""The dashboard page: numbers equal the database, links open the list behind them, scope."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from lindung import testing
from lindung.matching.models import Coverage
from lindung.reporting.aggregates import RegionRef
from lindung.reporting.summary import refresh_summaries


@pytest.fixture
def data(db):  # type: ignore[no-untyped-def]
    for kab, status, n in (("64.02", "belum", 3), ("64.02", "pu", 1), ("64.72", "belum", 2)):
        for _ in range(n):
            worker = testing.make_worker(kab)
            Coverage.objects.create(worker=worker, kabkota_id=kab, status=status)
    testing.make_worker("64.02")  # not matched yet
    refresh_summaries()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.mark.django_db
def test_leader_answers_the_headline_question(data, pimpinan) -> None:  # type: ignore[no-untyped-def]
    response = testing.client_for(pimpinan).get("/dasbor/?wilayah=64.02")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Di Kabupaten Kutai Kartanegara, 3 pekerja rentan belum terlindungi (60,0%)." in _text(
        html
    )
    assert 'href="/pekerja/?kabkota=64.02&amp;coverage=belum_terlindungi"' in html


@pytest.mark.django_db
def test_english_page_writes_numbers_the_english_way(data, pimpinan) -> None:  # type: ignore[no-untyped-def]
    client = testing.client_for(pimpinan)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = _text(client.get("/dasbor/").content.decode())
    assert "5 vulnerable workers are not yet covered (71.4%)." in text
    assert "71,4%" not in text


@pytest.mark.django_db
def test_province_page_ranks_kabkota(data, pimpinan, admin_provinsi) -> None:  # type: ignore[no-untyped-def]
    for user in (pimpinan, admin_provinsi):
        html = testing.client_for(user).get("/dasbor/").content.decode()
        text = _text(html)
        assert "Di Kalimantan Timur, 5 pekerja rentan belum terlindungi (71,4%)." in text
        assert text.index("Kutai Kartanegara") < text.index("Samarinda")  # most unprotected first
        assert 'class="tilemap"' in html


@pytest.mark.django_db
def test_operator_sees_only_their_kabkota(data, op_samarinda) -> None:  # type: ignore[no-untyped-def]
    client = testing.client_for(op_samarinda)
    html = client.get("/dasbor/").content.decode()
    assert "Di Kota Samarinda, 2 pekerja rentan belum terlindungi (100,0%)." in _text(html)
    assert "Kutai Kartanegara" not in html
    assert client.get("/dasbor/?wilayah=64.02").status_code == 404
    assert client.get("/dasbor/?wilayah=64").status_code == 404


@pytest.mark.django_db
def test_roles_without_reports_are_refused(data, petugas_bpjs, client) -> None:  # type: ignore[no-untyped-def]
    assert testing.client_for(petugas_bpjs).get("/dasbor/").status_code == 403
    assert client.get("/dasbor/").status_code == 302  # to the login page


@pytest.mark.django_db
def test_page_without_summary_explains_how_to_fill_it(pimpinan) -> None:  # type: ignore[no-untyped-def]
    html = testing.client_for(pimpinan).get("/dasbor/").content.decode()
    assert "lindung refresh-dashboard" in html


@pytest.mark.django_db
def test_home_leads_to_the_dashboard(data, pimpinan, op_samarinda, petugas_bpjs) -> None:  # type: ignore[no-untyped-def]
    response = testing.client_for(pimpinan).get("/")
    assert response.status_code == 302 and response["Location"] == "/dasbor/"
    html = testing.client_for(op_samarinda).get("/").content.decode()
    assert "Di Kota Samarinda, 2 pekerja rentan belum terlindungi (100,0%)." in html
    assert 'href="/dasbor/"' in html
    bpjs_home = testing.client_for(petugas_bpjs).get("/").content.decode()
    assert "belum terlindungi (" not in bpjs_home and 'href="/dasbor/"' not in bpjs_home


def test_only_a_kabkota_loses_its_prefix_on_narrow_labels() -> None:
    assert RegionRef("64.02", "Kabupaten Kutai Kartanegara", "kabkota").short_name == (
        "Kutai Kartanegara"
    )
    assert RegionRef("64.02.08", "Kota Bangun", "kecamatan").short_name == "Kota Bangun"


@pytest.mark.django_db
def test_every_region_row_opens_its_own_page_down_to_the_desa(data, pimpinan) -> None:  # type: ignore[no-untyped-def]
    client = testing.client_for(pimpinan)
    worker = testing.make_worker("64.02")
    refresh_summaries()
    html = client.get(f"/dasbor/?wilayah={worker.kecamatan_id}").content.decode()
    assert f'href="?wilayah={worker.desa_id}"' in html
    assert client.get(f"/dasbor/?wilayah={worker.desa_id}").status_code == 200
