"""The few SQL functions the comparison levels need, spelled for each Splink backend.

Comparison and blocking SQL is written once, through :class:`Dialect`, and rendered for DuckDB
or Spark SQL. Identifiers are left unquoted (all our column names are lowercase ASCII): Spark
reads ``"x"`` as a string literal, DuckDB ``'x'``; bare names mean the same in both.

Spark's similarity functions come from the Scala jar that ships with Splink (registered by
``SparkAPI``); its Jaro-Winkler rounds a few pairs differently from DuckDB's, so links, not raw
scores, are what agree across backends.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DIALECTS", "Dialect"]


@dataclass(frozen=True)
class Dialect:
    name: str

    @property
    def spark(self) -> bool:
        return self.name == "spark"

    def jw(self, a: str, b: str) -> str:
        """Jaro-Winkler similarity 0–1."""
        fn = "jaro_winkler" if self.spark else "jaro_winkler_similarity"
        return f"{fn}({a}, {b})"

    def dl(self, a: str, b: str) -> str:
        """Damerau-Levenshtein distance (adjacent transpositions cost 1)."""
        return f"damerau_levenshtein({a}, {b})"

    def lev(self, a: str, b: str) -> str:
        return f"levenshtein({a}, {b})"

    def tokens(self, a: str) -> str:
        """Space-separated tokens as a list/array."""
        return f"split({a}, ' ')" if self.spark else f"string_split({a}, ' ')"

    def size(self, arr: str) -> str:
        return f"size({arr})" if self.spark else f"len({arr})"

    def has_all(self, arr: str, items: str) -> str:
        """Every element of ``items`` is in ``arr``."""
        if self.spark:
            return f"(size(array_except({items}, {arr})) = 0)"
        return f"list_has_all({arr}, {items})"

    def days_apart(self, a: str, b: str) -> str:
        """Absolute difference in days between two ISO date strings."""
        if self.spark:
            return f"abs(datediff(CAST({a} AS DATE), CAST({b} AS DATE)))"
        return f"abs(datediff('day', CAST({a} AS DATE), CAST({b} AS DATE)))"

    def last_char(self, a: str) -> str:
        return f"substr({a}, -1, 1)" if self.spark else f"right({a}, 1)"


DIALECTS = {"duckdb": Dialect("duckdb"), "spark": Dialect("spark")}
