"""The masked NIK hides the birth date, so roles that see masked NIKs never get the date back.

A NIK is region (6) + birth date with sex (DDMMYY, day + 40 for women) + serial (4): the mask
hides the middle six. Pages, the CSV export and the API therefore show such roles only the
birth year, and a NIK-prefix search (which, digit by digit, would reveal the hidden part) is
only for roles that may see full NIKs. Every export is recorded with who made it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lindung.audit.models import AuditEntry
from lindung.testing import api_client_headers, client_for, make_worker, streamed_body

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1990, 3, 7)


@pytest.fixture
def siti():  # type: ignore[no-untyped-def]
    return make_worker("64.72", name="Siti Aminah", sex="P", birth_date=BIRTH)


def _api(client, user, path, **params):  # type: ignore[no-untyped-def]
    return client.get(f"/api/v1/workers/{path}", params, **api_client_headers(user))


@pytest.mark.parametrize("persona", ["pimpinan", "petugas_bpjs"])
def test_masked_roles_see_the_birth_year_only(request, client, persona, siti):
    user = request.getfixturevalue(persona)
    api = _api(client, user, siti.pk)
    web = client_for(user)
    pages = [
        web.get(reverse("registry:worker-list")).text,
        web.get(reverse("registry:worker-detail", args=[siti.pk])).text,
        api.text,
    ]
    for text in pages:
        assert siti.nik[6:12] not in text  # "470390": the hidden DDMMYY
        assert "07-03-1990" not in text and "7 Maret 1990" not in text
        assert "1990-03-07" not in text
    assert api.json()["birth_year"] == 1990 and api.json()["birth_date"] is None


def test_leaders_export_has_the_birth_year_not_the_date(pimpinan, siti):
    body = streamed_body(client_for(pimpinan).get(reverse("registry:worker-export")))
    header, row = body.decode("utf-8-sig").splitlines()[:2]
    assert "tahun_lahir" in header and "tanggal_lahir" not in header
    assert ";1990;" in row and "1990-03-07" not in row and siti.nik not in row


def test_operator_still_sees_the_whole_date(client, op_samarinda, siti):
    assert _api(client, op_samarinda, siti.pk).json()["birth_date"] == "1990-03-07"
    client = client_for(op_samarinda)
    assert "07-03-1990" in client.get(reverse("registry:worker-list")).text
    body = streamed_body(client.get(reverse("registry:worker-export"))).decode("utf-8-sig")
    assert "tanggal_lahir" in body.splitlines()[0] and "1990-03-07" in body


def test_nik_prefix_search_is_only_for_roles_that_see_full_niks(
    client, pimpinan, op_samarinda, siti
):
    url = reverse("registry:worker-list")
    prefix = siti.nik[:10]  # region + the first four hidden digits
    leader = client_for(pimpinan).get(url, {"q": prefix})
    assert list(leader.context["page"].rows) == []
    assert "sebagian NIK" in leader.text
    assert list(client_for(pimpinan).get(url, {"q": siti.nik}).context["page"].rows) == [siti]
    api = _api(client, pimpinan, "", q=prefix).json()
    assert api["items"] == [] and api["warnings"]
    assert list(client_for(op_samarinda).get(url, {"q": prefix}).context["page"].rows) == [siti]


def test_export_is_recorded_with_the_user_who_made_it(op_samarinda, siti):
    response = client_for(op_samarinda).get(reverse("registry:worker-export"))
    streamed_body(response)
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
    assert entry.actor_id == op_samarinda.pk
    assert entry.detail["rows"] == 1 and entry.detail["full_nik"] is True
