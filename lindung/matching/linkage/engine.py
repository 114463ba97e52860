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
from lindung.matching.linkage.schema import Schema
from lindung.matching.linkage.sql import DIALECTS, Dialect

__all__ = ["LinkResult", "LinkSettings", "link"]


@dataclass(frozen=True)
class LinkSettings:
    threshold: float = 0.5
    #: expected share of LEFT found in RIGHT (prior)
    expected_overlap: float = 0.5
    one_to_one: bool = True
    #: extra m/u overrides: {"nik": {"exact": (m, u)}, …}
    levels: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
    #: another list shape (no NIK/sex): declared columns and comparison types, see
    #: :mod:`lindung.matching.linkage.schema`; None = the Indonesian people profile
    schema: Schema | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkSettings:
        """From a config mapping (JSON/TOML). A ``columns`` key declares a :class:`Schema`."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "levels" in known:
            known["levels"] = {
                comp: {lvl: tuple(mu) for lvl, mu in lv.items()}
                for comp, lv in known["levels"].items()
            }
        if isinstance(known.get("schema"), dict):
            known["schema"] = Schema.from_dict(known["schema"])
        if data.get("columns"):
            known["schema"] = Schema.from_dict(data)
        return cls(**known)


@dataclass
class LinkResult:
    pairs: pl.DataFrame  # left_id, right_id, match_probability, reason
    summary: dict[str, Any]


def _lvl(name: str, sql: str, m: float, u: float, overrides: dict) -> dict[str, Any]:
    m, u = overrides.get(name, (m, u))
    return {"sql_condition": sql, "label_for_charts": name, "m_probability": m, "u_probability": u}


def _null(sql: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": "null", "is_null_level": True}


def comparisons(
    settings: LinkSettings, dialect: Dialect = DIALECTS["duckdb"]
) -> list[dict[str, Any]]:
    o, d = settings.levels, dialect
    nik = {
        "output_column_name": "nik",
        "comparison_levels": [
            _null("(nik16_l IS NULL OR nik16_r IS NULL) AND "
                  "(nik_p6_l IS NULL OR nik_p6_r IS NULL)"),
            _lvl("exact", 'nik16_l = nik16_r AND nik_ok_l AND nik_ok_r', 0.9, 1e-7,
                 o.get("nik", {})),
            _lvl("exact_suspect", 'nik16_l = nik16_r', 0.02, 1e-5, o.get("nik", {})),
            _lvl("zeroed", 'substr(nik16_l,1,15) = substr(nik16_r,1,15) AND '
                 f"({d.last_char('nik16_l')} = '0' OR {d.last_char('nik16_r')} = '0')", 0.01, 1e-6,
                 o.get("nik", {})),
            _lvl("serial_1", 'nik12_l = nik12_r AND '
                 f"{d.dl('nik_ser_l', 'nik_ser_r')} <= 1", 0.01, 2e-6,
                 o.get("nik", {})),
            _lvl("edit_1", f"{d.dl('nik16_l', 'nik16_r')} <= 1", 0.02, 1e-6,
                 o.get("nik", {})),
            # Same kecamatan, date and sex, serial two or more edits apart: two registered
            # people (a true match needs two typos in the serial): strong evidence *against*,
            # as the birth date and sex it encodes already counted for the pair.
            _lvl("same_12", "nik12_l = nik12_r", 1e-8, 1e-5, o.get("nik", {})),
            # A NIK that disagrees with its own record (a typo in the date, a relative's NIK)
            # is neutral, as long as the two NIKs share their region or their date part; two
            # valid NIKs with nothing in common are two people (level "else").
            _lvl("suspect", "(NOT nik_ok_l OR NOT nik_ok_r) AND "
                 "(nik_reg_l = nik_reg_r OR nik_ds_l = nik_ds_r OR "
                 f"{d.dl('nik16_l', 'nik16_r')} <= 2)", 0.03, 0.03, o.get("nik", {})),
            # One NIK in Excel's scientific notation: only its first six digits (rounded) are
            # left, the kecamatan. The same kecamatan is some evidence; another one is strong
            # evidence against (a namesake born the same day elsewhere), since a true match
            # needs a typo in those six digits.
            _lvl("sci_region", "(nik16_l IS NULL OR nik16_r IS NULL) AND nik_p6_l = nik_p6_r",
                 0.0095, 2e-3, o.get("nik", {})),
            _lvl("sci_other", "nik16_l IS NULL OR nik16_r IS NULL", 5e-4, 1e-2,
                 o.get("nik", {})),
            _lvl("else", "TRUE", 1e-4, 0.999, o.get("nik", {})),
        ],
    }  # fmt: skip
    jw = d.jw("name_phon_l", "name_phon_r")
    jw_first = d.jw("name_first_l", "name_first_r")
    jw_last = d.jw("name_last_l", "name_last_r")
    tokens_l, tokens_r = d.tokens("name_phon_l"), d.tokens("name_phon_r")
    contained = (
        f"({d.size(tokens_l)} >= 2 AND {d.size(tokens_r)} >= 2 AND "
        f"({d.has_all(tokens_l, tokens_r)} OR {d.has_all(tokens_r, tokens_l)}))"
    )
    initials = (
        "(name_initials_l = name_initials_r AND name_first_l = name_first_r "
        "AND name_last_l = name_last_r)"
    )
    # "H. B. Hartono" / "Bambang Hartono": an initial for the first name, same last name.
    initial_first = (
        "(name_initials_l = name_initials_r AND name_last_l = name_last_r AND "
        "(length(name_first_l) = 1 OR length(name_first_r) = 1))"
    )
    # "H. Riyadi" / "Rudi Riyadi": one side kept a single name, found in the other.
    one_token = (
        f"(({d.size(tokens_l)} = 1 AND {d.has_all(tokens_r, tokens_l)}) OR "
        f"({d.size(tokens_r)} = 1 AND {d.has_all(tokens_l, tokens_r)}))"
    )
    name = {
        "output_column_name": "name",
        "comparison_levels": [
            _null('name_sorted_l IS NULL OR name_sorted_r IS NULL'),
            # Common names weigh less: u is the name's frequency in both lists (never below
            # 1e-5: a rare full name), so "Rudi"/"Eko" born the same day with an unusable NIK
            # is not enough at a million people, "Masrani Hamdani" is.
            {**_lvl("exact", "name_sorted_l = name_sorted_r", 0.75, 1e-4, o.get("name", {})),
             "tf_adjustment_column": "name_sorted", "tf_adjustment_weight": 1.0,
             "tf_minimum_u_value": 1e-5},
            _lvl("strong", f"{jw} >= 0.96 OR {contained} OR {initials} OR "
                 f"{d.jw('name_sorted_l', 'name_sorted_r')} >= 0.96 OR "
                 # "Nur Hayati" / "Nurhayati"
                 "replace(name_phon_l, ' ', '') = replace(name_phon_r, ' ', '')",
                 0.18, 5e-4, o.get("name", {})),
            # Both the first and the last token must be close: "Siti Aminah" / "Siti Fatimah"
            # or "Ahmad Yusuf" / "Muhammad Yusuf" (twins, siblings) score 0.92 on the whole.
            _lvl("medium", f"({jw} >= 0.9 AND {jw_first} >= 0.88 AND {jw_last} >= 0.88) OR "
                 f"{initial_first} OR {one_token}", 0.05, 3e-3, o.get("name", {})),
            _lvl("weak", f"{jw} >= 0.8", 0.01, 0.03, o.get("name", {})),
            _lvl("else", "TRUE", 2e-4, 0.97, o.get("name", {})),
        ],
    }  # fmt: skip
    near = (
        "(substr(dob_l,1,4) = substr(dob_r,1,4) AND substr(dob_l,6,2) = "
        "substr(dob_r,9,2) AND substr(dob_l,9,2) = substr(dob_r,6,2)) OR "
        f"{d.days_apart('dob_l', 'dob_r')} <= 1 OR "
        "(substr(dob_l,5,6) = substr(dob_r,5,6) AND "
        "abs(yob_l - yob_r) IN (1, 10))"
    )
    dob = {
        "output_column_name": "dob",
        "comparison_levels": [
            _null('dob_l IS NULL OR dob_r IS NULL'),
            _lvl("exact", 'dob_l = dob_r', 0.93, 5.5e-5, o.get("dob", {})),
            _lvl("near", near, 0.05, 2e-3, o.get("dob", {})),
            _lvl("else", "TRUE", 0.02, 0.998, o.get("dob", {})),
        ],
    }  # fmt: skip
    sex = {
        "output_column_name": "sex",
        "comparison_levels": [
            _null('sex_l IS NULL OR sex_r IS NULL'),
            _lvl("exact", 'sex_l = sex_r', 0.98, 0.5, o.get("sex", {})),
            _lvl("else", "TRUE", 0.02, 0.5, o.get("sex", {})),
        ],
    }  # fmt: skip
    # Where the person lives. The same kecamatan is good evidence against an accidental
    # namesake (one in sixty random pairs share one); the same kab/kota but another kecamatan
    # is a move or a namesake.
    region = {
        "output_column_name": "kabkota",
        "comparison_levels": [
            _null('kabkota_l IS NULL OR kabkota_r IS NULL'),
            _lvl("kec", 'kec_l = kec_r', 0.85, 0.016, o.get("kabkota", {})),
            _lvl("exact", 'kabkota_l = kabkota_r', 0.07, 0.13, o.get("kabkota", {})),
            _lvl("else", "TRUE", 0.08, 0.85, o.get("kabkota", {})),
        ],
    }  # fmt: skip
    return [nik, name, dob, sex, region]


BLOCKING_RULES = (
    "l.nik16 = r.nik16",
    "l.nik12 = r.nik12",
    "l.nik_ds = r.nik_ds AND l.nik_ser = r.nik_ser",
    "l.dob = r.dob AND l.name_first = r.name_first",
    "l.dob = r.dob AND l.name_last = r.name_last",
    # a damaged name ("Salmh", "Ysuf"): same birth date, sex and kecamatan
    "l.dob = r.dob AND l.kec = r.kec AND l.sex = r.sex",
    # day and month swapped, or another day typo, in the same kecamatan
    "l.name_sorted = r.name_sorted AND l.yob = r.yob AND l.kec = r.kec",
    # no birth date on one side (and no NIK to read it from): the name in the same kecamatan
    "l.name_sorted = r.name_sorted AND l.kec = r.kec AND (l.dob IS NULL OR r.dob IS NULL)",
    # birth-date typos: a wrong day, or a wrong year
    "l.name_sorted = r.name_sorted AND l.yob = r.yob AND substr(l.dob, 6, 2) = substr(r.dob, 6, 2)",
    "l.name_sorted = r.name_sorted AND substr(l.dob, 6, 5) = substr(r.dob, 6, 5)",
    # birth date blank or unreadable: the NIK's date part
    "l.name_sorted = r.name_sorted AND l.nik_ds = r.nik_ds",
)


def splink_settings(
    settings: LinkSettings, n_left: int, n_right: int, dialect: Dialect = DIALECTS["duckdb"]
) -> dict[str, Any]:
    expected = max(1.0, settings.expected_overlap * min(n_left, n_right))
    schema = settings.schema
    rules = schema.blocking_rules() if schema else list(BLOCKING_RULES)
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": min(0.5, expected / max(1, n_left * n_right)),
        "blocking_rules_to_generate_predictions": [{"blocking_rule": rule} for rule in rules],
        "comparisons": schema.comparisons(dialect) if schema else comparisons(settings, dialect),
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": True,
        "additional_columns_to_retain": [] if schema else ["nama"],
    }


def select_sql(settings: LinkSettings, dialect: Dialect) -> list[str]:
    """Columns the backend returns from Splink's predictions (cross-dataset rows only)."""
    if settings.schema:
        return settings.schema.select_sql(dialect)
    return [
        "unique_id_l AS left_id",
        "unique_id_r AS right_id",
        "match_probability",
        f"{dialect.jw('name_phon_l', 'name_phon_r')} AS name_sim",
        "name_sorted_l",
        *[f"gamma_{c}" for c in ("nik", "name", "dob", "sex", "kabkota")],
    ]


