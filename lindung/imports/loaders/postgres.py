"""PostgreSQL: COPY into the stage, an advisory lock per table, a server-side cursor for audits.

COPY is the only way to stage a million rows in seconds; the lock makes two loads into one
table queue instead of colliding on natural keys.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import polars as pl
from django.db import connection

from lindung.imports.loaders.writer import STAGE_BATCH, Writer


class PostgresWriter(Writer):
    """:class:`Writer` with COPY staging."""

    def lock(self) -> None:
        """Loads into one table wait for each other instead of colliding on keys (SQLite's
        write transactions are serialised already)."""
        self._scalar(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"lindung.load.{self.spec.table}"]
        )

    def _fill_stage(self, data: pl.DataFrame) -> None:
        """COPY of CSV that Polars writes, slice by slice, streamed through psycopg.

        Measured on 1M worker rows (2 vCPU, PostgreSQL 15): CSV with minimal quoting 3.5 s,
        CSV quoting every string 4.2 s, text format (escaped by Polars) 4.4 s, binary with
        psycopg ``write_row`` 3.4 s but all of it Python CPU time that the server then lacks.
        Minimal quoting leaves an unquoted string ``\\N`` indistinguishable from NULL, so a
        frame holding that exact string is written with every string quoted.
        """
        columns = ", ".join(self._q(c) for c in data.columns)
        sql = f"COPY {self.stage_table} ({columns}) FROM STDIN (FORMAT csv, NULL '\\N')"
        texts = [c for c, dtype in data.schema.items() if dtype == pl.String]
        ambiguous = data.select(pl.any_horizontal(pl.col(texts) == "\\N").any()).item()
        quoting: Literal["non_numeric", "necessary"] = "non_numeric" if ambiguous else "necessary"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for offset in range(0, data.height, STAGE_BATCH):
                buffer = io.BytesIO()
                data.slice(offset, STAGE_BATCH).write_csv(
                    buffer, include_header=False, null_value="\\N", quote_style=quoting
                )
                copy.write(buffer.getbuffer())
        self._execute(f"ANALYZE {self.stage_table}")

    @contextmanager
    def _reader(self, sql: str) -> Iterator[Any]:
        """A server-side cursor: the changed records of a big load need not fit in memory."""
        connection.ensure_connection()
        cursor = connection.connection.cursor(name=f"lindung_audit_{self.batch}")
        try:
            cursor.execute(sql)
            yield cursor
        finally:
            cursor.close()
