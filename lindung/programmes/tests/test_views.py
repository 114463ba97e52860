"""Programme pages: creation with every bad input refused and nothing saved, selection, scope,
scenarios side by side, replacement and the per-worker explanation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lindung.programmes.models import Beneficiary, Programme, Scenario
from lindung.programmes.tests.conftest import START, YEAR, programme, uncovered
from lindung.testing import client_for

pytestmark = pytest.mark.django_db


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Bantuan Iuran Provinsi 2027",
        "funder": "apbd_provinsi",
        "group_code": "SG",
        "budget": 3_000_000_000,
        "period_start": START.isoformat(),
        "months": 12,
        "package": "JKK,JKM",
        "declared_income": 1_000_000,
        "min_age": 18,
        "max_age": 65,
        "quota_mode": "proporsional",
        "priority_1": "desil_terendah",
        "priority_2": "usia_tertua",
    }
    data.update(changes)
    return data


def test_admin_creates_a_programme(admin_provinsi):
    uncovered()
    response = client_for(admin_provinsi).post("/program/baru/", _form())
    created = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/program/{created.pk}/"
    assert created.priorities == ["desil_terendah", "usia_tertua"]
    page = client_for(admin_provinsi).get(f"/program/{created.pk}/").content.decode()
    assert "14.880" in page and "Rp 16.800" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"budget": -5}, "Anggaran harus lebih dari Rp 0."),
        ({"budget": 0}, "Anggaran harus lebih dari Rp 0."),
        ({"budget": 30_000_000_000_000}, "tidak masuk akal"),
        ({"budget": 100_000}, "tidak cukup untuk satu orang pun (Rp 201.600 per orang)"),
        ({"period_start": "2020-01-01"}, "sudah lewat"),
        ({"months": 0}, "Lama (bulan) paling sedikit 1 bulan."),
        ({"months": 61}, "Lama (bulan) paling lama 60 bulan."),
        ({"min_age": 60, "max_age": 30}, "Usia maksimum lebih kecil dari usia minimum."),
        ({"max_age": 19}, "Aturan ini tidak memilih siapa pun: 1 di atas usia maksimum"),
        ({"quota_mode": "manual"}, "Isi kuota sedikitnya satu kabupaten/kota."),
        ({"quota_mode": "manual", "quota_64.72": 20_000}, "melebihi kapasitas anggaran 14.880"),
        ({"priority_2": "desil_terendah"}, "Aturan prioritas yang sama dipilih dua kali."),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(admin_provinsi, changes, message):
    uncovered()
    response = client_for(admin_provinsi).post("/program/baru/", _form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Programme.objects.exists()


def test_overlapping_programme_of_the_same_funder_and_target_is_refused(admin_provinsi):
    uncovered()
    programme(name="Sudah Ada", targets=["64.72"])
    response = client_for(admin_provinsi).post(
        "/program/baru/", _form(target_regions=["64.72"], period_start="2027-06-01")
    )
    assert "Tumpang tindih dengan program «Sudah Ada»" in response.content.decode()
    assert Programme.objects.count() == 1
    other_target = client_for(admin_provinsi).post(
        "/program/baru/", _form(target_regions=["64.71"], period_start="2027-06-01")
    )
    assert "Tumpang tindih" not in other_target.content.decode()


def test_run_selection_then_operator_sees_only_their_kabkota(
    admin_provinsi, op_samarinda, op_balikpapan, pimpinan, petugas_bpjs
):
    samarinda = uncovered("64.72", name="Siti Aminah")
    balikpapan = uncovered("64.71", name="Yakobus Lerang")
    p = programme(people=2)
    response = client_for(admin_provinsi).post(f"/program/{p.pk}/pilih/", follow=True)
    assert "2 penerima terpilih; biaya Rp 403.200, sisa anggaran Rp 0." in response.content.decode()
    assert Beneficiary.objects.filter(programme=p).count() == 2

    page = client_for(op_samarinda).get(f"/program/{p.pk}/").content.decode()
    assert "Siti Aminah" in page and "Yakobus Lerang" not in page
    assert samarinda.masked_nik in page and samarinda.nik not in page
    assert client_for(op_samarinda).post(f"/program/{p.pk}/pilih/").status_code == 403
    assert client_for(op_samarinda).get(f"/program/pekerja/{balikpapan.pk}/").status_code == 404
    assert client_for(op_balikpapan).get(f"/program/pekerja/{balikpapan.pk}/").status_code == 200
    odd = client_for(op_balikpapan).get(f"/program/pekerja/{balikpapan.pk}/?program=abc")
    assert odd.status_code == 200  # a mangled link shows no programme rather than a 500
    assert client_for(pimpinan).get(f"/program/{p.pk}/").status_code == 200
    assert client_for(petugas_bpjs).get("/program/").status_code == 403
    menu = client_for(op_samarinda).get("/program/").content.decode()
    assert ">1<" in menu.replace(" ", "")  # their one beneficiary, not both


def test_worker_page_explains_why_out(admin_provinsi):
    old = uncovered(name="Pak Tua", birth_date=dt.date(1959, 6, 1))
    uncovered()
    p = programme(people=1)
    page = client_for(admin_provinsi).get(f"/program/pekerja/{old.pk}/?program={p.pk}")
    assert "usia 67 di atas batas 65" in page.content.decode()


def test_out_list_links_from_the_summary(admin_provinsi):
    uncovered(name="Pak Tua", birth_date=dt.date(1959, 6, 1))
    uncovered()
    p = programme(people=1)
    client_for(admin_provinsi).post(f"/program/{p.pk}/pilih/")
    detail = client_for(admin_provinsi).get(f"/program/{p.pk}/").content.decode()
    assert f"/program/{p.pk}/tidak-terpilih/terlalu_tua/" in detail
    listed = client_for(admin_provinsi).get(f"/program/{p.pk}/tidak-terpilih/terlalu_tua/")
    assert "Pak Tua" in listed.content.decode()
    assert "usia 67 di atas batas 65" in listed.content.decode()


SCENARIO = {"months": 12, "package": "JKK,JKM", "declared_income": 1_000_000, "max_age": 65,
            "priority_1": "desil_terendah"}  # fmt: skip


def test_scenarios_are_evaluated_stored_and_shown_side_by_side(admin_provinsi):
    for _ in range(3):
        uncovered()
    p = programme(people=1)
    client = client_for(admin_provinsi)
    for name, budget in (("Dua orang", 2 * YEAR), ("Tiga orang", 3 * YEAR)):
        data = {**SCENARIO, "name": name, "budget": budget}
        assert client.post(f"/program/{p.pk}/skenario/", data).status_code == 302
    stored = Scenario.objects.get(name="Tiga orang")
    assert stored.result["selected"] == 3 and stored.result["total_cost"] == 3 * YEAR
    assert stored.params["budget"] == 3 * YEAR
    page = client.get(f"/program/{p.pk}/skenario/").content.decode()
    assert "Program saat ini" in page and "Dua orang" in page and "Tiga orang" in page
    assert not Beneficiary.objects.exists()
    bad = client.post(f"/program/{p.pk}/skenario/", {**SCENARIO, "name": "x", "budget": -1})
    assert "Anggaran harus lebih dari Rp 0." in bad.content.decode()
    assert Scenario.objects.count() == 2


def test_scenarios_show_the_package_name_not_its_code(admin_provinsi):
    uncovered()
    p = programme(people=1)
    client = client_for(admin_provinsi)
    data = {**SCENARIO, "name": "Dengan JHT", "budget": 3 * YEAR, "package": "JKK,JKM,JHT"}
    client.post(f"/program/{p.pk}/skenario/", data)
    page = client.get(f"/program/{p.pk}/skenario/").content.decode()
    assert ">JKK + JKM<" in page and ">JKK + JKM + JHT<" in page
    assert "JKK,JKM" not in page.replace('value="JKK,JKM', "")  # only as the choice values
    detail = client.get(f"/program/{p.pk}/").content.decode()
    assert "JKK + JKM," in detail and "JKK,JKM" not in detail


def test_replace_button_offers_the_place_to_the_next_in_line(admin_provinsi):
    first = uncovered(poverty_decile=1)
    second = uncovered(poverty_decile=2)
    p = programme(people=1, period_start=timezone.localdate().replace(day=1))
    client = client_for(admin_provinsi)
    client.post(f"/program/{p.pk}/pilih/")
    gone = Beneficiary.objects.get(programme=p)
    assert gone.worker_id == first.pk
    response = client.post(
        f"/program/penerima/{gone.pk}/ganti/", {"exit_reason": "pindah"}, follow=True
    )
    assert "ditawarkan kepada" in response.content.decode()
    assert Beneficiary.objects.get(programme=p, replaces=gone).worker_id == second.pk


def test_editing_after_selection_clears_the_unsent_list(admin_provinsi):
    uncovered()
    p = programme(people=1)
    client = client_for(admin_provinsi)
    client.post(f"/program/{p.pk}/pilih/")
    data = _form(name=p.name, budget=2 * YEAR, period_start=START.isoformat())
    response = client.post(f"/program/{p.pk}/ubah/", data, follow=True)
    assert "1 penerima terpilih dihapus" in response.content.decode()
    assert not Beneficiary.objects.filter(programme=p).exists()
