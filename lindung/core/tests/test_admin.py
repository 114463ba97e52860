"""Records written by imports and runs show in the admin but cannot be added or edited there."""

from __future__ import annotations

import pytest

from lindung.testing import client_for

pytestmark = pytest.mark.django_db

READ_ONLY = ["compliance/company", "compliance/employer", "compliance/companymatch",
             "compliance/companystatus", "matching/participant", "matching/coverage"]  # fmt: skip


@pytest.mark.parametrize("model", READ_ONLY)
def test_read_only_admin_lists_but_refuses_adding(admin_provinsi, model):
    client = client_for(admin_provinsi)
    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/add/").status_code == 403
