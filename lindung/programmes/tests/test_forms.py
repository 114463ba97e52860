"""Programme and scenario forms as a clerk types into them: amounts the Indonesian way
("Rp 3.000.000.000", "3 miliar") shown back grouped, the length in months refused outside
1–60, every message naming its field, and nothing saved on a refusal."""

from __future__ import annotations

import pytest
from django.utils import translation

from lindung.programmes.forms import RupiahField, parse_rupiah
from lindung.programmes.models import Programme, Scenario
from lindung.programmes.tests.conftest import programme, uncovered
from lindung.programmes.tests.test_views import SCENARIO, _form
from lindung.testing import client_for

pytestmark = pytest.mark.django_db

MONTHS = [
    ("0", "Lama (bulan) paling sedikit 1 bulan."),
    ("-3", "Lama (bulan) paling sedikit 1 bulan."),
    ("61", "Lama (bulan) paling lama 60 bulan."),
    ("1200", "Lama (bulan) paling lama 60 bulan."),
    ("dua belas", "Lama (bulan) harus bilangan bulat, misalnya 12."),
    ("", "Lama (bulan) wajib diisi."),
]


@pytest.mark.parametrize(("months", "message"), MONTHS)
def test_new_programme_refuses_months_outside_1_to_60(admin_provinsi, months, message):
    uncovered()
    response = client_for(admin_provinsi).post("/program/baru/", _form(months=months))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "lama program minimal 1 bulan" not in page  # stopped before the cost services
    assert 'min="1" max="60"' in page
    assert not Programme.objects.exists()


@pytest.mark.parametrize(("months", "message"), MONTHS[:3])
def test_editing_a_programme_refuses_months_outside_1_to_60(admin_provinsi, months, message):
    uncovered()
    p = programme(people=1)
    data = _form(name=p.name, budget=p.budget, months=months)
    response = client_for(admin_provinsi).post(f"/program/{p.pk}/ubah/", data)
    assert message in response.content.decode()
    p.refresh_from_db()
    assert p.months == 12


@pytest.mark.parametrize(("months", "message"), MONTHS[:3])
def test_scenario_refuses_months_outside_1_to_60(admin_provinsi, months, message):
    uncovered()
    p = programme(people=1)
    data = {**SCENARIO, "name": "Nol bulan", "budget": p.budget, "months": months}
    response = client_for(admin_provinsi).post(f"/program/{p.pk}/skenario/", data)
    assert message in response.content.decode()
    assert not Scenario.objects.exists()


# --- Rupiah amounts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("3.000.000.000", 3_000_000_000),
        ("Rp 3.000.000.000", 3_000_000_000),
        ("Rp3.000.000.000,00", 3_000_000_000),
        ("3000000000", 3_000_000_000),
        ("3,000,000,000", 3_000_000_000),
        ("3 000 000 000", 3_000_000_000),
        ("3 miliar", 3_000_000_000),
        ("Rp 1,25 Milyar", 1_250_000_000),
        ("1,5 jt", 1_500_000),
        ("750 rb", 750_000),
        ("-5", -5),
        ("Rp -1.000", -1_000),
        ("3 M", None),
        ("tiga miliar", None),
        ("3.00.000", None),
    ],
)
def test_rupiah_is_read_the_way_a_clerk_types_it(typed, amount):
    assert parse_rupiah(typed) == amount


@pytest.mark.parametrize("typed", ["Rp 3.000.000.000", "3 miliar", "3000000000"])
def test_new_programme_takes_an_indonesian_budget(admin_provinsi, typed):
    uncovered()
    data = _form(budget=typed, declared_income="Rp 1.000.000", max_income="2,5 jt")
    response = client_for(admin_provinsi).post("/program/baru/", data)
    assert response.status_code == 302
    created = Programme.objects.get()
    assert (created.budget, created.declared_income) == (3_000_000_000, 1_000_000)
    assert created.max_income == 2_500_000


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"budget": "tiga"}, "Anggaran (Rp): «tiga» tidak terbaca sebagai jumlah rupiah"),
        ({"budget": "3 M"}, "Anggaran (Rp): «M» bisa berarti juta atau miliar"),
        ({"budget": ""}, "Anggaran (Rp) wajib diisi."),
        ({"budget": "-3.000.000"}, "Anggaran harus lebih dari Rp 0."),
        ({"budget": "30.000 miliar"}, "Anggaran Rp 30.000.000.000.000 tidak masuk akal"),
        ({"declared_income": "sejuta"}, "Penghasilan yang dilaporkan (Rp): «sejuta» tidak"),
        ({"max_income": "-1"}, "Penghasilan maksimum (Rp/bulan) tidak boleh negatif."),
    ],
)
def test_bad_amounts_name_the_field_and_nothing_is_saved(admin_provinsi, changes, message):
    uncovered()
    response = client_for(admin_provinsi).post("/program/baru/", _form(**changes))
    assert message in response.content.decode()
    assert not Programme.objects.exists()


def test_amounts_come_back_grouped_with_the_live_echo(admin_provinsi):
    uncovered()
    data = _form(budget="3 miliar", declared_income="1000000", months=0)
    page = client_for(admin_provinsi).post("/program/baru/", data).content.decode()
    assert 'type="text" name="budget" value="3.000.000.000"' in page
    assert 'name="declared_income" value="1.000.000"' in page
    assert "programmes/rupiah.js" in page and "data-rupiah-units" in page


def test_edit_and_scenario_forms_show_stored_amounts_grouped(admin_provinsi):
    p = programme(people=1, declared_income=1_500_000)
    client = client_for(admin_provinsi)
    edit = client.get(f"/program/{p.pk}/ubah/").content.decode()
    assert 'name="budget" value="201.600"' in edit
    assert 'name="declared_income" value="1.500.000"' in edit
    scenarios = client.get(f"/program/{p.pk}/skenario/").content.decode()
    assert 'name="budget" value="201.600"' in scenarios and "programmes/rupiah.js" in scenarios


def test_amounts_are_grouped_in_the_readers_language():
    field = RupiahField(label="Anggaran (Rp)")
    with translation.override("en"):
        assert field.prepare_value(3_000_000_000) == "3,000,000,000"
        assert field.clean("3,000,000,000") == 3_000_000_000
    assert field.prepare_value("3 miliar") == "3.000.000.000"
    assert field.prepare_value("tiga") == "tiga"


def test_scenario_takes_indonesian_amounts_and_names_the_field(admin_provinsi):
    uncovered()
    p = programme(people=1)
    client = client_for(admin_provinsi)
    data = {**SCENARIO, "name": "Dua kali", "budget": "Rp 403.200", "declared_income": "1 jt"}
    assert client.post(f"/program/{p.pk}/skenario/", data).status_code == 302
    assert Scenario.objects.get().params["budget"] == 403_200
    low = {**data, "name": "Rendah", "declared_income": "500.000"}
    page = client.post(f"/program/{p.pk}/skenario/", low).content.decode()
    assert "Penghasilan yang dilaporkan (Rp) paling sedikit Rp 1.000.000." in page
    assert Scenario.objects.count() == 1
