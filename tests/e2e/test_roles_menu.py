"""Each demo role logs in and sees the menu of what it may do, and nothing more."""

from __future__ import annotations

import pytest

from lindung.testing import PASSWORD, persona_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MENUS = {
    "admin": {"Dasbor", "Laporan", "Pekerja", "Impor", "Surat", "Log audit", "Admin"},
    "op.samarinda": {"Dasbor", "Laporan", "Pekerja", "Impor", "Surat"},
    "bpjs": {"Pekerja", "Impor"},
    "pimpinan": {"Dasbor", "Laporan", "Pekerja"},
}
GUARDED = {"Dasbor", "Laporan", "Pekerja", "Impor", "Surat", "Log audit", "Admin"}


@pytest.mark.parametrize("username", sorted(MENUS))
def test_each_role_sees_its_own_menu(page, username):
    persona_user(username)
    login(page, username, PASSWORD)
    nav = page.locator("header nav")
    visible = {name for name in GUARDED if nav.get_by_role("link", name=name, exact=True).count()}
    assert visible == MENUS[username]
    if "Log audit" not in MENUS[username]:
        response = page.goto("/audit/")
        assert response is not None and response.status == 403