def _trainer(schema: Schema) -> Callable[[Any], None]:
    """u by random sampling, m by EM on the first three blocking rules that leave columns
    free to learn (declared schemas only)."""

    def train(linker: Any) -> None:
        import logging

        quiet = logging.getLogger("splink")
        level = quiet.level
        quiet.setLevel(logging.ERROR)  # "level not observed, unable to train m" is expected
        try:
            linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
            for rule in schema.training_rules()[:3]:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True
                )
        finally:
            quiet.setLevel(level)

    return train


_NIK_REASON = {
    0: "NIK sama",  # exact
    1: "NIK sama (tidak cocok dengan tanggal lahir)",
    2: "NIK rusak Excel, 15 digit pertama sama",
    3: "NIK beda 1 digit pada nomor urut",
    4: "NIK beda 1 digit",
    5: "NIK beda nomor urut",
    6: "NIK tidak konsisten",
    7: "NIK tidak dapat dipakai (notasi ilmiah Excel, kecamatan sama)",
    8: "NIK tidak dapat dipakai (notasi ilmiah Excel, kecamatan beda)",
    9: "NIK berbeda",
    -1: "NIK tidak dapat dipakai",
}
_NIK_TOP = max(_NIK_REASON)  # gamma of the exact level
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
            [level_text("gamma_nik", _NIK_REASON, _NIK_TOP), pl.lit(", "), name, pl.lit(", "),
             level_text("gamma_dob", _DOB_REASON, 2), sex, region]
        ).alias("reason")
    ).to_series()  # fmt: skip


