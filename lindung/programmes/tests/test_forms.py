"""Programme and scenario forms as a clerk types into them: the length in months is refused
outside 1–60 with a message that names the field, and nothing is saved."""

from __future__ import annotations

import pytest

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
