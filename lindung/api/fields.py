"""Field types shared by the routers, so that the OpenAPI schema states exact ranges and values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import Field

#: Largest id a database integer key can hold; a larger id or cursor is refused with a 422
#: instead of overflowing in the database driver.
MAX_ID = 2**63 - 1

#: A row id in a path or a cursor: positive and within the database's integer range.
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]


def one_of(values: Iterable[str]) -> Any:
    """``json_schema_extra`` listing the values a plain string field can take."""
    return {"enum": list(values)}