def _resolve(
    pairs: pl.DataFrame, one_to_one: bool, same_person_key: str | None = "name_sorted_l"
) -> pl.DataFrame:
    if not one_to_one or pairs.is_empty():
        return pairs
    # ids break exact ties, so that every backend resolves the same way
    ranked = pairs.sort(
        ["match_probability", "name_sim", "left_id", "right_id"],
        descending=[True, True, False, False],
    )
    best_left = ranked.unique("left_id", keep="first", maintain_order=True)
    if same_person_key is None:
        return best_left.unique("right_id", keep="first", maintain_order=True)
    # A participant keeps its best proposal and any other proposal of the same name (one person
    # proposed twice, by the province and by the kab/kota).
    top = best_left.unique("right_id", keep="first", maintain_order=True).select(
        "right_id", top_name=pl.col(same_person_key), top_left=pl.col("left_id")
    )
    # ...but not a namesake: a second proposal whose usable NIK disagrees with the participant's
    # (NIK level "else", "suspect" or "sci_other": another person with the same name and birth
    # date).
    # (gammas: exact = _NIK_TOP … suspect = 3, sci_region = 2, sci_other = 1, else = 0)
    extra_ok = (pl.col("gamma_nik") < 0) | (pl.col("gamma_nik") >= 4) | (pl.col("gamma_nik") == 2)
    return (
        best_left.join(top, on="right_id")
        .filter(
            (pl.col("left_id") == pl.col("top_left"))
            | ((pl.col(same_person_key) == pl.col("top_name")) & extra_ok)
        )
        .drop("top_name", "top_left")
    )


