"""Issuing and revoking API tokens: by command and in the admin, audited, never stored plain."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from lindung.accounts.models import ApiToken
from lindung.audit.models import AuditEntry
from lindung.testing import client_for

pytestmark = pytest.mark.django_db


def _issue(username: str) -> tuple[ApiToken, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "issue", username, "--name", "SIAK Samarinda", stdout=out, stderr=err)
    plain = out.getvalue().splitlines()[-1]
    assert "tidak dapat ditampilkan lagi" in err.getvalue()
    return ApiToken.objects.get(), plain


def test_command_issues_a_working_token_then_revokes_it(client, op_samarinda, worker_samarinda):
    token, plain = _issue("op.samarinda")
    assert plain.startswith("lin_") and plain not in token.digest
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    assert client.get(f"/api/v1/workers/{worker_samarinda.pk}", **auth).status_code == 200
    listed = io.StringIO()
    call_command("api_token", "list", stdout=listed)
    assert "op.samarinda\tSIAK Samarinda" in listed.getvalue()
    assert plain not in listed.getvalue()
    call_command("api_token", "revoke", str(token.pk), stdout=io.StringIO())
    assert client.get(f"/api/v1/workers/{worker_samarinda.pk}", **auth).status_code == 401
    entries = AuditEntry.objects.filter(object_type="accounts.apitoken").order_by("id")
    actions = list(entries.values_list("action", "actor_label"))
    assert actions == [("create", "cli"), ("delete", "cli")]
    assert not AuditEntry.objects.filter(detail__icontains=plain).exists()


def test_command_refuses_unknown_user_and_token(db):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("api_token", "issue", "siapa", "--name", "x")
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("api_token", "revoke", "999")


def test_admin_add_shows_the_token_once_and_delete_revokes(admin_provinsi, op_samarinda):
    admin = client_for(admin_provinsi)
    response = admin.post(
        "/admin/accounts/apitoken/add/",
        {"user": op_samarinda.pk, "name": "Sistem kab"},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    [plain] = [
        word for m in response.context["messages"] for word in str(m).split() if "lin_" in word
    ]
    assert ApiToken.hash(plain) == token.digest
    assert token.user == op_samarinda
    admin.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(
        object_type="accounts.apitoken", action="delete", actor=admin_provinsi
    ).exists()
