"""One load's transaction: stage, match, audit, update, insert and a summary entry, or nothing.

A dry run goes through every step and rolls back, so its counts are exactly what a real load
would do; an exception anywhere rolls back everything, the audit entries included.
"""

from __future__ import annotations

import polars as pl
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.imports.loaders.common import FLAG, REJECT, Clock, LoadContext, LoadResult
from lindung.imports.loaders.postgres import PostgresWriter
from lindung.imports.loaders.prepared import Prepared
from lindung.imports.loaders.sqlite import SqliteWriter
from lindung.imports.loaders.writer import Writer

_WRITERS: dict[str, type[Writer]] = {"postgresql": PostgresWriter, "sqlite": SqliteWriter}


def write(kind: str, prepared: Prepared, context: LoadContext, clock: Clock) -> LoadResult:
    """Store ``prepared`` in one transaction and count what happened."""
    result = _issue_counts(kind, prepared, context)
    if connection.vendor not in _WRITERS:
        raise ImproperlyConfigured(f"Loader tidak mendukung basis data {connection.vendor}")
    writer = _WRITERS[connection.vendor](prepared.spec, prepared.present, context, clock)
    with writer.tuned(), transaction.atomic():
        writer.lock()
        writer.stage(prepared.frame)
        matched = writer.match()
        audited = writer.audit_changes()
        result.updated = writer.update()
        result.created = writer.insert()
        writer.drop_stage()
        if audited != result.updated:  # both come from the same predicate
            raise RuntimeError(f"Audit ({audited}) dan perubahan ({result.updated}) tidak sama")
        result.unchanged = matched - result.updated
        _record_import(prepared, context, writer.batch, result)
        if context.dry_run:
            transaction.set_rollback(True)
        clock.lap("audit")
    clock.lap("commit")
    return result


def _issue_counts(kind: str, prepared: Prepared, context: LoadContext) -> LoadResult:
    """The result before writing: rejected and flagged rows (a rejected row is not flagged)."""
    issues = prepared.issues
    rejected_rows = issues.filter(pl.col("severity") == REJECT).get_column("__i").unique()
    flagged_rows = issues.filter(
        (pl.col("severity") == FLAG) & ~pl.col("__i").is_in(rejected_rows.implode())
    ).get_column("__i")
    return LoadResult(
        kind=kind,
        rejected=rejected_rows.len(),
        flagged=flagged_rows.n_unique(),
        issues=issues.sort("row", "column", maintain_order=True).drop("__i"),
        dry_run=context.dry_run,
    )


def _record_import(
    prepared: Prepared, context: LoadContext, batch: str, result: LoadResult
) -> None:
    """The summary audit entry (action "import") with the counts."""
    record(
        AuditEntry.Action.IMPORT,
        object_type=prepared.spec.label,
        detail={
            "kind": result.kind,
            "batch": batch,
            "source": context.source,
            "rows": prepared.total,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "rejected": result.rejected,
            "flagged": result.flagged,
            "scope_kabkota": context.scope_kabkota,
            **prepared.detail,
        },
    )
