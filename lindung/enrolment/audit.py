"""Audit entries for beneficiaries changed in bulk by a batch or an answer file.

Beneficiaries are tracked field by field (``track()`` in the programmes app), but signals do not
fire for set-based updates; these entries look exactly like the ones ``track()`` writes, one per
beneficiary, with the batch or file that caused the change in ``detail``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lindung.audit.models import AuditEntry
from lindung.audit.services import current_actor

BENEFICIARY = "programmes.beneficiary"
AUDIT_BATCH = 2_000


def record_beneficiary_changes(
    changes: Iterable[tuple[int, str, dict[str, list[Any]]]], detail: dict[str, Any]
) -> int:
    """One UPDATE entry per ``(beneficiary id, shown as, {field: [old, new]})``."""
    actor = current_actor()
    user = actor.user if getattr(actor.user, "pk", None) else None
    entries = [
        AuditEntry(
            actor=user,
            actor_label=actor.label[:150],
            action=AuditEntry.Action.UPDATE,
            object_type=BENEFICIARY,
            object_id=str(pk),
            object_repr=shown[:200],
            changes=diff,
            detail=detail,
            ip_address=actor.ip,
        )
        for pk, shown, diff in changes
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=AUDIT_BATCH)
    return len(entries)
