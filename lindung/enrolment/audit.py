"""Audit entries for beneficiaries changed in bulk by a batch or an answer file.

Beneficiaries are tracked field by field (``track()`` in the programmes app), but signals do not
fire for set-based updates; these entries look exactly like the ones ``track()`` writes, one per
beneficiary, with the batch or file that caused the change in ``detail``. They are inserted in
one statement (:func:`lindung.core.bulk.insert_rows`): 20,000 entries in seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from lindung.audit.models import AuditEntry
from lindung.audit.services import current_actor
from lindung.core.bulk import insert_rows

BENEFICIARY = "programmes.beneficiary"
FIELDS = (
    "at", "actor", "actor_label", "action", "object_type", "object_id", "object_repr",
    "changes", "detail", "ip_address",
)  # fmt: skip


def record_beneficiary_changes(
    changes: Iterable[tuple[int, str, dict[str, list[Any]]]], detail: dict[str, Any]
) -> int:
    """One UPDATE entry per ``(beneficiary id, shown as, {field: [old, new]})``."""
    actor = current_actor()
    user = actor.user.pk if getattr(actor.user, "pk", None) else None
    now = timezone.now()
    rows = [
        (now, user, actor.label[:150], AuditEntry.Action.UPDATE.value, BENEFICIARY, str(pk),
         shown[:200], diff, detail, actor.ip)
        for pk, shown, diff in changes
    ]  # fmt: skip
    return insert_rows(AuditEntry, FIELDS, rows)
