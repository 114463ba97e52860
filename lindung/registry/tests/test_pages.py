"""The registry list, search, filters, keyset pagination and detail page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.registry import services
from lindung.registry.models import Worker
from lindung.testing import client_for, make_worker, streamed_body

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [w.name for w in response.context["page"].rows]


def test_search_by_any_part_of_the_name_ignores_case_and_punctuation(admin_provinsi):
    make_worker(name="H. Muhammad Yusuf")
    make_worker(name="Siti Aminah", sex="P")
    client = client_for(admin_provinsi)
    assert _names(client.get(reverse("registry:worker-list"), {"q": "YUSUF"})) == [
        "H. Muhammad Yusuf"
    ]
    assert _names(client.get(reverse("registry:worker-list"), {"q": "h muhammad"})) == [
        "H. Muhammad Yusuf"
    ]


def test_search_by_nik_prefix_and_full_nik(admin_provinsi):
    target = make_worker(name="Siti Aminah", sex="P")
    make_worker("64.71", name="Yakobus Lerang")
    client = client_for(admin_provinsi)
    assert _names(client.get(reverse("registry:worker-list"), {"q": target.nik})) == ["Siti Aminah"]
    spaced = f"{target.nik[:6]} {target.nik[6:12]} {target.nik[12:]}"
    assert _names(client.get(reverse("registry:worker-list"), {"q": spaced})) == ["Siti Aminah"]
    assert _names(client.get(reverse("registry:worker-list"), {"q": "6472"})) == ["Siti Aminah"]


def test_filters_by_kabkota_kecamatan_and_occupation(admin_provinsi):
    a = make_worker("64.72", name="Nelayan Samarinda", occupation="nelayan")
    make_worker("64.72", name="Ojek Samarinda", occupation="ojek")
    make_worker("64.71", name="Nelayan Balikpapan", occupation="nelayan")
    client = client_for(admin_provinsi)
    url = reverse("registry:worker-list")
    assert a.kecamatan_id is not None
    assert _names(client.get(url, {"kabkota": "64.72", "occupation": "nelayan"})) == [a.name]
    assert _names(client.get(url, {"kecamatan": a.kecamatan_id, "occupation": "nelayan"})) == [
        a.name
    ]


def test_keyset_pages_cover_every_worker_once_in_both_directions(admin_provinsi, monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 3)
    created = [make_worker(name=f"Pekerja {i:02d}").pk for i in range(8)]
    flt = services.WorkerFilter()
    seen, after, pages = [], None, []
    while True:
        page = services.worker_page(admin_provinsi, flt, after=after)
        pages.append(page)
        seen += [w.pk for w in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == sorted(created, reverse=True)
    assert [len(p.rows) for p in pages] == [3, 3, 2]
    back = services.worker_page(admin_provinsi, flt, before=pages[2].prev_before)
    assert [w.pk for w in back.rows] == [w.pk for w in pages[1].rows]
    assert pages[0].prev_before is None


def test_count_is_capped_so_large_registries_stay_fast(admin_provinsi, monkeypatch):
    monkeypatch.setattr(services, "COUNT_CAP", 2)
    for i in range(3):
        make_worker(name=f"Pekerja {i}")
    page = services.worker_page(admin_provinsi, services.WorkerFilter())
    assert page.count_capped and page.count == 2


def test_a_capped_list_fetches_its_exact_count_after_showing(
    admin_provinsi, op_samarinda, monkeypatch
):
    monkeypatch.setattr(services, "COUNT_CAP", 2)
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    for i in range(4):
        make_worker(name=f"Pekerja {i}")
    make_worker("64.71")
    page = client_for(admin_provinsi).get(
        reverse("registry:worker-list"), {"occupation": "nelayan"}
    )
    assert 'hx-get="/pekerja/jumlah/?occupation=nelayan"' in page.text
    exact = client_for(admin_provinsi).get(
        reverse("registry:worker-count"), {"occupation": "nelayan"}
    )
    assert exact.text.strip() == "5 pekerja"
    scoped = client_for(op_samarinda).get(reverse("registry:worker-count"))
    assert scoped.text.strip() == "4 pekerja"


def test_htmx_search_returns_only_the_results_fragment(op_samarinda, worker_samarinda):
    response = client_for(op_samarinda).get(
        reverse("registry:worker-list"),
        {"q": "siti"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert "<html" not in response.text
    assert "Siti Aminah" in response.text


def test_operator_kecamatan_options_stay_in_own_kabkota(op_samarinda):
    response = client_for(op_samarinda).get(
        reverse("registry:kecamatan-options"), {"kabkota": "64.71"}
    )
    codes = [r.code for r in response.context["kecamatan_choices"]]
    assert codes and all(code.startswith("64.72.") for code in codes)


def test_detail_page_masks_nik_and_shows_region_names(admin_provinsi, worker_samarinda):
    response = client_for(admin_provinsi).get(
        reverse("registry:worker-detail", args=[worker_samarinda.pk])
    )
    assert worker_samarinda.masked_nik in response.text
    assert worker_samarinda.nik not in response.text
    assert "Kota Samarinda" in response.text


def test_export_neutralises_formula_injection(admin_provinsi):
    make_worker(name='=HYPERLINK("http://evil","klik")')
    response = client_for(admin_provinsi).get(reverse("registry:worker-export"))
    body = streamed_body(response).decode("utf-8-sig")
    assert ";'=HYPERLINK(" in body.replace('"', "")


def test_home_summarises_the_users_scope(op_samarinda, worker_samarinda, worker_balikpapan):
    summary = client_for(op_samarinda).get(reverse("home")).context["summary"]
    assert summary["total"] == 1
    assert [row["code"] for row in summary["per_kabkota"]] == ["64.72"]


def test_save_fills_region_columns_from_desa():
    worker = make_worker("64.74")
    stored = Worker.objects.get(pk=worker.pk)
    assert stored.desa_id is not None
    assert stored.kecamatan_id == stored.desa_id.rsplit(".", 1)[0]
    assert stored.kabkota_id == "64.74"
    assert stored.name_search == "budi santoso"
