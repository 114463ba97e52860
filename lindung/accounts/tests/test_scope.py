"""Region scoping: an operator sees only their own kab/kota, by page, export and API alike."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from lindung.accounts.access import current_user, region_code
from lindung.testing import api_client_headers, client_for, streamed_body

pytestmark = pytest.mark.django_db


def test_operator_gets_404_for_other_regions_worker_page(op_samarinda, worker_balikpapan):
    response = client_for(op_samarinda).get(
        reverse("registry:worker-detail", args=[worker_balikpapan.pk])
    )
    assert response.status_code == 404


def test_operator_sees_own_regions_worker_page(op_samarinda, worker_samarinda):
    response = client_for(op_samarinda).get(
        reverse("registry:worker-detail", args=[worker_samarinda.pk])
    )
    assert response.status_code == 200
    assert "Siti Aminah" in response.text


def test_operator_cannot_reveal_other_regions_nik(op_samarinda, worker_balikpapan):
    url = reverse("registry:worker-reveal-nik", args=[worker_balikpapan.pk])
    assert client_for(op_samarinda).post(url).status_code == 404


def test_operator_export_leaves_out_other_regions(
    op_samarinda, worker_samarinda, worker_balikpapan
):
    response = client_for(op_samarinda).get(reverse("registry:worker-export"))
    body = streamed_body(response).decode("utf-8-sig")
    assert "Siti Aminah" in body
    assert "Yakobus Lerang" not in body
    assert worker_balikpapan.nik not in body


def test_operator_export_filtered_to_other_region_is_empty(op_samarinda, worker_balikpapan):
    response = client_for(op_samarinda).get(reverse("registry:worker-export") + "?kabkota=64.71")
    lines = streamed_body(response).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1  # header only


def test_operator_gets_404_for_other_regions_worker_by_api(client, op_samarinda, worker_balikpapan):
    headers = api_client_headers(op_samarinda)
    response = client.get(f"/api/v1/workers/{worker_balikpapan.pk}", **headers)
    assert response.status_code == 404


def test_operator_api_list_is_scoped(client, op_samarinda, worker_samarinda, worker_balikpapan):
    headers = api_client_headers(op_samarinda)
    items = client.get("/api/v1/workers/?kabkota=64.71", **headers).json()["items"]
    assert items == []
    items = client.get("/api/v1/workers/", **headers).json()["items"]
    assert [i["id"] for i in items] == [worker_samarinda.pk]
    assert items[0]["nik_masked"] != worker_samarinda.nik


def test_api_without_token_is_refused(client, worker_samarinda):
    assert client.get(f"/api/v1/workers/{worker_samarinda.pk}").status_code == 401


def test_province_roles_see_every_region(admin_provinsi, pimpinan, petugas_bpjs, worker_balikpapan):
    url = reverse("registry:worker-detail", args=[worker_balikpapan.pk])
    for user in (admin_provinsi, pimpinan, petugas_bpjs):
        assert client_for(user).get(url).status_code == 200


def test_leader_and_bpjs_never_see_full_nik(pimpinan, petugas_bpjs, worker_samarinda):
    url = reverse("registry:worker-reveal-nik", args=[worker_samarinda.pk])
    for user in (pimpinan, petugas_bpjs):
        assert client_for(user).post(url).status_code == 403
        page = client_for(user).get(reverse("registry:worker-detail", args=[worker_samarinda.pk]))
        assert worker_samarinda.nik not in page.text


def test_leader_export_masks_nik(pimpinan, worker_samarinda):
    response = client_for(pimpinan).get(reverse("registry:worker-export"))
    body = streamed_body(response).decode("utf-8-sig")
    assert worker_samarinda.masked_nik in body
    assert worker_samarinda.nik not in body


def test_bpjs_officer_cannot_export_and_only_admin_reads_audit(
    petugas_bpjs, pimpinan, op_samarinda, admin_provinsi
):
    assert client_for(petugas_bpjs).get(reverse("registry:worker-export")).status_code == 403
    for user in (petugas_bpjs, pimpinan, op_samarinda):
        assert client_for(user).get(reverse("audit:list")).status_code == 403
    assert client_for(admin_provinsi).get(reverse("audit:list")).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("registry:worker-list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_region_code_is_the_operators_kabkota_and_none_for_province_roles(
    op_samarinda, admin_provinsi, pimpinan
):
    assert region_code(op_samarinda) == "64.72"
    assert region_code(admin_provinsi) is None
    assert region_code(pimpinan) is None


def test_anonymous_users_have_no_region_and_are_no_current_user():
    """Never "province-wide" for someone who is not logged in."""
    with pytest.raises(PermissionDenied):
        region_code(AnonymousUser())
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        current_user(request)
