"""Set-based writes of many rows with different values each, on SQLite and PostgreSQL.

Django's ``bulk_update`` builds one ``CASE WHEN`` per field and row (20,000 answers took two
minutes, almost all of it building SQL) and ``bulk_create`` builds a model instance per row.
Here values go straight to the database: ``COPY`` on PostgreSQL, one ``executemany`` on SQLite;
an update stages the new values in a temporary table and applies them with one
``UPDATE … FROM`` (SQLite ≥ 3.33, PostgreSQL). No signals are sent: callers audit themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[models.Field[Any, Any]]:
    return [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in fields]


def _write(
    connection: BaseDatabaseWrapper, table: str, names: list[str], values: list[list[Any]]
) -> None:
    """Append ``values`` (already prepared for the database) to ``table`` (quoted)."""
    columns = ", ".join(names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one stream instead of a statement per row
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Insert ``rows`` (values in ``fields`` order) without building model instances."""
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-call proxy
    qn = connection.ops.quote_name
    columns = _columns(model, fields)
    values = [
        [f.get_db_prep_save(v, connection) for f, v in zip(columns, row, strict=True)]
        for row in rows
    ]
    if values:
        names = [qn(str(f.column)) for f in columns]
        _write(connection, qn(model._meta.db_table), names, values)
    return len(values)


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Set ``fields`` of each row ``(pk, value₁, …, valueₙ)``; returns the rows updated."""
    if not rows:
        return 0
    connection = connections[DEFAULT_DB_ALIAS]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    stage = qn(f"stage_{model._meta.db_table}")
    columns = _columns(model, fields)
    names = [qn(str(f.column)) for f in columns]
    types = [f.db_type(connection) or "text" for f in columns]
    values = [
        [pk, *(f.get_db_prep_save(v, connection) for f, v in zip(columns, rest, strict=True))]
        for pk, *rest in rows
    ]
    definitions = ", ".join(f"{n} {t}" for n, t in zip(names, types, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} (id bigint PRIMARY KEY, {definitions})")
    _write(connection, stage, ["id", *names], values)
    sets = ", ".join(f"{n} = s.{n}" for n in names)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {sets} FROM {stage} AS s WHERE {table}.id = s.id")
        updated: int = cursor.rowcount
        cursor.execute(f"DROP TABLE {stage}")
    return updated
