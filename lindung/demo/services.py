"""Putting demo workers into the database fast: COPY on PostgreSQL, executemany on SQLite.

:func:`load_workers` takes the frame of :func:`lindung.demo.generator.generate_workers` (or any
frame with the same columns) and inserts every row in one transaction, bypassing the ORM, so a
million rows take seconds rather than minutes. Because ``Worker.save()`` is bypassed, this module
fills what it would have filled: ``name_search`` (the same key as
:func:`lindung.registry.names.search_key`), ``kecamatan``/``kabkota`` from the desa, and the
timestamps. One audit entry records the whole load; no per-row signals fire.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.utils import timezone

from lindung import nik as nik_module
from lindung.audit.services import record
from lindung.registry.models import Worker
from lindung.registry.names import search_key_series

#: Worker columns written by :func:`load_workers`, in order (``id`` comes from the database).
WORKER_COLUMNS = (
    "nik",
    "nik_status",
    "name",
    "name_search",
    "birth_date",
    "sex",
    "address",
    "desa_id",
    "kecamatan_id",
    "kabkota_id",
    "occupation",
    "monthly_income",
    "poverty_decile",
    "proposer_id",
    "source",
    "status",
    "created_at",
    "updated_at",
)
_DEFAULTS: dict[str, Any] = {
    "address": "",
    "source": "",
    "status": "diusulkan",
    "occupation": "lainnya",
    "birth_date": None,
    "desa_id": None,
    "kecamatan_id": None,
    "kabkota_id": None,
    "monthly_income": None,
    "poverty_decile": None,
}
_PARENT_CODE = r"\.[^.]*$"  # "64.72.01.1001" → "64.72.01" (as Worker.save() does)

Progress = Callable[[int], None]

#: Page cache for SQLite during a load, in KiB as PRAGMA cache_size takes it (negative = KiB).
SQLITE_CACHE_KIB = -256 * 1024

#: The old name of :func:`lindung.registry.names.search_key_series`, for callers of this module.
search_keys = search_key_series


def prepare_workers(df: pl.DataFrame) -> pl.DataFrame:
    """The frame as the ``registry_worker`` table wants it: ``WORKER_COLUMNS``, in order.

    Missing optional columns get the model's defaults, ``nik_status`` is computed with
    :func:`lindung.nik.check_series` when absent, and derived columns are filled.
    """
    frame = df.with_columns(
        pl.lit(value, dtype=pl.String if isinstance(value, str) else None).alias(column)
        for column, value in _DEFAULTS.items()
        if column not in df.columns
    )
    if "nik_status" not in frame.columns:
        frame = frame.with_columns(nik_status=nik_module.check_series(frame["nik"])["nik_status"])
    now = timezone.now()
    desa = pl.col("desa_id").cast(pl.String)
    frame = frame.with_columns(
        kecamatan_id=pl.coalesce(
            pl.col("kecamatan_id").cast(pl.String), desa.str.replace(_PARENT_CODE, "")
        ),
    ).with_columns(
        kabkota_id=pl.coalesce(
            pl.col("kabkota_id").cast(pl.String),
            pl.col("kecamatan_id").str.replace(_PARENT_CODE, ""),
        ),
        nik=pl.col("nik").fill_null(""),
        name_search=search_key_series(frame["name"]),
        created_at=pl.lit(now, dtype=pl.Datetime("us", "UTC")),
        updated_at=pl.lit(now, dtype=pl.Datetime("us", "UTC")),
    )
    return frame.select(WORKER_COLUMNS)


def load_workers(
    df: pl.DataFrame,
    *,
    batch_size: int = 5000,
    seed: int | None = None,
    using: str = DEFAULT_DB_ALIAS,
    progress: Progress | None = None,
) -> int:
    """Insert every row of ``df`` as a ``Worker``, in one transaction; return the row count.

    PostgreSQL gets ``COPY … FROM STDIN`` (CSV, through psycopg 3) in chunks of ``batch_size``
    rows; other databases (SQLite) an ``executemany`` per chunk. ``progress`` is called with the
    number of rows of each chunk written. One audit entry (``import``, ``registry.worker``)
    records the load, with ``seed`` when the rows came from the generator.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    frame = prepare_workers(df)
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            _copy(connection, frame, batch_size, progress)
        else:
            _executemany(connection, frame, batch_size, progress)
        record(
            "import",
            object_type="registry.worker",
            detail={"source": "demo-data", "rows": frame.height, "seed": seed},
        )
    return frame.height


def _table_and_columns(connection: Any) -> tuple[str, str]:
    quote = connection.ops.quote_name
    column_of = {f.attname: f.column for f in Worker._meta.concrete_fields}
    columns = ", ".join(quote(column_of[c]) for c in WORKER_COLUMNS)
    return quote(Worker._meta.db_table), columns


def _copy(connection: Any, frame: pl.DataFrame, batch_size: int, progress: Progress | None) -> None:
    table, columns = _table_and_columns(connection)
    sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    text = frame.with_columns(
        pl.col("created_at", "updated_at").dt.to_string("%Y-%m-%d %H:%M:%S%.6f+00:00")
    )
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for chunk in text.iter_slices(batch_size):
            # Quoted "" is an empty string, \N is NULL: the two stay apart.
            copy.write(chunk.write_csv(include_header=False, null_value="\\N").encode())
            if progress:
                progress(chunk.height)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


def _executemany(
    connection: Any, frame: pl.DataFrame, batch_size: int, progress: Progress | None
) -> None:
    table, columns = _table_and_columns(connection)
    placeholders = ", ".join(["%s"] * len(WORKER_COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    # Values as the backend stores them: dates and datetimes as text (the ORM does the same on
    # SQLite, and Python's own sqlite3 date adapters are deprecated).
    now = frame["created_at"][0] if frame.height else timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    text = frame.with_columns(
        pl.col("birth_date").cast(pl.String),
        pl.lit(stamp).alias("created_at"),
        pl.lit(stamp).alias("updated_at"),
    )
    with connection.cursor() as cursor:
        # SQLite's default page cache (2 MB) is far smaller than the registry's indexes at a
        # million rows; each insert then reads index pages from disk (4x slower). Enlarge it
        # for this load only.
        sqlite = connection.vendor == "sqlite"
        if sqlite:
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
        try:
            for chunk in text.iter_slices(batch_size):
                cursor.executemany(sql, chunk.rows())
                if progress:
                    progress(chunk.height)
        finally:
            if sqlite:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def clear_demo_workers(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """Remove every worker from the registry (demo databases only); return how many there were.

    Deletes in bulk without per-row signals (a per-row audit entry for a million demo rows would
    bury the log): one ``delete`` audit entry records the clearing. If other tables point at
    workers, the ORM's cascading delete is used instead, so nothing is left dangling.
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        count = Worker.objects.using(using).count()
        if not count:
            return 0
        if any(r.related_model is not Worker for r in Worker._meta.related_objects):
            Worker.objects.using(using).all().delete()
        else:
            table = connection.ops.quote_name(Worker._meta.db_table)
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    try:
                        with transaction.atomic(using=using):
                            cursor.execute(f"TRUNCATE {table}")
                    except OperationalError:
                        # Rows added earlier in this transaction still have deferred FK checks
                        # pending, which TRUNCATE refuses to skip.
                        cursor.execute(f"DELETE FROM {table}")
                else:
                    cursor.execute(f"DELETE FROM {table}")
        record(
            "delete",
            object_type="registry.worker",
            detail={"source": "demo-data", "rows": count},
        )
    return count
