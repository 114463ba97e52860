"""Set-based writes of many rows with different values each, on SQLite and PostgreSQL.

Django's ``bulk_update`` builds one ``CASE WHEN`` per field and row (20,000 answers took two
minutes, almost all of it building SQL) and ``bulk_create`` builds a model instance per row.
Here values go straight to the database: ``COPY`` on PostgreSQL, one ``executemany`` on SQLite;
an update stages the new values in a temporary table and applies them with one
``UPDATE … FROM`` (SQLite ≥ 3.33, PostgreSQL), an upsert with one ``INSERT … SELECT … ON
CONFLICT DO UPDATE``. No signals are sent: callers audit themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import polars as pl
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[models.Field[Any, Any]]:
    return [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in fields]


def _write(
    connection: BaseDatabaseWrapper, table: str, names: list[str], values: Sequence[Sequence[Any]]
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


def _fields(model: type[models.Model]) -> dict[str, models.Field[Any, Any]]:
    """The model's concrete fields by attname (``worker_id``) and by name (``worker``)."""
    fields = model._meta.concrete_fields
    return {f.attname: f for f in fields} | {f.name: f for f in fields}


def _prepared(
    connection: BaseDatabaseWrapper, field: models.Field[Any, Any], values: list[Any]
) -> list[Any]:
    """Non-null values through the field's own ``get_db_prep_save`` (stored as ``save()`` stores
    them); an empty JSON list, what most workers have as alternatives, is prepared once."""
    json = isinstance(field, models.JSONField)
    empty = field.get_db_prep_save([], connection) if json else None
    return [
        None if v is None else empty if json and v == [] else field.get_db_prep_save(v, connection)
        for v in values
    ]


def _db_values(
    connection: BaseDatabaseWrapper, model: type[models.Model], frame: pl.DataFrame
) -> list[tuple[Any, ...]]:
    """The frame's rows (columns = the model's attnames) as the database driver takes them:
    numbers and text as they are, JSON and datetimes :func:`_prepared`."""
    fields = _fields(model)
    columns = []
    for name in frame.columns:
        field, values = fields[name], frame[name].to_list()
        if isinstance(field, models.JSONField | models.DateTimeField):
            values = _prepared(connection, field, values)
        columns.append(values)
    return list(zip(*columns, strict=True))


def upsert_frame(
    model: type[models.Model], frame: pl.DataFrame, conflict: list[str], update: list[str]
) -> None:
    """Insert ``frame``'s rows (columns = attnames), updating the ``update`` fields of rows that
    exist already (same ``conflict`` fields).

    What ``bulk_create(update_conflicts=True)`` does, without a model instance and compiled SQL
    per row (at 490,000 workers those made the matching write 2–5 times slower,
    docs/benchmarks.md): the rows are staged in a TEMP table (:func:`_write`), then one
    ``INSERT … SELECT … ON CONFLICT DO UPDATE``.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    qn, fields = connection.ops.quote_name, _fields(model)

    def columns(names: list[str]) -> list[str]:
        return [qn(str(fields[name].column)) for name in names]

    table, stage = qn(model._meta.db_table), qn(f"lindung_stage_{model._meta.db_table}")
    names = ", ".join(columns(frame.columns))
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns(update))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")
        # The target's column types, no rows (the same statement on both databases).
        cursor.execute(f"CREATE TEMP TABLE {stage} AS SELECT {names} FROM {table} WHERE 1 = 0")
    _write(connection, stage, columns(frame.columns), _db_values(connection, model, frame))
    with connection.cursor() as cursor:
        # "WHERE true": SQLite would otherwise read ON CONFLICT as part of the SELECT.
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} WHERE true "
            f"ON CONFLICT ({', '.join(columns(conflict))}) DO UPDATE SET {sets}"
        )
        cursor.execute(f"DROP TABLE {stage}")
