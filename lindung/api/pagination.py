"""Keyset (cursor) pagination for lists that can hold millions of rows.

A page is the rows with ``id`` below the cursor, newest first; the next cursor is the last id
shown. Page 20,000 then costs what page 1 costs, unlike ``OFFSET``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

PAGE_SIZE = 50


def keyset_page(queryset: QuerySet[M], after: int | None, size: int = PAGE_SIZE) -> dict[str, Any]:
    """``{"items": [...], "next_after": id | None}`` for one page of ``queryset``."""
    if after is not None:
        queryset = queryset.filter(id__lt=after)
    rows = list(queryset.order_by("-id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return {"items": rows, "next_after": rows[-1].pk if rows and more else None}