def _confirm(raw: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Pairs above the threshold that also pass the confirmation rules."""
    # Confirmation: a similar name, unless the NIK is exact and consistent on both sides
    # (gamma_nik _NIK_TOP) and the birth dates equal (a name damaged beyond recognition:
    # "Prasetjo Boedi" / "Budi Prasetyo"), or the same 16 digits on both sides with a close
    # birth date and a loosely similar name ("Supian" / "Sofyan", "Yunus" / "Ynus"); a close
    # birth date unless the NIK is exact and consistent, or the same 16 digits with the same
    # name (a typo in both birth dates), or the date is unknown.
    nik, name, dob = pl.col("gamma_nik"), pl.col("gamma_name"), pl.col("gamma_dob")
    same_digits = nik >= _NIK_TOP - 1
    return raw.filter(
        ((name >= 2) | ((nik == _NIK_TOP) & (dob == 2)) | ((name == 1) & same_digits & (dob != 0)))
        & ((dob != 0) | (nik == _NIK_TOP) | (same_digits & (name >= 3)))
        & (pl.col("match_probability") >= threshold)
    )


def link(
    left: pl.DataFrame,
    right: pl.DataFrame,
    *,
    settings: LinkSettings | dict[str, Any] | None = None,
    engine: str = "duckdb",
    progress: Callable[[str, float], None] | None = None,
) -> LinkResult:
    """Link LEFT records to RIGHT records (both with ``id`` and the import column names, or
    the columns of ``settings.schema``). ``engine``: ``duckdb`` or ``spark``."""
    from lindung.matching.linkage.backends import get_backend

    if isinstance(settings, dict):
        settings = LinkSettings.from_dict(settings)
    settings = settings or LinkSettings()
    report = progress or (lambda step, fraction: None)
    started = time.perf_counter()
    backend = get_backend(engine)
    schema = settings.schema
    report("menyiapkan data", 0.0)
    if schema:
        lp, rp = schema.prepare(left), schema.prepare(right)
    else:
        lp, rp = prepare(left), prepare(right)
    report("membandingkan pasangan", 0.3)
    raw = backend.predict(
        lp,
        rp,
        splink_settings(settings, lp.height, rp.height, backend.dialect),
        settings.threshold,
        select_sql(settings, backend.dialect),
        train=_trainer(schema) if schema and schema.train else None,
    )
    report("menyelesaikan pasangan", 0.9)
    compared = raw.height
    if schema:
        confirmed = raw.filter(pl.col("match_probability") >= settings.threshold)
        pairs = _resolve(confirmed.with_columns(name_sim=pl.lit(0.0)), settings.one_to_one,
                         same_person_key=None)  # fmt: skip
        pairs = pairs.with_columns(reason=schema.reason(pairs))
    else:
        confirmed = _confirm(raw, settings.threshold)
        pairs = _resolve(confirmed, settings.one_to_one)
        pairs = pairs.with_columns(reason=_reason(pairs))
    pairs = pairs.select("left_id", "right_id", "match_probability", "reason").sort(
        "left_id", "right_id"
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
