"""Set-based update of many rows with different values each, on SQLite and PostgreSQL.

Django's ``bulk_update`` builds one ``CASE WHEN`` per field and row: 20,000 answers took two
minutes, almost all of it building SQL. Here the new values go into a temporary table
(``executemany``) and one ``UPDATE … FROM`` applies them (SQLite ≥ 3.33, PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connections, models


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Set ``fields`` of each row ``(pk, value₁, …, valueₙ)``; returns the rows updated."""
    if not rows:
        return 0
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-call proxy
    qn = connection.ops.quote_name
    table = model._meta.db_table
    stage = qn(f"stage_{table}")
    columns = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in fields]
    definitions = ", ".join(
        f"{qn(str(f.column))} {f.db_type(connection) or 'text'}" for f in columns
    )
    values = [
        (pk, *(f.get_db_prep_value(v, connection) for f, v in zip(columns, rest, strict=True)))
        for pk, *rest in rows
    ]
    placeholders = ", ".join(["%s"] * (len(columns) + 1))
    sets = ", ".join(f"{qn(str(f.column))} = s.{qn(str(f.column))}" for f in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} (id bigint PRIMARY KEY, {definitions})")
        cursor.executemany(f"INSERT INTO {stage} VALUES ({placeholders})", values)
        cursor.execute(
            f"UPDATE {qn(table)} SET {sets} FROM {stage} AS s WHERE {qn(table)}.id = s.id"
        )
        updated = cursor.rowcount
        cursor.execute(f"DROP TABLE {stage}")
    return updated


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Insert ``rows`` (values in ``fields`` order) with one ``executemany``, no model objects.

    For append-only rows written by the thousand (audit entries): building 20,000 model
    instances and their ``INSERT`` cost more than the database work. No signals are sent.
    """
    if not rows:
        return 0
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-call proxy
    qn = connection.ops.quote_name
    columns = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in fields]
    names = ", ".join(qn(str(f.column)) for f in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    values = [
        [f.get_db_prep_save(v, connection) for f, v in zip(columns, row, strict=True)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {qn(model._meta.db_table)} ({names}) VALUES ({placeholders})", values
        )
    return len(values)
