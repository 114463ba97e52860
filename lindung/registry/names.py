"""Name keys for searching the registry.

Search needs a key that ignores case, punctuation and spacing so that "M. Yusuf" and "m yusuf"
meet, and that an index can serve as a prefix range on SQLite and PostgreSQL alike. Fuzzy
matching of name variants belongs to the matching engine, not here.

:func:`search_key` is the reference; :func:`search_key_series` is the same key for a whole
column (imports and demo data of a million rows), in one place so the two cannot drift apart.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Polars is only needed for whole columns; importing it costs ~0.1 s.
    import polars as pl

_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


def search_key(name: str) -> str:
    """Lower-case ASCII letters and digits separated by single spaces."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _SPACES.sub(" ", _NON_ALNUM.sub(" ", ascii_name.lower())).strip()


def search_key_expr(names: pl.Expr) -> pl.Expr:
    """:func:`search_key` for ASCII text, as a Polars expression."""
    return (
        names.str.to_lowercase()
        .str.replace_all(r"[^a-z0-9 ]+", " ")
        .str.replace_all(r" {2,}", " ")
        .str.strip_chars(" ")
    )


def search_key_series(names: pl.Series) -> pl.Series:
    """``search_key`` of every value: Polars for ASCII values, the Python function otherwise.

    Unicode normalisation tables differ between Python and Rust releases, so the few
    non-ASCII names ("Bahrúddin") go through the reference function itself: the result is
    identical to ``[search_key(n) for n in names]`` (nulls become "").
    """
    import polars as pl

    names = names.cast(pl.String).fill_null("")
    out = pl.select(search_key_expr(pl.lit(names))).to_series().alias(names.name)
    non_ascii = (names.str.len_bytes() != names.str.len_chars()).arg_true()
    if non_ascii.len():
        out = out.scatter(non_ascii, [search_key(v) for v in names.gather(non_ascii).to_list()])
    return out


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix`` (for range scans)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
