"""Audit entries for records a load changes: one per record, field by field, old → new.

The writer selects old and new values in SQL; this module only turns those rows into entries
that look exactly like the ones ``track()`` writes for a change made in a form.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from lindung.audit.models import AuditEntry
from lindung.audit.services import current_actor
from lindung.imports.loaders.spec import Spec

#: Changed records per audit bulk_create.
AUDIT_BATCH = 5_000


def json_value(value: Any) -> Any:
    """A value as the audit log stores it (what ``track()`` stores after JSON encoding)."""
    return value.isoformat() if isinstance(value, date) else value


class ChangeEntries:
    """Turns rows ``(id, old₁, new₁, …, oldₙ, newₙ, shown…)`` into UPDATE audit entries."""

    def __init__(self, spec: Spec, columns: Sequence[str], detail: dict[str, Any]) -> None:
        self.spec, self.columns, self.detail = spec, list(columns), detail
        self.actor = current_actor()
        self.user = self.actor.user if getattr(self.actor.user, "pk", None) else None

    def entry(self, row: Sequence[Any]) -> AuditEntry:
        n = len(self.columns)
        olds, news = row[1 : 2 * n : 2], row[2 : 2 * n + 1 : 2]
        changes = {
            column: [json_value(old), json_value(new)]
            for column, old, new in zip(self.columns, olds, news, strict=True)
            if json_value(old) != json_value(new)
        }
        shown = dict(zip(self.spec.repr_columns, row[2 * n + 1 :], strict=True))
        return AuditEntry(
            actor=self.user,
            actor_label=self.actor.label[:150],
            action=AuditEntry.Action.UPDATE,
            object_type=self.spec.label,
            object_id=str(row[0]),
            object_repr=self.spec.describe(shown)[:200],
            changes=changes,
            detail=self.detail,
            ip_address=self.actor.ip,
        )
