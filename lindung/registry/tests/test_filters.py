"""Worker filters shared by the list, the export, the API and the dashboard's links: desa, sex,
age range, coverage status or group, with invalid values explained and scope always kept."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lindung.matching.models import (
    GROUP_STATUSES,
    Coverage,
    CoverageGroup,
    CoverageStatus,
    coverage_statuses,
)
from lindung.regions.models import Region
from lindung.registry import ages, services
from lindung.registry.models import Worker, WorkerStatus
from lindung.testing import api_client_headers, client_for, make_worker, streamed_body

pytestmark = pytest.mark.django_db
LIST = "registry:worker-list"


def _names(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {w.name for w in response.context["page"].rows}


def _covered(worker: Worker, status: str, reason: str = "NIK sama, nama sama") -> Worker:
    Coverage.objects.create(
        worker=worker, kabkota_id=worker.kabkota_id, status=status, reason=reason
    )
    return worker


# --- ages, without the database -----------------------------------------------------------------


DAYS = [dt.date(2026, 3, 1), dt.date(2024, 2, 29), dt.date(2025, 2, 28), dt.date(2026, 12, 31)]


@pytest.mark.parametrize("today", DAYS)
def test_age_range_birth_dates_agree_with_the_age_people_state(today):
    """Every birth date over ~70 years, each range against the plain age computation."""
    births = [today - dt.timedelta(days=n) for n in range(0, 70 * 366)]
    for group in (*ages.AGE_GROUPS, *ages.OTHER_AGES, ages.AgeRange(30, 30)):
        earliest, latest = group.birth_dates(today)
        inside = {b for b in births if earliest <= b <= latest}
        expected = {b for b in births if group.low <= ages.age_on(b, today) <= group.high}
        assert inside == expected, group


def test_age_parse_accepts_ranges_and_refuses_the_rest():
    assert ages.AgeRange.parse("18-24") == ages.AgeRange(18, 24)
    assert ages.AgeRange.parse(" 55 – 65 ") == ages.AgeRange(55, 65)
    for bad in ["24-18", "18", "dewasa", "18-", "-5-10", "10-999", "1e2-3"]:
        assert ages.AgeRange.parse(bad) is None, bad
    assert [g.param for g in ages.AGE_GROUPS] == ["18-24", "25-34", "35-44", "45-54", "55-65"]


def test_coverage_groups_are_defined_once():
    assert set(GROUP_STATUSES[CoverageGroup.TERLINDUNGI]) == {"pu", "bpu_mandiri", "bpu_program"}
    assert set(GROUP_STATUSES[CoverageGroup.BELUM_TERLINDUNGI]) == {"belum", "nonaktif"}
    assert coverage_statuses("tinjauan") == ("tinjauan",)
    assert coverage_statuses("belum_dicocokkan") is None and coverage_statuses("x") is None


# --- the filters on the database ----------------------------------------------------------------


def years_ago(years: int, days: int = 0) -> dt.date:
    return ages.years_before(timezone.localdate(), years) + dt.timedelta(days=days)


def test_age_filter_is_inclusive_on_todays_date(admin_provinsi):
    make_worker(name="Tepat 18", birth_date=years_ago(18))
    make_worker(name="Besok 18", birth_date=years_ago(18, days=1))
    make_worker(name="Masih 24", birth_date=years_ago(25, days=1))
    make_worker(name="Sudah 25", birth_date=years_ago(25))
    Worker.objects.filter(pk=make_worker(name="Tanpa tanggal").pk).update(birth_date=None)
    client = client_for(admin_provinsi)
    assert _names(client.get(reverse(LIST), {"age": "18-24"})) == {"Tepat 18", "Masih 24"}
    assert _names(client.get(reverse(LIST), {"age": "25-34"})) == {"Sudah 25"}
    assert _names(client.get(reverse(LIST), {"age": "0-17"})) == {"Besok 18"}


def test_age_groups_count_every_dated_worker_once(admin_provinsi):
    for years in [17, 18, 24, 25, 40, 65, 66, 80]:
        make_worker(name=f"Umur {years}", birth_date=years_ago(years))
    counts = dict(
        Worker.objects.annotate(group=ages.age_group_case(timezone.localdate()))
        .values_list("group")
        .annotate(n=Count("id"))
    )
    assert counts == {"0-17": 1, "18-24": 2, "25-34": 1, "35-44": 1, "55-65": 1, "66-130": 2}


def test_sex_and_desa_filters(admin_provinsi):
    siti = make_worker(name="Siti Aminah", sex="P")
    make_worker(name="Budi Santoso", sex="L")
    other_desa = (
        Region.objects.filter(level=Region.Level.DESA, code__startswith="64.72.")
        .exclude(code=siti.desa_id)
        .first()
    )
    assert other_desa is not None
    elsewhere = make_worker(name="Desa Lain", sex="P", desa=other_desa)
    client = client_for(admin_provinsi)
    assert _names(client.get(reverse(LIST), {"sex": "P"})) == {"Siti Aminah", "Desa Lain"}
    assert _names(client.get(reverse(LIST), {"sex": "L"})) == {"Budi Santoso"}
    assert _names(client.get(reverse(LIST), {"desa": other_desa.code})) == {"Desa Lain"}
    # the form shows the desa's kecamatan and kab/kota even when only the desa was given
    page = client.get(reverse(LIST), {"desa": other_desa.code})
    assert page.context["selected_kecamatan"] == elsewhere.kecamatan_id
    assert page.context["selected_kabkota"] == "64.72"
    assert f'<option value="{other_desa.code}" selected>' in page.text


def test_a_kecamatan_left_over_from_another_kabkota_is_dropped(admin_provinsi):
    smd = make_worker("64.72", name="Samarinda")
    make_worker("64.71", name="Balikpapan")
    flt = services.WorkerFilter.from_params({"kabkota": "64.71", "kecamatan": smd.kecamatan_id})
    assert flt.kecamatan == "" and flt.kabkota == "64.71"
    assert _names(client_for(admin_provinsi).get(reverse(LIST), flt.as_dict())) == {"Balikpapan"}


@pytest.fixture
def coverage_world():  # type: ignore[no-untyped-def]
    """One worker per coverage status in Samarinda, one unmatched, one rejected (merged)."""
    world: dict[str, Worker] = {
        status.value: _covered(make_worker(name=f"S {status}"), status) for status in CoverageStatus
    }
    world["none"] = make_worker(name="S none")
    world["rejected"] = make_worker(name="S rejected", status=WorkerStatus.REJECTED)
    return world


EXPECTED = {
    "pu": {"S pu"},
    "bpu_mandiri": {"S bpu_mandiri"},
    "bpu_program": {"S bpu_program"},
    "nonaktif": {"S nonaktif"},
    "belum": {"S belum"},
    "tinjauan": {"S tinjauan"},
    "terlindungi": {"S pu", "S bpu_mandiri", "S bpu_program"},
    "belum_terlindungi": {"S belum", "S nonaktif"},
    "belum_dicocokkan": {"S none"},
}


def test_coverage_filter_each_value(admin_provinsi, op_samarinda, coverage_world):
    assert set(EXPECTED) == set(CoverageStatus.values) | set(CoverageGroup.values)
    for user in (admin_provinsi, op_samarinda):
        client = client_for(user)
        for value, names in EXPECTED.items():
            assert _names(client.get(reverse(LIST), {"coverage": value})) == names, value
        assert _names(client.get(reverse(LIST), {"coverage": "terlindungi", "kabkota": "64.72"}))


def test_list_and_detail_show_the_coverage_status_with_its_reason(admin_provinsi, coverage_world):
    Coverage.objects.filter(worker=coverage_world["belum"]).update(
        reason="Tidak ditemukan dalam data peserta BPJS Ketenagakerjaan"
    )
    client = client_for(admin_provinsi)
    page = client.get(reverse(LIST), {"coverage": "belum"})
    assert "Cakupan BPJS TK" in page.text
    assert "Tidak terdaftar di BPJS TK" in page.text
    assert "Tidak ditemukan dalam data peserta BPJS Ketenagakerjaan" in page.text
    unmatched = client.get(reverse(LIST), {"coverage": "belum_dicocokkan"})
    assert "Belum dicocokkan</span>" in unmatched.text
    detail = client.get(reverse("registry:worker-detail", args=[coverage_world["belum"].pk]))
    assert "Tidak ditemukan dalam data peserta BPJS Ketenagakerjaan" in detail.text


def test_invalid_values_are_ignored_with_a_visible_message(admin_provinsi):
    make_worker(name="Siti Aminah", sex="P")
    client = client_for(admin_provinsi)
    response = client.get(reverse(LIST), {"age": "65-18", "sex": "X", "coverage": "aman"})
    assert _names(response) == {"Siti Aminah"}  # nothing filtered out
    assert "Rentang umur «65-18» tidak dapat dibaca" in response.text
    assert "Jenis kelamin «X» tidak dikenal" in response.text
    assert "Status cakupan «aman» tidak dikenal" in response.text
    fragment = client.get(
        reverse(LIST), {"age": "tua"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert "Rentang umur «tua»" in fragment.text  # also after an htmx swap
    assert "age=" not in fragment.text  # the bad value is not carried into page links


def _api(headers: dict[str, str], params: dict[str, str]) -> dict[str, Any]:
    url = f"/api/v1/workers/?{urlencode(params)}"
    return Client().get(url, HTTP_AUTHORIZATION=headers["HTTP_AUTHORIZATION"]).json()


def _balikpapan_world() -> tuple[Worker, Worker]:
    smd = _covered(make_worker("64.72", name="Siti Samarinda", sex="P"), "belum")
    bpp = _covered(make_worker("64.71", name="Rina Balikpapan", sex="P"), "belum")
    make_worker("64.71", name="Tanpa Cakupan Balikpapan", sex="P")
    return smd, bpp


SCOPE_FILTERS: list[dict[str, str]] = [
    {},
    {"kabkota": "64.71"},
    {"coverage": "belum"},
    {"coverage": "belum_terlindungi", "kabkota": "64.71"},
    {"coverage": "belum_dicocokkan"},
    {"sex": "P", "age": "18-65"},
    {"age": "30-50", "coverage": "belum_terlindungi"},
]


def test_samarinda_operator_never_sees_balikpapan_through_any_filter(op_samarinda):
    smd, bpp = _balikpapan_world()
    client = client_for(op_samarinda)
    headers = api_client_headers(op_samarinda)
    elsewhere = [{"desa": bpp.desa_id or ""}, {"kecamatan": bpp.kecamatan_id or ""}]
    for params in [*SCOPE_FILTERS, *elsewhere]:
        names = _names(client.get(reverse(LIST), params))
        assert not any("Balikpapan" in name for name in names), params
        body = streamed_body(client.get(reverse("registry:worker-export"), params)).decode()
        assert "Balikpapan" not in body, params
        items = _api(headers, params)["items"]
        assert all(item["kabkota"] == "64.72" for item in items), params
    assert _names(client.get(reverse(LIST), {"coverage": "belum"})) == {smd.name}
    desa = client.get(reverse("registry:desa-options"), {"kecamatan": bpp.kecamatan_id or ""})
    assert list(desa.context["desa_choices"]) == []


def test_export_and_api_take_the_same_filters(admin_provinsi, coverage_world):
    client = client_for(admin_provinsi)
    body = streamed_body(
        client.get(reverse("registry:worker-export"), {"coverage": "terlindungi"})
    ).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].endswith("status_cakupan;alasan_cakupan")
    assert len(lines) == 1 + 3
    assert "BPU mandiri;NIK sama, nama sama" in body
    headers = api_client_headers(admin_provinsi)
    data = _api(headers, {"coverage": "belum_terlindungi"})
    assert {item["name"] for item in data["items"]} == {"S belum", "S nonaktif"}
    assert {item["coverage_status"] for item in data["items"]} == {"belum", "nonaktif"}
    assert data["warnings"] == []
    bad = _api(headers, {"age": "x"})
    assert len(bad["items"]) == len(coverage_world) and "«x»" in bad["warnings"][0]


def test_desa_options_follow_the_kecamatan(admin_provinsi):
    worker = make_worker()
    response = client_for(admin_provinsi).get(
        reverse("registry:desa-options"), {"kecamatan": worker.kecamatan_id or ""}
    )
    codes = [r.code for r in response.context["desa_choices"]]
    assert worker.desa_id in codes
    assert all(code.startswith(f"{worker.kecamatan_id}.") for code in codes)


def test_operator_filter_outside_their_kabkota_is_dropped_with_a_message(op_samarinda):
    own = make_worker("64.72", name="Warga Samarinda")
    make_worker("64.71", name="Warga Balikpapan")
    response = client_for(op_samarinda).get(reverse("registry:worker-list"), {"kabkota": "64.71"})
    assert [w.name for w in response.context["page"].rows] == [own.name]
    assert "«64.71» di luar kewenangan akun Anda" in response.text
    assert "hanya Kota Samarinda" in response.text
