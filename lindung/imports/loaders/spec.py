"""How one model is written: a declaration per kind, read by the generic set-based writer.

Keeping the per-model facts (columns, natural keys, audited fields) as data is what lets one
writer serve four tables without four copies of the SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

#: Derived keys are rewritten with the name but, like in ``track()``, not audited.
DERIVED = frozenset({"name_search", "name_key"})


@dataclass(frozen=True)
class Spec:
    """How one model is written: stage columns, natural-key matchers and audited fields."""

    model: type[models.Model]
    columns: tuple[str, ...]  # stage columns = inserted columns (attnames)
    compare: tuple[str, ...]  # a difference here makes an update (and an audit entry)
    follow: tuple[str, ...]  # rewritten by an update, never the reason for one
    #: SQL conditions on stage ``s`` and table ``t``, tried in order: the first match wins
    matchers: tuple[str, ...]
    describe: Callable[[dict[str, Any]], str]  # object_repr of an audit entry, from new values
    repr_columns: tuple[str, ...] = ("name",)
    created_field: str = "created_at"
    updated_field: str = "updated_at"
    insert_constants: tuple[tuple[str, Any], ...] = ()
    #: a blank in the file never blanks these (NIB, NPWP: keys learnt from other sources)
    keep_when_blank: tuple[str, ...] = ()
    #: matchers may lead two staged rows to one record: the first keeps it, the others insert
    cascade: bool = False

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def label(self) -> str:
        return self.model._meta.label_lower
