"""Linking lists of *another* shape: columns and comparison types declared in the settings.

The default profile (:mod:`lindung.matching.linkage.engine`) knows Indonesian people lists: NIK
by parts, name keys, birth date, sex, region, hand-set weights and name/date confirmation rules.
A list without NIK or sex (another registry, the FEBRL benchmark) declares its columns instead,
in the ``--config`` TOML/JSON::

    id = "rec_id"                 # id column of both files (default "id")
    threshold = 0.5
    expected_overlap = 1.0        # share of LEFT expected in RIGHT (the prior)
    train = true                  # m by EM on (the first 3 of) the blocks below; u by sampling

    [[columns]]
    name = "given_name"
    type = "name"                 # name | text | code | date | exact
    [[columns]]
    name = "postcode"
    type = "code"

    blocking = [["given_name", "surname"], ["date_of_birth"], ["soc_sec_id"]]

Comparison types (levels from most to least similar; m/u start values below, u is then
estimated by random sampling and m by EM when ``train``):

``name``   exact / Jaro-Winkler ≥ 0.94 / ≥ 0.88 / ≥ 0.7 / else; also matches the *other* name
           column of the same record when two ``name`` columns are declared (swapped given and
           family names) at the 0.94 level.
``text``   exact / Jaro-Winkler ≥ 0.9 / Damerau-Levenshtein ≤ 2 / Jaro-Winkler ≥ 0.7 / else.
``code``   digits and ids: exact / Damerau-Levenshtein ≤ 1 / ≤ 2 / else.
``date``   digits of the date: exact / one edit or day↔month swapped / same year / else.
``exact``  exact / else.

Values are lowercased, trimmed and blank → null. Blocking keys are equalities on declared
columns (a list of names), or dialect-neutral SQL text (``l.x = r.x``). One-to-one resolution is
the same as the default profile's (each LEFT keeps its best, each RIGHT its best). The reason of
a pair lists the columns that agree exactly and those that are only similar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from lindung.matching.linkage.sql import Dialect

__all__ = ["TYPES", "Column", "Schema"]

TYPES = ("name", "text", "code", "date", "exact")


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    #: m/u start values per level label, e.g. {"exact": (0.9, 0.001)}
    levels: dict[str, tuple[float, float]] | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"tipe kolom tidak dikenal: {self.type!r} (pilih {', '.join(TYPES)})")
        if not self.name.isidentifier() or self.name.lower() != self.name:
            raise ValueError(f"nama kolom harus huruf kecil tanpa spasi: {self.name!r}")


@dataclass(frozen=True)
class Schema:
    columns: tuple[Column, ...]
    id: str = "id"
    blocking: tuple[str, ...] = ()
    train: bool = True

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schema:
        cols = []
        for c in data["columns"]:
            if isinstance(c, str):
                c = {"name": c}
            levels = {k: tuple(v) for k, v in (c.get("levels") or {}).items()}
            cols.append(Column(name=c["name"], type=c.get("type", "text"), levels=levels or None))
        if not cols:
            raise ValueError("'columns' kosong")
        names = {c.name for c in cols}
        rules = []
        for rule in data.get("blocking") or [[c.name] for c in cols[:2]]:
            if isinstance(rule, str):
                rules.append(rule)
                continue
            unknown = set(rule) - names
            if unknown:
                raise ValueError(f"kolom blocking tidak dideklarasikan: {sorted(unknown)}")
            rules.append(" AND ".join(f"l.{c} = r.{c}" for c in rule))
        return cls(
            columns=tuple(cols),
            id=str(data.get("id", "id")),
            blocking=tuple(rules),
            train=bool(data.get("train", True)),
        )

    # --- data -----------------------------------------------------------------------------------

    def prepare(self, frame: pl.DataFrame) -> pl.DataFrame:
        """``unique_id`` + declared columns, normalised (missing columns are blank)."""
        id_col = self.id if self.id in frame.columns else "id"
        if id_col not in frame.columns:
            raise ValueError(f"kolom id {self.id!r} tidak ditemukan")
        exprs = [pl.col(id_col).cast(pl.String).alias("unique_id")]
        for c in self.columns:
            raw = (
                pl.col(c.name).cast(pl.String)
                if c.name in frame.columns
                else pl.lit(None, pl.String)
            )
            v = raw.str.to_lowercase().str.strip_chars()
            if c.type == "name":
                v = v.str.replace_all(r"[^a-z ]", "").str.replace_all(r" +", " ").str.strip_chars()
            elif c.type in ("code", "date"):
                v = v.str.replace_all(r"[^0-9a-z]", "")
            else:
                v = v.str.replace_all(r"\s+", " ")
            exprs.append(pl.when(v != "").then(v).alias(c.name))
        out = frame.select(exprs)
        for c in self.columns:
            if c.type == "date":
                # any format the importer reads → YYYYMMDD; unreadable dates keep their digits
                from lindung.imports.values import parse_date

                text = frame[c.name].cast(pl.String) if c.name in frame.columns else out[c.name]
                parsed, _ = parse_date(text.fill_null(""))
                iso = parsed.cast(pl.Date).dt.to_string("%Y%m%d")
                out = out.with_columns(pl.coalesce(iso, pl.col(c.name)).alias(c.name))
        return out

    # --- Splink settings ------------------------------------------------------------------------

    def comparisons(self, d: Dialect) -> list[dict[str, Any]]:
        names = [c.name for c in self.columns if c.type == "name"]
        out = []
        for c in self.columns:
            x, y = f"{c.name}_l", f"{c.name}_r"
            over = c.levels or {}

            def lvl(label: str, sql: str, m: float, u: float, over: dict = over) -> dict:
                m, u = over.get(label, (m, u))
                return {"sql_condition": sql, "label_for_charts": label,
                        "m_probability": m, "u_probability": u}  # fmt: skip

            levels: list[dict[str, Any]] = [
                {"sql_condition": f"{x} IS NULL OR {y} IS NULL", "label_for_charts": "null",
                 "is_null_level": True},
                lvl("exact", f"{x} = {y}", 0.85, 0.001),
            ]  # fmt: skip
            if c.type == "name":
                swapped = ""
                other = [n for n in names if n != c.name]
                if len(names) == 2:
                    o = other[0]
                    swapped = f" OR {d.jw(x, o + '_r')} >= 0.94 OR {d.jw(o + '_l', y)} >= 0.94"
                levels += [
                    lvl("jw94", f"{d.jw(x, y)} >= 0.94{swapped}", 0.08, 0.002),
                    lvl("jw88", f"{d.jw(x, y)} >= 0.88", 0.03, 0.005),
                    lvl("jw70", f"{d.jw(x, y)} >= 0.7", 0.02, 0.05),
                ]
            elif c.type == "text":
                levels += [
                    lvl("jw90", f"{d.jw(x, y)} >= 0.9", 0.08, 0.005),
                    lvl("dl2", f"{d.dl(x, y)} <= 2", 0.03, 0.005),
                    lvl("jw70", f"{d.jw(x, y)} >= 0.7", 0.02, 0.1),
                ]
            elif c.type == "code":
                levels += [
                    lvl("dl1", f"{d.dl(x, y)} <= 1", 0.08, 0.002),
                    lvl("dl2", f"{d.dl(x, y)} <= 2", 0.03, 0.02),
                ]
            elif c.type == "date":
                swap = (
                    f"(substr({x},1,4) = substr({y},1,4) AND substr({x},5,2) = substr({y},7,2)"
                    f" AND substr({x},7,2) = substr({y},5,2))"
                )
                levels += [
                    lvl("near", f"{d.dl(x, y)} <= 1 OR {swap}", 0.1, 0.003),
                    lvl("year", f"substr({x},1,4) = substr({y},1,4)", 0.02, 0.01),
                ]
            levels.append(lvl("else", "TRUE", 0.02, 0.98))
            out.append({"output_column_name": c.name, "comparison_levels": levels})
        return out

    def blocking_rules(self) -> list[str]:
        return list(self.blocking)

    def training_rules(self) -> list[str]:
        """EM blocks: each blocking rule, as long as it leaves some columns free to learn."""
        return [r for r in self.blocking if r.count("=") < len(self.columns) - 1]

    def select_sql(self, d: Dialect) -> list[str]:
        return [
            "unique_id_l AS left_id",
            "unique_id_r AS right_id",
            "match_probability",
            *[f"gamma_{c.name}" for c in self.columns],
        ]

    def reason(self, frame: pl.DataFrame) -> pl.Series:
        """``sama: a, b; mirip: c; beda: d`` from the gammas (top level = exact)."""
        tops = {c.name: len(self.comparisons(Dialect("duckdb"))[i]["comparison_levels"]) - 2
                for i, c in enumerate(self.columns)}  # fmt: skip

        def listed(cond: Any, label: str) -> pl.Expr:
            parts = [pl.when(cond(c.name, tops[c.name])).then(pl.lit(c.name)) for c in self.columns]
            joined = pl.concat_list(parts).list.drop_nulls().list.join(", ")
            return pl.when(joined != "").then(pl.lit(label) + joined)

        same = listed(lambda n, t: pl.col(f"gamma_{n}") == t, "sama: ")
        close = listed(lambda n, t: (pl.col(f"gamma_{n}") > 0) & (pl.col(f"gamma_{n}") < t),
                       "mirip: ")  # fmt: skip
        differ = listed(lambda n, t: pl.col(f"gamma_{n}") == 0, "beda: ")
        return frame.select(
            pl.concat_str([same, close, differ], separator="; ", ignore_nulls=True).alias("reason")
        ).to_series()
