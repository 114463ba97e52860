"""Linking proposed workers (LEFT) to BPJS TK participants (RIGHT).

Pipeline: :func:`~lindung.matching.linkage.prepare.prepare` both sides → Splink (a backend from
:mod:`lindung.matching.linkage.backends`) with the blocking rules and comparisons below →
confirmation rules and one-to-one resolution → pairs with a match probability and a short
Indonesian reason.

Blocking keeps compared pairs near-linear: the NIK itself, its first 12 digits (region + birth
date + sex: serial typos, zeroed 16th digit), its date part + serial (region typos), and the
normalised name with the birth date or year (records without a usable NIK, date-part typos).

Comparisons are by NIK *parts*: a one-digit typo or adjacent swap costs little, a different
serial with the same region and date (a neighbour, a twin) is weak evidence, a NIK that
disagrees with its own record's birth date or sex (a typo, or a relative's NIK) is neutral. The
m/u probabilities are set, not trained: NIK, birth date and sex are strongly dependent (the NIK
encodes the date), so EM on this data over-counts them and links neighbours; see
docs/decisions/0006-linkage-engine.md. A link always needs a similar name (and a close birth
date unless the NIK is exact and consistent).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from lindung.matching.linkage.prepare import prepare

__all__ = ["LinkResult", "LinkSettings", "link"]


@dataclass(frozen=True)
class LinkSettings:
    threshold: float = 0.5
    #: expected share of LEFT found in RIGHT (prior)
    expected_overlap: float = 0.5
    one_to_one: bool = True
    #: extra m/u overrides: {"nik": {"exact": (m, u)}, …}
    levels: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkSettings:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class LinkResult:
    pairs: pl.DataFrame  # left_id, right_id, match_probability, reason
    summary: dict[str, Any]


def _lvl(name: str, sql: str, m: float, u: float, overrides: dict) -> dict[str, Any]:
    m, u = overrides.get(name, (m, u))
    return {"sql_condition": sql, "label_for_charts": name, "m_probability": m, "u_probability": u}


def _null(sql: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": "null", "is_null_level": True}


def comparisons(settings: LinkSettings) -> list[dict[str, Any]]:
    o = settings.levels
    nik = {
        "output_column_name": "nik",
        "comparison_levels": [
            _null('"nik16_l" IS NULL OR "nik16_r" IS NULL'),
            _lvl("exact", '"nik16_l" = "nik16_r" AND "nik_ok_l" AND "nik_ok_r"', 0.9, 1e-7,
                 o.get("nik", {})),
            _lvl("exact_suspect", '"nik16_l" = "nik16_r"', 0.02, 1e-5, o.get("nik", {})),
            _lvl("zeroed", 'substr("nik16_l",1,15) = substr("nik16_r",1,15) AND '
                 '(right("nik16_l",1) = \'0\' OR right("nik16_r",1) = \'0\')', 0.01, 1e-6,
                 o.get("nik", {})),
            _lvl("serial_1", '"nik12_l" = "nik12_r" AND '
                 'damerau_levenshtein("nik_ser_l", "nik_ser_r") <= 1', 0.01, 2e-6,
                 o.get("nik", {})),
            _lvl("edit_1", 'damerau_levenshtein("nik16_l", "nik16_r") <= 1', 0.02, 1e-6,
                 o.get("nik", {})),
            _lvl("same_12", '"nik12_l" = "nik12_r"', 1e-4, 1e-5, o.get("nik", {})),
            _lvl("suspect", 'NOT "nik_ok_l" OR NOT "nik_ok_r"', 0.03, 0.03, o.get("nik", {})),
            _lvl("else", "TRUE", 1e-4, 0.999, o.get("nik", {})),
        ],
    }  # fmt: skip
    jw = 'jaro_winkler_similarity("name_phon_l", "name_phon_r")'
    jw_first = 'jaro_winkler_similarity("name_first_l", "name_first_r")'
    jw_last = 'jaro_winkler_similarity("name_last_l", "name_last_r")'
    tokens_l = "string_split(\"name_phon_l\", ' ')"
    tokens_r = "string_split(\"name_phon_r\", ' ')"
    contained = (
        f"(len({tokens_l}) >= 2 AND len({tokens_r}) >= 2 AND "
        f"(list_has_all({tokens_l}, {tokens_r}) OR list_has_all({tokens_r}, {tokens_l})))"
    )
    initials = (
        '("name_initials_l" = "name_initials_r" AND "name_first_l" = "name_first_r" '
        'AND "name_last_l" = "name_last_r")'
    )
    name = {
        "output_column_name": "name",
        "comparison_levels": [
            _null('"name_sorted_l" IS NULL OR "name_sorted_r" IS NULL'),
            _lvl("exact", '"name_sorted_l" = "name_sorted_r"', 0.75, 1e-4, o.get("name", {})),
            _lvl("strong", f"{jw} >= 0.96 OR {contained} OR {initials} OR "
                 'jaro_winkler_similarity("name_sorted_l", "name_sorted_r") >= 0.96',
                 0.18, 5e-4, o.get("name", {})),
            # Both the first and the last token must be close: "Siti Aminah" / "Siti Fatimah"
            # or "Ahmad Yusuf" / "Muhammad Yusuf" (twins, siblings) score 0.92 on the whole.
            _lvl("medium", f"{jw} >= 0.9 AND {jw_first} >= 0.88 AND {jw_last} >= 0.88",
                 0.05, 3e-3, o.get("name", {})),
            _lvl("weak", f"{jw} >= 0.8", 0.01, 0.03, o.get("name", {})),
            _lvl("else", "TRUE", 2e-4, 0.97, o.get("name", {})),
        ],
    }  # fmt: skip
    near = (
        '(substr("dob_l",1,4) = substr("dob_r",1,4) AND substr("dob_l",6,2) = '
        'substr("dob_r",9,2) AND substr("dob_l",9,2) = substr("dob_r",6,2)) OR '
        'abs(datediff(\'day\', CAST("dob_l" AS DATE), CAST("dob_r" AS DATE))) <= 1 OR '
        '(substr("dob_l",5,6) = substr("dob_r",5,6) AND '
        'abs("yob_l" - "yob_r") IN (1, 10))'
    )
    dob = {
        "output_column_name": "dob",
        "comparison_levels": [
            _null('"dob_l" IS NULL OR "dob_r" IS NULL'),
            _lvl("exact", '"dob_l" = "dob_r"', 0.93, 5.5e-5, o.get("dob", {})),
            _lvl("near", near, 0.05, 2e-3, o.get("dob", {})),
            _lvl("else", "TRUE", 0.02, 0.998, o.get("dob", {})),
        ],
    }  # fmt: skip
    sex = {
        "output_column_name": "sex",
        "comparison_levels": [
            _null('"sex_l" IS NULL OR "sex_r" IS NULL'),
            _lvl("exact", '"sex_l" = "sex_r"', 0.98, 0.5, o.get("sex", {})),
            _lvl("else", "TRUE", 0.02, 0.5, o.get("sex", {})),
        ],
    }  # fmt: skip
    region = {
        "output_column_name": "kabkota",
        "comparison_levels": [
            _null('"kabkota_l" IS NULL OR "kabkota_r" IS NULL'),
            _lvl("exact", '"kabkota_l" = "kabkota_r"', 0.88, 0.15, o.get("kabkota", {})),
            _lvl("else", "TRUE", 0.12, 0.85, o.get("kabkota", {})),
        ],
    }  # fmt: skip
    return [nik, name, dob, sex, region]


BLOCKING_RULES = (
    'l."nik16" = r."nik16"',
    'l."nik12" = r."nik12"',
    'l."nik_ds" = r."nik_ds" AND l."nik_ser" = r."nik_ser"',
    'l."dob" = r."dob" AND l."name_first" = r."name_first"',
    'l."dob" = r."dob" AND l."name_last" = r."name_last"',
    # birth-date typos: a wrong day, or a wrong year
    'l."name_sorted" = r."name_sorted" AND l."yob" = r."yob" '
    'AND substr(l."dob", 6, 2) = substr(r."dob", 6, 2)',
    'l."name_sorted" = r."name_sorted" AND substr(l."dob", 6, 5) = substr(r."dob", 6, 5)',
    # birth date blank or unreadable: the NIK's date part
    'l."name_sorted" = r."name_sorted" AND l."nik_ds" = r."nik_ds"',
)


def splink_settings(settings: LinkSettings, n_left: int, n_right: int) -> dict[str, Any]:
    expected = max(1.0, settings.expected_overlap * min(n_left, n_right))
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": min(0.5, expected / max(1, n_left * n_right)),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule} for rule in BLOCKING_RULES
        ],
        "comparisons": comparisons(settings),
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": True,
        "additional_columns_to_retain": ["nama"],
    }


_NIK_REASON = {
    0: "NIK sama",  # exact
    1: "NIK sama (tidak cocok dengan tanggal lahir)",
    2: "NIK rusak Excel, 15 digit pertama sama",
    3: "NIK beda 1 digit pada nomor urut",
    4: "NIK beda 1 digit",
    5: "NIK beda nomor urut",
    6: "NIK tidak konsisten",
    7: "NIK berbeda",
    -1: "NIK tidak dapat dipakai",
}
_DOB_REASON = {0: "tanggal lahir sama", 1: "tanggal lahir hampir sama", 2: "tanggal lahir beda",
               -1: "tanggal lahir kosong"}  # fmt: skip


def _decimal(x: pl.Expr) -> pl.Expr:
    return x.round(2).cast(pl.String).str.replace(".", ",", literal=True)


def _reason(frame: pl.DataFrame) -> pl.Series:
    """Short Indonesian reason from the comparison levels (gamma: highest = most similar)."""

    def level_text(col: str, table: dict[int, str], top: int) -> pl.Expr:
        # Splink gammas count down from the most similar level: convert to level index.
        idx = pl.when(pl.col(col) == -1).then(-1).otherwise(top - pl.col(col))
        return idx.replace_strict(table, default="", return_dtype=pl.String)

    name = (
        pl.when(pl.col("gamma_name") == -1)
        .then(pl.lit("nama kosong"))
        .when(pl.col("gamma_name") == 4)
        .then(pl.lit("nama sama"))
        .otherwise(pl.lit("nama mirip ") + _decimal(pl.col("name_sim")))
    )
    sex = (
        pl.when(pl.col("gamma_sex") == 0).then(pl.lit(", jenis kelamin beda")).otherwise(pl.lit(""))
    )
    region = (
        pl.when(pl.col("gamma_kabkota") == 0).then(pl.lit(", kab/kota beda")).otherwise(pl.lit(""))
    )
    return frame.select(
        pl.concat_str(
            [level_text("gamma_nik", _NIK_REASON, 7), pl.lit(", "), name, pl.lit(", "),
             level_text("gamma_dob", _DOB_REASON, 2), sex, region]
        ).alias("reason")
    ).to_series()  # fmt: skip


def _resolve(pairs: pl.DataFrame, one_to_one: bool) -> pl.DataFrame:
    if not one_to_one or pairs.is_empty():
        return pairs
    ranked = pairs.sort(["match_probability", "name_sim"], descending=True)
    best_left = ranked.unique("left_id", keep="first", maintain_order=True)
    # A participant keeps its best proposal and any other proposal of the same name (one person
    # proposed twice, by the province and by the kab/kota).
    top = best_left.unique("right_id", keep="first", maintain_order=True).select(
        "right_id", top_name=pl.col("name_sorted_l")
    )
    return best_left.join(top, on="right_id").filter(pl.col("name_sorted_l") == pl.col("top_name"))


def link(
    left: pl.DataFrame,
    right: pl.DataFrame,
    *,
    settings: LinkSettings | dict[str, Any] | None = None,
    engine: str = "duckdb",
    progress: Callable[[str, float], None] | None = None,
) -> LinkResult:
    """Link LEFT records to RIGHT records (both with ``id`` and the import column names)."""
    from lindung.matching.linkage.backends import get_backend

    if isinstance(settings, dict):
        settings = LinkSettings.from_dict(settings)
    settings = settings or LinkSettings()
    report = progress or (lambda step, fraction: None)
    started = time.perf_counter()
    report("menyiapkan data", 0.0)
    lp, rp = prepare(left), prepare(right)
    report("membandingkan pasangan", 0.3)
    backend = get_backend(engine)
    raw = backend.predict(
        lp, rp, splink_settings(settings, lp.height, rp.height), settings.threshold
    )
    report("menyelesaikan pasangan", 0.9)
    compared = raw.height
    # Confirmation: a similar name always; a close birth date unless the NIK is exact and
    # consistent on both sides (gamma_nik 7) or the date is unknown.
    confirmed = raw.filter(
        (
            (pl.col("gamma_name") >= 2)
            | (
                (pl.col("gamma_name") == 1)
                & (pl.col("gamma_nik") >= 6)
                & (pl.col("gamma_dob") == 2)
            )
        )
        & ((pl.col("gamma_dob") != 0) | (pl.col("gamma_nik") == 7))
        & (pl.col("match_probability") >= settings.threshold)
    )
    pairs = _resolve(confirmed, settings.one_to_one)
    pairs = (
        pairs.with_columns(reason=_reason(pairs))
        .select("left_id", "right_id", "match_probability", "reason")
        .sort("left_id")
    )
    elapsed = time.perf_counter() - started
    report("selesai", 1.0)
    return LinkResult(
        pairs=pairs,
        summary={
            "left": left.height,
            "right": right.height,
            "candidate_pairs_above_threshold": compared,
            "links": pairs.height,
            "left_linked": pairs["left_id"].n_unique(),
            "left_not_linked": left.height - pairs["left_id"].n_unique(),
            "seconds": round(elapsed, 2),
            "engine": engine,
        },
    )
