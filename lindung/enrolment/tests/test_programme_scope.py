"""A programme aimed only at Samarinda is Samarinda's business on the enrolment pages too.

``programmes_for`` decides which programmes a user sees; /program/ answers 404 for any other,
and so must every enrolment page, partial, download and action: the Balikpapan operator may not
learn its name, batch number, premium or dates, nor find it in the overview or expiry notice.
The programme ends this month (so it is announced as expiring) and has one beneficiary living
in Balikpapan, so region scoping of the rows alone would still show it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lindung.accounts.access import ROLE_CAPABILITIES, Capability
from lindung.accounts.models import Role
from lindung.enrolment import batches, bills
from lindung.enrolment.models import EnrolmentBatch, Reconciliation
from lindung.programmes.models import Programme
from lindung.regions.models import Region
from lindung.subsidy.premiums import add_months
from lindung.testing import client_for

from .factories import add_people, make_programme, register

pytestmark = pytest.mark.django_db
NAME = "Bantuan Iuran Khusus Samarinda"


@pytest.fixture
def samarinda_only(admin_provinsi, tmp_path):
    """The programme with a sent and answered batch and this month's reconciliation."""
    today = timezone.localdate()
    this_month = dt.date(today.year, today.month, 1)
    programme = make_programme(name=NAME, period_start=add_months(this_month, -11), months=12)
    programme.target_regions.set(Region.objects.filter(code="64.72"))
    people = add_people(programme, 2) + add_people(programme, 1, "64.71")
    batch = batches.create_batch(programme, admin_provinsi, programme.period_start)
    register(people, programme.period_start, programme.period_end)
    invoice = tmp_path / "tagihan.csv"
    invoice.write_text("KPJ;Iuran\n26000000001;16800\n", encoding="utf-8")
    rec = bills.reconcile(programme, this_month, invoice, "tagihan.csv", admin_provinsi)
    return programme, batch, rec


def _viewed(programme: Programme, batch: EnrolmentBatch, rec: Reconciliation) -> list[tuple]:
    """(url, extra headers) of every enrolment page, partial and download a viewer may open."""
    return [
        (reverse("enrolment:programme", args=[programme.pk]), {}),
        (reverse("enrolment:programme", args=[programme.pk]), {"HTTP_HX_TARGET": "results"}),
        (reverse("enrolment:batch", args=[batch.pk]), {}),
        (reverse("enrolment:reconciliation", args=[rec.pk]), {}),
        (reverse("enrolment:reconciliation", args=[rec.pk]), {"HTTP_HX_TARGET": "lines"}),
        (reverse("enrolment:reconciliation-export", args=[rec.pk]), {}),
    ]


def _managed(programme: Programme, batch: EnrolmentBatch) -> list[tuple[str, str]]:
    """(method, url) of every action and download that needs ``MANAGE_PROGRAMMES``."""
    pk = programme.pk
    return [
        ("post", reverse("enrolment:batch-create", args=[pk])),
        ("get", reverse("enrolment:answer-import", args=[pk])),
        ("post", reverse("enrolment:answer-import", args=[pk])),
        ("get", reverse("enrolment:invoice-import", args=[pk])),
        ("post", reverse("enrolment:invoice-import", args=[pk])),
        ("post", reverse("enrolment:renew", args=[pk])),
        ("get", reverse("enrolment:batch-download", args=[batch.pk, "csv"])),
        ("get", reverse("enrolment:batch-download", args=[batch.pk, "xlsx"])),
    ]


def test_another_regions_programme_is_404_on_every_enrolment_page(samarinda_only, op_balikpapan):
    programme, batch, rec = samarinda_only
    client = client_for(op_balikpapan)
    assert client.get(reverse("programmes:detail", args=[programme.pk])).status_code == 404
    for url, headers in _viewed(programme, batch, rec):
        assert client.get(url, **headers).status_code == 404, url


def test_another_regions_programme_is_not_in_the_overview_or_expiry(
    samarinda_only, op_balikpapan, op_samarinda
):
    index = client_for(op_balikpapan).get(reverse("enrolment:index"))
    assert list(index.context["programmes"]) == []
    assert NAME not in index.content.decode()
    assert 'id="expiry-notice"' not in index.content.decode()
    expiring = client_for(op_balikpapan).get(reverse("enrolment:expiring"))
    assert expiring.context["programmes"] == []
    assert expiring.context["page"].paginator.count == 0  # their resident in it: not listed
    assert NAME not in expiring.content.decode()
    own = client_for(op_samarinda).get(reverse("enrolment:index")).content.decode()
    assert NAME in own and 'id="expiry-notice"' in own


def test_actions_are_refused_to_operators_and_scoped_even_if_they_could_manage(
    samarinda_only, op_balikpapan, monkeypatch
):
    """An operator cannot manage programmes (403 for any programme, leaking nothing); were the
    capability ever granted, another region's programme would still not exist for them."""
    programme, batch, _rec = samarinda_only
    client = client_for(op_balikpapan)
    for method, url in _managed(programme, batch):
        assert getattr(client, method)(url).status_code == 403, url
    granted = ROLE_CAPABILITIES[Role.OPERATOR] | {Capability.MANAGE_PROGRAMMES}
    monkeypatch.setitem(ROLE_CAPABILITIES, Role.OPERATOR, granted)
    for method, url in _managed(programme, batch):
        assert getattr(client, method)(url).status_code == 404, url
    assert EnrolmentBatch.objects.count() == 1
    assert Programme.objects.count() == 1  # not renewed


@pytest.mark.parametrize("persona", ["op_samarinda", "admin_provinsi"])
def test_its_own_region_and_the_province_still_see_it(samarinda_only, persona, request):
    programme, batch, rec = samarinda_only
    client = client_for(request.getfixturevalue(persona))
    for url, headers in _viewed(programme, batch, rec):
        assert client.get(url, **headers).status_code == 200, url
    expiring = client.get(reverse("enrolment:expiring"))
    assert [e.programme for e, _next in expiring.context["programmes"]] == [programme]


def test_the_admin_may_still_download_and_open_the_upload_forms(samarinda_only, admin_provinsi):
    programme, batch, _rec = samarinda_only
    client = client_for(admin_provinsi)
    for method, url in _managed(programme, batch):
        if method == "get":
            assert client.get(url).status_code == 200, url
