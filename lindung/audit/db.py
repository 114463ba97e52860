"""Database triggers that make the audit log append-only even for raw SQL.

Used by migration 0002 and by the test suite, which must lift them around the table flush that
Django performs after each transactional (browser) test.
"""

from __future__ import annotations

from typing import Any

TABLE = "audit_auditentry"
_MESSAGE = "Log audit bersifat append-only"

_CREATE = {
    "sqlite": [
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END;"
        for op in ("UPDATE", "DELETE")
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION lindung_audit_append_only() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{_MESSAGE}'; END; $$ LANGUAGE plpgsql;",
        f"CREATE OR REPLACE TRIGGER {TABLE}_append_only "
        f"BEFORE UPDATE OR DELETE OR TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION lindung_audit_append_only();",
    ],
}
_DROP = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {TABLE}_no_{op};" for op in ("update", "delete")],
    "postgresql": [f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};"],
}


def _run(connection: Any, statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


def create_triggers(connection: Any) -> None:
    _run(connection, _CREATE)


def drop_triggers(connection: Any) -> None:
    _run(connection, _DROP)
