"""SQLite: executemany into the stage, a larger page cache, and index rebuilds for big inserts.

SQLite has no COPY; what makes a million rows fast there is skipping Django's per-row cursor
wrapping, keeping index pages in memory, and building indexes once instead of row by row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl
from django.db import connection

from lindung.imports.loaders.writer import STAGE_BATCH, Writer

#: SQLite page cache during a load, KiB (pages are only allocated when used).
SQLITE_CACHE_KIB = 262_144
#: SQLite: an insert of at least this many rows, and at least as many as the table holds,
#: drops the table's indexes and rebuilds them afterwards.
SQLITE_REBUILD_MIN_ROWS = 50_000


class SqliteWriter(Writer):
    """:class:`Writer` with executemany staging and SQLite tunings."""

    distinct_op = "IS NOT"

    @contextmanager
    def tuned(self) -> Iterator[None]:
        """A page cache big enough that index pages are not spilled mid-load."""
        before = {db: self._scalar(f"PRAGMA {db}.cache_size") for db in ("main", "temp")}
        for db in before:
            self._execute(f"PRAGMA {db}.cache_size = -{SQLITE_CACHE_KIB}")
        try:
            yield
        finally:
            for db, size in before.items():
                self._execute(f"PRAGMA {db}.cache_size = {int(size)}")

    def _fill_stage(self, data: pl.DataFrame) -> None:
        data = data.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
        columns = ", ".join(self._q(c) for c in data.columns)
        marks = ", ".join("?" * data.width)
        sql = f"INSERT INTO {self.stage_table} ({columns}) VALUES ({marks})"
        connection.ensure_connection()
        cursor = connection.connection.cursor()  # the sqlite3 cursor: no per-row wrapping
        try:
            for offset in range(0, data.height, STAGE_BATCH):
                cursor.executemany(sql, data.slice(offset, STAGE_BATCH).iter_rows())
        finally:
            cursor.close()

    @contextmanager
    def _indexes_rebuilt_if_cheaper(self) -> Iterator[None]:
        """Drop the table's indexes for a big insert and rebuild them after it.

        Inserting a million rows into a table with ten indexes costs about twice as much as
        building the indexes afterwards. Worth it when at least half of the table will be new
        rows. Inside the load's transaction: an error restores the indexes with everything
        else, and WAL readers keep their snapshot meanwhile. Never on PostgreSQL, where
        DROP INDEX would lock readers out until the load commits.
        """
        new = self._scalar(f"SELECT COUNT(*) FROM {self.stage_table} WHERE target_id IS NULL")
        if new < SQLITE_REBUILD_MIN_ROWS or new < self._scalar(
            f"SELECT COUNT(*) FROM {self.table}"
        ):
            yield
            return
        indexes = self._drop_indexes()
        yield
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)

    def _drop_indexes(self) -> list[tuple[str, str]]:
        """Drop the table's indexes; returns their names and ``CREATE INDEX`` statements."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [self.spec.table],
            )
            indexes = cursor.fetchall()
            for name, _sql in indexes:
                cursor.execute(f"DROP INDEX {self._q(name)}")
        return indexes
