"""Letter numbers without collisions, even when several batches run at once.

A batch reserves its whole block of numbers in one short transaction: the sequence row is
locked (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the IMMEDIATE transaction takes the
write lock), the counter moves on by the block size, and the lock is released before any PDF
is made. A batch that later fails leaves a gap in the numbering, never a duplicate; the register
(``OutgoingLetter.number`` is unique) is the backstop.
"""

from __future__ import annotations

import time

from django.db import OperationalError, transaction

from lindung.letters.models import LetterSequence

RETRIES = 20


def reserve(sequence_id: int, count: int, year: int) -> list[str]:
    """``count`` consecutive formatted numbers of ``year``, for this caller only."""
    if count <= 0:
        return []
    for attempt in range(RETRIES):
        try:
            with transaction.atomic():
                seq = LetterSequence.objects.select_for_update().get(pk=sequence_id)
                if year > seq.year:  # a new year starts again from 1
                    seq.year, seq.next_number = year, 1
                first = seq.next_number
                seq.next_number = first + count
                seq.save(update_fields=["year", "next_number"])
            return [seq.format(n, year) for n in range(first, first + count)]
        except OperationalError as exc:  # SQLite: "database is locked" under contention
            if "locked" not in str(exc) or attempt == RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")
