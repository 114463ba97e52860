"""Write validated import frames into the database: fast, idempotent, all-or-nothing, audited.

Input is the validator's output: a Polars frame with one column per canonical field of the
schema (``lindung.imports.schemas``), ``nik_status`` when the schema has a NIK, and ``__row``
(the row number in the file, for the report). :func:`load` turns it into rows of the target
table, rejecting what the validator cannot know (regions that do not exist, rows outside the
operator's region, repeats of a natural key inside the file) and flagging what it settles on
its own (kecamatan-level region codes, unknown occupations).

How a load works, for a million rows:

1. **Prepare** (Polars; the only query reads the ~1,700 regions it needs): derived columns
   (``name_search``, kecamatan and kab/kota from the desa code, occupation codes), region and
   occupation names resolved once per distinct spelling and joined back, issues as a frame.
2. **Stage** into a TEMP table. PostgreSQL: ``COPY … FROM STDIN`` (psycopg 3) fed with CSV that
   Polars writes in slices. SQLite: ``executemany`` in large batches.
3. **Set-based SQL** inside one ``transaction.atomic()``:

   * match staged rows to stored records by natural key (``target_id``);
   * select old and new values of matched rows that differ (``IS DISTINCT FROM``) and
     bulk-create one audit entry per changed record, field by field, old → new;
   * ``UPDATE … FROM`` the staging table, those rows only;
   * ``INSERT … SELECT`` the rows that matched nothing (SQLite: big inserts into a table at
     most as big as the insert drop and rebuild its indexes, which costs half as much);
   * one summary audit entry (action "import") with the counts.

Any exception rolls everything back. A dry run does all of it and rolls back, so its counts are
exactly what a real load would do. Loading the same frame twice changes nothing the second time
(no updates, no per-record audit entries). Columns absent from the file are neither compared nor
overwritten: a file without an address column leaves stored addresses alone.

Natural keys:

* workers: (proposer, NIK) when the NIK is valid, else (proposer, name key, birth date, NIK
  text) — damaged and missing NIKs are stored with their status, never as "valid";
* participants: (NIK, segment, NPP) when the NIK is valid, else (name key, birth date, NIK
  text, segment, NPP);
* companies: the NIB if present, else the NPWP, else (name key, kab/kota). A file never blanks
  a stored NIB or NPWP, and a record found by a weaker key gets the stronger key filled in;
* employers: the NPP.

Where things are: :mod:`.common` (context, result, severities), :mod:`.issues` and
:mod:`.columns` (building blocks of every preparer), :mod:`.regions` and :mod:`.region_columns`
(region names and codes), one preparer per kind (:mod:`.workers`, :mod:`.participants`,
:mod:`.companies` for companies and employers, sharing :mod:`.people` and :mod:`.prepared`),
and the writing: :mod:`.writing` (the transaction), :mod:`.writer` (the set-based SQL),
:mod:`.postgres` and :mod:`.sqlite` (what differs), :mod:`.audit` (per-record entries).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext

import polars as pl

from lindung.audit.services import acting_as, current_actor
from lindung.imports.loaders.common import (
    FLAG,
    ISSUE_SCHEMA,
    KINDS,
    REJECT,
    Clock,
    LoadContext,
    LoadResult,
)
from lindung.imports.loaders.companies import prepare_companies, prepare_employers
from lindung.imports.loaders.participants import prepare_participants
from lindung.imports.loaders.prepared import Prepared
from lindung.imports.loaders.regions import Regions
from lindung.imports.loaders.workers import prepare_workers
from lindung.imports.loaders.writer import Writer
from lindung.imports.loaders.writing import write
from lindung.registry.names import search_key_expr, search_key_series

__all__ = [
    "FLAG",
    "ISSUE_SCHEMA",
    "KINDS",
    "REJECT",
    "LoadContext",
    "LoadResult",
    "load",
    "search_key_expr",
    "search_key_series",
]

#: The writer's steps, as tests reach them to make a load fail midway.
_Writer = Writer

_PREPARERS: dict[str, Callable[[pl.DataFrame, LoadContext, Regions], Prepared]] = {
    "workers": prepare_workers,
    "participants": prepare_participants,
    "companies": prepare_companies,
    "employers": prepare_employers,
}


def load(kind: str, rows: pl.DataFrame, *, context: LoadContext) -> LoadResult:
    """Load a validated frame of ``kind`` into its table in one transaction (see module doc)."""
    if kind not in KINDS:
        raise ValueError(f"Jenis impor tidak dikenal: {kind!r}")
    started = time.perf_counter()
    clock = Clock()
    actor = current_actor()
    as_user = context.user is not None and actor.user is not context.user
    with acting_as(context.user, ip=actor.ip) if as_user else nullcontext():
        regions = Regions.load()
        frame = rows.with_row_index("__i")
        if "__row" not in frame.columns:  # hand-made frames: file rows start at 2
            frame = frame.with_columns((pl.col("__i").cast(pl.Int64) + 2).alias("__row"))
        prepared = _PREPARERS[kind](frame, context, regions)
        clock.lap("prepare")
        result = write(kind, prepared, context, clock)
    result.seconds = time.perf_counter() - started
    result.timings = clock.timings
    return result
