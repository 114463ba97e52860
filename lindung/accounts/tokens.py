"""Issuing and revoking API tokens, from the admin and the ``lindung api-token`` command.

A token belongs to one user and acts with that user's role and kab/kota. Only its hash is
stored, so the plain value is shown once, when issued. Issuing and revoking are audit entries
(without the token itself).
"""

from __future__ import annotations

from django.db import transaction

from lindung.accounts.models import ApiToken, User
from lindung.audit.models import AuditEntry
from lindung.audit.services import record


@transaction.atomic
def issue(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its plain value (show it once, it is not kept)."""
    token, plain = ApiToken.issue(user, name)
    record(AuditEntry.Action.CREATE, token, detail={"api_token": name, "user": user.username})
    return token, plain


@transaction.atomic
def revoke(token: ApiToken) -> None:
    """Delete the token: the next request that presents it gets a 401."""
    record(
        AuditEntry.Action.DELETE,
        token,
        detail={"api_token": token.name, "user": token.user.username},
    )
    token.delete()
