"""Normalised company names, so that "PT. Maju Jaya Tbk" and "MAJU JAYA" meet.

:func:`company_name_key` is the reference; :func:`company_name_key_expr` is the same rule as a
Polars expression for imports of many rows (tests check they agree).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lindung.registry.names import search_key

if TYPE_CHECKING:
    import polars as pl

#: Legal forms dropped from names, as whole words after :func:`search_key` (so "P.T." is "p t").
LEGAL_FORMS = (
    "perseroan terbatas",
    "persekutuan komanditer",
    "usaha dagang",
    "persero",
    "tbk",
    "pt",
    "p t",
    "cv",
    "c v",
    "ud",
    "u d",
)
_LEGAL_RE = r"\b(?:" + "|".join(LEGAL_FORMS) + r")\b"
_LEGAL = re.compile(_LEGAL_RE)
_SPACES = re.compile(r" +")


def company_name_key(name: str) -> str:
    """Lower-case ASCII words of the name without legal forms or punctuation.

    A name that is nothing but a legal form ("PT") keeps its :func:`search_key`.
    """
    base = search_key(name)
    key = _SPACES.sub(" ", _LEGAL.sub(" ", base)).strip()
    return key or base


def company_name_key_expr(name_search: pl.Expr) -> pl.Expr:
    """:func:`company_name_key` for a column, given its :func:`search_key` column."""
    import polars as pl

    key = (
        name_search.str.replace_all(_LEGAL_RE, " ").str.replace_all(" +", " ").str.strip_chars(" ")
    )
    return pl.when(key == "").then(name_search).otherwise(key)
