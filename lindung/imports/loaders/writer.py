"""The set-based SQL of one load: stage, match, audit, update and insert.

Written once for both databases: what differs (how rows reach the stage table, locking,
cursors for large results, SQLite tunings) is a hook that :mod:`.postgres` and :mod:`.sqlite`
override. Every statement works on the whole staged file, never row by row.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import polars as pl
from django.db import connection
from django.utils import timezone

from lindung.audit.models import AuditEntry
from lindung.imports.loaders.audit import AUDIT_BATCH, ChangeEntries
from lindung.imports.loaders.common import Clock, LoadContext
from lindung.imports.loaders.spec import DERIVED, Spec

#: Rows per slice written to COPY (PostgreSQL) or per executemany batch (SQLite).
STAGE_BATCH = 100_000


class Writer(ABC):
    """The set-based SQL of one load; subclasses fill the stage table their own way."""

    #: SQL operator for "differs, NULLs included".
    distinct_op = "IS DISTINCT FROM"

    def __init__(
        self, spec: Spec, present: frozenset[str], context: LoadContext, clock: Clock
    ) -> None:
        self.spec, self.context, self.clock = spec, context, clock
        self.table = connection.ops.quote_name(spec.table)
        self.stage_table = f"lindung_stage_{spec.model._meta.model_name}"
        self.compare = [c for c in spec.compare if c in present]
        self.audited = [*self.compare, *(c for c in spec.follow if c not in DERIVED)]
        self.batch = uuid.uuid4().hex
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())

    # hooks -------------------------------------------------------------------------------------

    @contextmanager
    def tuned(self) -> Iterator[None]:
        """Database settings for the duration of the load (none by default)."""
        yield

    def lock(self) -> None:  # noqa: B027 (optional hook, no-op by default)
        """Make concurrent loads into one table wait for each other (nothing by default)."""

    @abstractmethod
    def _fill_stage(self, data: pl.DataFrame) -> None:
        """Copy ``data`` into the staging table (COPY on PostgreSQL, executemany on SQLite)."""

    @contextmanager
    def _reader(self, sql: str) -> Iterator[Any]:
        """A cursor over the result of ``sql``."""
        with connection.cursor() as cursor:
            cursor.execute(sql)
            yield cursor

    @contextmanager
    def _indexes_rebuilt_if_cheaper(self) -> Iterator[None]:
        """Around the insert: rebuild the table's indexes afterwards when cheaper (never here)."""
        yield

    # SQL helpers -------------------------------------------------------------------------------

    @staticmethod
    def _q(name: str) -> str:
        return connection.ops.quote_name(name)

    def _new(self, column: str) -> str:
        """The value a matched record takes for ``column``."""
        s, t = f"s.{self._q(column)}", f"t.{self._q(column)}"
        return (
            f"CASE WHEN {s} = '' THEN {t} ELSE {s} END"
            if column in self.spec.keep_when_blank
            else s
        )

    def _changed(self) -> str:
        return " OR ".join(
            f"t.{self._q(c)} {self.distinct_op} {self._new(c)}" for c in self.compare
        )

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    # steps -------------------------------------------------------------------------------------

    def stage(self, frame: pl.DataFrame) -> None:
        """A TEMP table shaped like the model's columns, filled with the prepared rows."""
        fields = {f.attname: f for f in self.spec.model._meta.concrete_fields}
        types = {c: fields[c].db_type(connection) for c in self.spec.columns}
        ddl = ", ".join(
            ["row_no bigint", "target_id bigint", *(f"{self._q(c)} {t}" for c, t in types.items())]
        )
        self.drop_stage()
        self._execute(f"CREATE TEMP TABLE {self.stage_table} ({ddl})")
        data = frame.select(pl.col("__row").cast(pl.Int64).alias("row_no"), *self.spec.columns)
        self._fill_stage(data)
        self.clock.lap("stage")

    def drop_stage(self) -> None:
        self._execute(f"DROP TABLE IF EXISTS {self.stage_table}")

    def match(self) -> int:
        """Set ``target_id`` of staged rows already stored; returns how many are."""
        for condition in self.spec.matchers:
            self._execute(
                f"UPDATE {self.stage_table} AS s SET target_id = t.id FROM {self.table} AS t "
                f"WHERE s.target_id IS NULL AND {condition}"
            )
        if self.spec.cascade:
            self._execute(
                f"UPDATE {self.stage_table} SET target_id = NULL WHERE row_no IN ("
                f"SELECT row_no FROM (SELECT row_no, ROW_NUMBER() OVER (PARTITION BY target_id "
                f"ORDER BY row_no) AS n FROM {self.stage_table} WHERE target_id IS NOT NULL) AS r "
                f"WHERE n > 1)"
            )
        matched = self._scalar(
            f"SELECT COUNT(*) FROM {self.stage_table} WHERE target_id IS NOT NULL"
        )
        self.clock.lap("match")
        return int(matched)

    def audit_changes(self) -> int:
        """One audit entry per record about to change, field by field (old → new)."""
        if not self.compare:
            return 0
        pairs = [f"t.{self._q(c)}, {self._new(c)}" for c in self.audited]
        shown = [f"s.{self._q(c)}" for c in self.spec.repr_columns]
        sql = (
            f"SELECT t.id, {', '.join(pairs + shown)} FROM {self.stage_table} AS s "
            f"JOIN {self.table} AS t ON t.id = s.target_id WHERE {self._changed()} ORDER BY t.id"
        )
        detail = {"import": self.spec.label, "batch": self.batch, "source": self.context.source}
        entries = ChangeEntries(self.spec, self.audited, detail)
        count = 0
        with self._reader(sql) as cursor:
            while chunk := cursor.fetchmany(AUDIT_BATCH):
                AuditEntry.objects.bulk_create(
                    [entries.entry(row) for row in chunk], batch_size=AUDIT_BATCH
                )
                count += len(chunk)
        self.clock.lap("audit")
        return count

    def update(self) -> int:
        """``UPDATE … FROM`` the stage: matched records that differ, those only."""
        if not self.compare:
            return 0
        columns = dict.fromkeys([*self.compare, *self.spec.follow])
        sets = [f"{self._q(c)} = {self._new(c)}" for c in columns]
        sets.append(f"{self._q(self.spec.updated_field)} = %s")
        updated = self._execute(
            f"UPDATE {self.table} AS t SET {', '.join(sets)} FROM {self.stage_table} AS s "
            f"WHERE t.id = s.target_id AND ({self._changed()})",
            [self.now],
        )
        self.clock.lap("update")
        return updated

    def insert(self) -> int:
        """``INSERT … SELECT`` the staged rows that matched nothing."""
        constants = self.spec.insert_constants
        targets = [
            *self.spec.columns,
            *(c for c, _ in constants),
            self.spec.created_field,
            self.spec.updated_field,
        ]
        values = [f"s.{self._q(c)}" for c in self.spec.columns] + ["%s"] * (len(constants) + 2)
        sql = (
            f"INSERT INTO {self.table} ({', '.join(self._q(c) for c in targets)}) "
            f"SELECT {', '.join(values)} FROM {self.stage_table} AS s WHERE s.target_id IS NULL"
        )
        with self._indexes_rebuilt_if_cheaper():
            created = self._execute(sql, [*(v for _, v in constants), self.now, self.now])
            self.clock.lap("insert")
        self.clock.lap("index")
        return created
