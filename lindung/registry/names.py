"""Name keys for searching the registry.

Search needs a key that ignores case, punctuation and spacing so that "M. Yusuf" and "m yusuf"
meet, and that an index can serve as a prefix range on SQLite and PostgreSQL alike. Fuzzy
matching of name variants belongs to the matching engine, not here.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


def search_key(name: str) -> str:
    """Lower-case ASCII letters and digits separated by single spaces."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _SPACES.sub(" ", _NON_ALNUM.sub(" ", ascii_name.lower())).strip()


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix`` (for range scans)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
