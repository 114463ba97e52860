"""Choosing a programme's beneficiaries: who is eligible, who comes first, how many per kab/kota.

:func:`select` is a pure function on frames: the candidates (one row per registry proposal, from
:func:`load_candidates`), the people already funded by an overlapping programme, and the
:class:`Rules`. It returns every candidate with a coded reason for being out, or a rank and a
reason for being in. Scenarios, the saved selection, replacements and the per-worker explanation
all call it, so they can never disagree.

Order of decisions (the first that applies is the reason given):

1. proposal rejected or inactive; outside the target kab/kota;
2. not matched yet, already covered by BPJS TK, coverage under review;
3. age on the programme's start, occupation, poverty decile, income;
4. already funded by an overlapping programme (by person, across proposals);
5. the same person proposed twice: the best-ranked proposal counts, the others refer to it;
6. ranked per kab/kota by the ordered priority rules, ties broken by a hash of the person seeded
   with the programme id (reproducible, no advantage for early registry rows); the first
   ``quota`` of each kab/kota are in.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import polars as pl
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lindung.core.formats import rupiah, thousands
from lindung.matching.models import COVERED, CoverageStatus
from lindung.registry.models import NikStatus, Occupation, Worker, WorkerStatus

# --- the vocabulary -------------------------------------------------------------------------


class Out:
    """Codes of the reasons a candidate is not selected (stored in summaries, used in links)."""

    REJECTED = "usulan_ditolak"
    INACTIVE = "nonaktif"
    OUTSIDE = "di_luar_sasaran"
    UNMATCHED = "belum_dicocokkan"
    COVERED = "sudah_terlindungi"
    REVIEW = "perlu_tinjauan"
    NIK_UNUSABLE = "nik_belum_valid"
    NO_BIRTH_DATE = "tanggal_lahir_kosong"
    TOO_YOUNG = "terlalu_muda"
    TOO_OLD = "terlalu_tua"
    OCCUPATION = "pekerjaan"
    DECILE = "desil"
    INCOME = "penghasilan"
    FUNDED = "sudah_dibiayai"
    ALREADY_IN = "sudah_di_program"
    DUPLICATE = "usulan_ganda"
    QUOTA = "di_luar_kuota"


OUT_LABELS = {
    Out.REJECTED: _("Usulan ditolak"),
    Out.INACTIVE: _("Nonaktif (meninggal/pindah)"),
    Out.OUTSIDE: _("Di luar kab/kota sasaran"),
    Out.UNMATCHED: _("Belum dicocokkan dengan data BPJS"),
    Out.COVERED: _("Sudah terlindungi BPJS TK"),
    Out.REVIEW: _("Cakupan masih perlu ditinjau"),
    Out.NIK_UNUSABLE: _("NIK kosong, rusak atau tidak valid"),
    Out.NO_BIRTH_DATE: _("Tanggal lahir kosong"),
    Out.TOO_YOUNG: _("Di bawah usia minimum"),
    Out.TOO_OLD: _("Di atas usia maksimum"),
    Out.OCCUPATION: _("Pekerjaan bukan sasaran"),
    Out.DECILE: _("Desil di atas batas"),
    Out.INCOME: _("Penghasilan di atas batas"),
    Out.FUNDED: _("Sudah dibiayai program lain yang periodenya tumpang tindih"),
    Out.ALREADY_IN: _("Sudah tercatat di program ini"),
    Out.DUPLICATE: _("Usulan ganda (orang yang sama)"),
    Out.QUOTA: _("Memenuhi syarat, di luar kuota"),
}

#: Priority rules: code → (label, sort column, descending).
PRIORITIES: dict[str, tuple[object, str, bool]] = {
    "desil_terendah": (_("Desil kesejahteraan terendah"), "poverty_decile", False),
    "penghasilan_terendah": (_("Penghasilan terendah"), "monthly_income", False),
    "usia_tertua": (_("Usia tertua"), "age", True),
    "usia_termuda": (_("Usia termuda"), "age", False),
    "pekerjaan_prioritas": (_("Pekerjaan prioritas"), "_occupation_rank", False),
    "belum_pernah_terdaftar": (_("Belum pernah terdaftar BPJS"), "_lapsed", False),
}
DEFAULT_PRIORITIES = ("desil_terendah", "usia_tertua")

_COVERED_AS = {
    CoverageStatus.PU: _("sudah terlindungi sebagai PU"),
    CoverageStatus.BPU_MANDIRI: _("sudah terlindungi sebagai BPU mandiri"),
    CoverageStatus.BPU_PROGRAM: _("sudah terlindungi sebagai BPU yang dibiayai pemerintah/CSR"),
}

CANDIDATE_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "worker_id": pl.Int64,
    "nik": pl.String,
    "nik_status": pl.String,
    "kabkota_id": pl.String,
    "birth_date": pl.Date,
    "occupation": pl.String,
    "poverty_decile": pl.Int64,
    "monthly_income": pl.Int64,
    "status": pl.String,
    "coverage": pl.String,
}
HOLDING_SCHEMA = {"person_key": pl.String, "programme_name": pl.String}


# --- loading --------------------------------------------------------------------------------


def load_candidates(workers: QuerySet[Worker] | None = None) -> pl.DataFrame:
    """Every proposal with its coverage status, in one query (LEFT JOIN on coverage).

    On PostgreSQL the rows come as CSV from ``COPY (query) TO STDOUT`` straight into Polars:
    2M workers in seconds, where the ORM's row tuples took 23 s. Other databases go through
    ``values_list``.
    """
    queryset = (workers if workers is not None else Worker.objects.all()).order_by()
    fields = [
        "id", "nik", "nik_status", "kabkota_id", "birth_date", "occupation",
        "poverty_decile", "monthly_income", "status", "coverage__status",
    ]  # fmt: skip
    rows = queryset.values_list(*fields)
    if connection.vendor == "postgresql":
        return _copy_frame(rows, CANDIDATE_SCHEMA)
    return pl.DataFrame(
        list(rows.iterator(chunk_size=50_000)), schema=CANDIDATE_SCHEMA, orient="row"
    )


def _copy_frame(queryset: QuerySet, schema: Mapping[str, Any]) -> pl.DataFrame:
    """``queryset``'s rows (columns in ``schema``'s order) through PostgreSQL's CSV COPY."""
    sql, params = queryset.query.sql_with_params()
    buffer = io.BytesIO()
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        for block in copy:
            buffer.write(block)
    buffer.seek(0)
    return pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema=schema)


def holdings_frame(rows: Iterable[tuple[str, str]]) -> pl.DataFrame:
    """(person_key, programme name) of people holding a place elsewhere; one row per person."""
    frame = pl.DataFrame(list(rows), schema=HOLDING_SCHEMA, orient="row")
    return frame.unique("person_key", keep="first", maintain_order=True)


# --- rules ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """What a selection needs to know about a programme (or a scenario of it)."""

    seed: int
    as_of: dt.date
    capacity: int
    min_age: int = 18
    max_age: int = 65
    targets: frozenset[str] = frozenset()
    occupations: frozenset[str] = frozenset()
    max_poverty_decile: int | None = None
    max_income: int | None = None
    priorities: tuple[str, ...] = DEFAULT_PRIORITIES
    priority_occupations: frozenset[str] = frozenset()
    manual_quotas: Mapping[str, int] | None = None
    region_names: Mapping[str, str] = field(default_factory=dict)

    def name(self, code: str) -> str:
        return self.region_names.get(code, code)


@dataclass(frozen=True)
class Selection:
    """The outcome: one row per candidate, the quota table, and counts of reasons."""

    frame: pl.DataFrame  # RESULT_COLUMNS: one row per candidate
    quotas: pl.DataFrame  # kabkota_id, eligible, quota, selected
    rules: Rules
    held: pl.DataFrame  # HOLDING_SCHEMA: who is funded elsewhere (for the reason's programme)

    @property
    def capacity(self) -> int:
        return self.rules.capacity

    def with_reasons(self, rows: pl.DataFrame) -> pl.DataFrame:
        """``rows`` (a slice of :attr:`frame`) with their ``reason`` in the active language."""
        named = rows.join(
            self.held.rename({"programme_name": "held_by"}),
            on="person_key",
            how="left",
            maintain_order="left",
        )
        texts = [reason(row, self.rules) for row in named.iter_rows(named=True)]
        return rows.with_columns(pl.Series("reason", texts, pl.String))

    def of_worker(self, worker_id: int) -> dict[str, object] | None:
        rows = self.with_reasons(self.frame.filter(pl.col("worker_id") == worker_id))
        return rows.row(0, named=True) if rows.height else None

    @property
    def selected(self) -> pl.DataFrame:
        return self.frame.filter(pl.col("selected")).sort("kabkota_id", "rank")

    @property
    def selected_count(self) -> int:
        return int(self.frame["selected"].sum())

    def out_counts(self) -> dict[str, int]:
        counts = self.frame.filter(~pl.col("selected"))["out_code"].value_counts()
        found = dict(zip(counts["out_code"].to_list(), counts["count"].to_list(), strict=True))
        return {code: found[code] for code in OUT_LABELS if code in found}


# --- the pure selection ---------------------------------------------------------------------


def person_keys(frame: pl.DataFrame) -> pl.Expr:
    """The vectorised :func:`lindung.programmes.models.person_key`: valid NIK, else ``w<id>``."""
    valid = (pl.col("nik_status") == NikStatus.VALID.value) & (pl.col("nik").str.len_chars() > 0)
    return (
        pl.when(valid)
        .then(pl.col("nik"))
        .otherwise(pl.lit("w") + pl.col("worker_id").cast(pl.String))
    )


def tie_break(keys: pl.Series, seed: int) -> np.ndarray:
    """A reproducible pseudo-random number per person (SplitMix64 of the key and the seed).

    Arithmetic on the NIK digits, not Python's or Polars' hash: the same person and programme
    give the same number on any machine and library version, and the order of registry rows
    plays no part. ``w<id>`` keys (no valid NIK) are placed above every 16-digit NIK.
    """
    is_row = keys.str.starts_with("w")
    numbers = (
        pl.select(
            pl.when(is_row)
            .then(keys.str.slice(1).cast(pl.UInt64, strict=False) + 10**17)
            .otherwise(keys.cast(pl.UInt64, strict=False))
            .fill_null(0)
        )
        .to_series()
        .to_numpy()
        .astype(np.uint64)
    )
    with np.errstate(over="ignore"):
        z = (
            numbers
            + np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15)
            + np.uint64(0x9E3779B97F4A7C15)
        )
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _age(as_of: dt.date) -> pl.Expr:
    birth = pl.col("birth_date")
    later_in_year = birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day().cast(pl.Int32) > (
        as_of.month * 100 + as_of.day
    )
    return (as_of.year - birth.dt.year().cast(pl.Int32) - later_in_year.cast(pl.Int32)).alias("age")


def _eligibility(rules: Rules, already_in: frozenset[str]) -> list[tuple[pl.Expr, str]]:
    """(condition, out code) in the order they are checked; texts come later (:func:`reason`)."""
    coverage = pl.col("coverage")
    checks: list[tuple[pl.Expr, str]] = [
        (pl.col("status") == WorkerStatus.REJECTED.value, Out.REJECTED),
        (pl.col("status") == WorkerStatus.INACTIVE.value, Out.INACTIVE),
    ]
    if rules.targets:
        checks.append((~pl.col("kabkota_id").is_in(sorted(rules.targets)), Out.OUTSIDE))
    checks += [
        (coverage.is_null(), Out.UNMATCHED),
        (coverage.is_in([s.value for s in COVERED]), Out.COVERED),
        (coverage == CoverageStatus.TINJAUAN.value, Out.REVIEW),
        # BPJS TK checks every NIK against Dukcapil before registering: a place paid for someone
        # without a valid NIK would be rejected and its budget idle until a replacement.
        (pl.col("nik_status") != NikStatus.VALID.value, Out.NIK_UNUSABLE),
        (pl.col("birth_date").is_null(), Out.NO_BIRTH_DATE),
        (pl.col("age") < rules.min_age, Out.TOO_YOUNG),
        (pl.col("age") > rules.max_age, Out.TOO_OLD),
    ]
    if rules.occupations:
        checks.append((~pl.col("occupation").is_in(sorted(rules.occupations)), Out.OCCUPATION))
    if rules.max_poverty_decile is not None:
        decile = pl.col("poverty_decile")
        checks.append((decile.is_null() | (decile > rules.max_poverty_decile), Out.DECILE))
    if rules.max_income is not None:
        income = pl.col("monthly_income")
        checks.append((income.is_null() | (income > rules.max_income), Out.INCOME))
    checks.append((pl.col("_held"), Out.FUNDED))
    if already_in:
        checks.append((pl.col("person_key").is_in(sorted(already_in)), Out.ALREADY_IN))
    return checks


def _first_failing(checks: list[tuple[pl.Expr, str]]) -> pl.Expr:
    code: pl.Expr = pl.lit(None, pl.String)
    for condition, out in reversed(checks):
        code = pl.when(condition.fill_null(False)).then(pl.lit(out)).otherwise(code)
    return code.alias("out_code")


def _sort_keys(rules: Rules) -> tuple[list[str], list[bool]]:
    columns: list[str] = []
    descending: list[bool] = []
    for code in rules.priorities:
        _label, column, desc = PRIORITIES[code]
        if column not in columns:
            columns.append(column)
            descending.append(desc)
    return [*columns, "_tie"], [*descending, False]


def largest_remainder(weights: Mapping[str, int], total: int) -> dict[str, int]:
    """Split ``total`` seats proportionally to ``weights`` (Hamilton), each capped at its weight.

    Seats a capped region cannot use go round again to the regions that still have room, so
    nothing is left unused while anyone eligible remains. Ties in the remainders go to the
    larger weight, then the lower code: deterministic.
    """
    seats = dict.fromkeys(weights, 0)
    left = min(total, sum(weights.values()))
    while left > 0:
        room = {k: weights[k] - seats[k] for k in weights if weights[k] > seats[k]}
        pool = sum(room.values())
        shares = {k: Fraction(left * room[k], pool) for k in room}
        given = {k: int(share) for k, share in shares.items()}
        rest = left - sum(given.values())
        order = sorted(room, key=lambda k: (-(shares[k] - given[k]), -room[k], k))
        for k in order[:rest]:
            given[k] += 1
        for k in room:
            seats[k] += min(given[k], room[k])
        left = min(total, sum(weights.values())) - sum(seats.values())
    return seats


def _quotas(eligible: Mapping[str, int], rules: Rules) -> dict[str, int]:
    if rules.manual_quotas is None:
        return largest_remainder(eligible, rules.capacity)
    manual = {k: min(int(rules.manual_quotas.get(k, 0)), n) for k, n in eligible.items()}
    unused = sum(min(int(q), rules.capacity) for q in rules.manual_quotas.values())
    unused -= sum(manual.values())
    if unused <= 0:
        return manual
    room = {k: eligible[k] - manual[k] for k in eligible}
    extra = largest_remainder(room, unused)
    return {k: manual[k] + extra[k] for k in eligible}


def _occupation_name(code: object) -> str:
    """The occupation's label in the active language, lower case, as it sits inside a sentence."""
    labels = dict(Occupation.choices)
    return str(labels[code]).lower() if code in labels else str(code)


def _priority_facts(row: Mapping[str, object], rules: Rules) -> list[str]:
    facts: list[str] = []
    for code in rules.priorities:
        if code == "desil_terendah":
            d = row["poverty_decile"]
            facts.append(
                gettext("desil %(decile)s") % {"decile": d}
                if d is not None
                else gettext("desil tidak diketahui")
            )
        elif code == "penghasilan_terendah":
            income = row["monthly_income"]
            facts.append(
                gettext("penghasilan %(income)s") % {"income": rupiah(income)}
                if isinstance(income, int)
                else gettext("penghasilan tidak diketahui")
            )
        elif code in {"usia_tertua", "usia_termuda"}:
            facts.append(gettext("usia %(age)s") % {"age": row["age"]})
        elif code == "pekerjaan_prioritas" and row["_occupation_rank"] == 0:
            job = _occupation_name(row["occupation"])
            facts.append(gettext("pekerjaan prioritas (%(job)s)") % {"job": job})
        elif code == "belum_pernah_terdaftar" and row["_lapsed"] == 0:
            facts.append(gettext("belum pernah terdaftar"))
    return list(dict.fromkeys(facts))


def _int(value: object) -> int:
    assert isinstance(value, int), value
    return value


def reason(row: Mapping[str, object], rules: Rules) -> str:
    """The reason of one row of :attr:`Selection.frame`, in or out, in the active language.

    Rendered on demand (a page of rows, the selected people when saved): a million texts that
    nobody reads would cost more than the selection itself. Callers that store the text (a
    beneficiary's reason) render it in Indonesian, the language of the records.
    """
    code = row["out_code"]
    place = rules.name(str(row["kabkota_id"]))
    if code is None:
        facts = _priority_facts(row, rules)
        rank = {"rank": thousands(_int(row["rank"])), "place": place}
        if not facts:
            return gettext("peringkat %(rank)s di %(place)s (undian)") % rank
        return gettext("peringkat %(rank)s di %(place)s: %(facts)s") % {
            **rank,
            "facts": ", ".join(facts),
        }
    if code == Out.COVERED:
        how = _COVERED_AS.get(CoverageStatus(str(row["coverage"])))
        return str(how) if how else gettext("sudah terlindungi")
    if code == Out.TOO_YOUNG:
        return gettext("usia %(age)s di bawah batas %(limit)s") % {
            "age": row["age"],
            "limit": rules.min_age,
        }
    if code == Out.TOO_OLD:
        return gettext("usia %(age)s di atas batas %(limit)s") % {
            "age": row["age"],
            "limit": rules.max_age,
        }
    if code == Out.OCCUPATION:
        job = _occupation_name(row["occupation"])
        return gettext("pekerjaan %(job)s bukan sasaran program") % {"job": job}
    if code == Out.DECILE:
        if row["poverty_decile"] is None:
            return gettext("desil kesejahteraan tidak diketahui")
        return gettext("desil %(decile)s di atas batas %(limit)s") % {
            "decile": row["poverty_decile"],
            "limit": rules.max_poverty_decile,
        }
    if code == Out.INCOME:
        if row["monthly_income"] is None:
            return gettext("penghasilan tidak diketahui")
        return gettext("penghasilan %(income)s di atas batas %(limit)s") % {
            "income": rupiah(_int(row["monthly_income"])),
            "limit": rupiah(rules.max_income or 0),
        }
    if code == Out.FUNDED:
        return gettext("sudah dibiayai program «%(programme)s» yang periodenya tumpang tindih") % {
            "programme": row["held_by"]
        }
    if code == Out.DUPLICATE:
        return gettext("usulan ganda: orang yang sama sudah dihitung lewat usulan #%(kept_by)s") % {
            "kept_by": row["kept_by"]
        }
    if code == Out.QUOTA:
        return gettext("peringkat %(rank)s di %(place)s, di luar kuota %(quota)s") % {
            "rank": thousands(_int(row["rank"])),
            "place": place,
            "quota": thousands(_int(row["quota"])),
        }
    return str(_FIXED_TEXTS[str(code)])


_FIXED_TEXTS = {
    Out.REJECTED: _("usulan ditolak"),
    Out.INACTIVE: _("usulan nonaktif (meninggal/pindah)"),
    Out.OUTSIDE: _("di luar kab/kota sasaran"),
    Out.UNMATCHED: _("belum dicocokkan dengan data BPJS"),
    Out.REVIEW: _("status cakupan masih perlu ditinjau"),
    Out.NIK_UNUSABLE: _("NIK kosong, rusak atau tidak valid: perbaiki NIK di registri dulu"),
    Out.NO_BIRTH_DATE: _("tanggal lahir kosong"),
    Out.ALREADY_IN: _("sudah tercatat di program ini"),
}

#: Columns of :attr:`Selection.frame`.
RESULT_COLUMNS = [
    "worker_id", "person_key", "kabkota_id", "age", "occupation", "poverty_decile",
    "monthly_income", "coverage", "kept_by", "out_code", "rank", "overall_rank",
    "quota", "selected", "_occupation_rank", "_lapsed",
]  # fmt: skip
_DECIDED_COLUMNS = {
    "worker_id", "person_key", "kabkota_id", "age", "occupation", "poverty_decile",
    "monthly_income", "coverage", "out_code", "_occupation_rank", "_lapsed",
}  # fmt: skip


def select(
    candidates: pl.DataFrame,
    rules: Rules,
    *,
    held: pl.DataFrame | None = None,
    already_in: Iterable[str] = (),
) -> Selection:
    """Decide for every candidate: in (with a rank) or out (with a coded reason).

    ``held``: people funded by an overlapping programme (:func:`holdings_frame`);
    ``already_in``: person keys that already have a row in this programme (replacements).
    Reasons as text: :func:`reason` / :meth:`Selection.with_reasons`.

    One lazy pass decides eligibility for everyone; only the eligible (a fraction) are sorted,
    deduplicated and ranked, and their ranks joined back by worker id.
    """
    held = held if held is not None else holdings_frame([])
    decided = (
        candidates.lazy()
        .with_columns(person_keys(candidates).alias("person_key"), _age(rules.as_of))
        .with_columns(
            pl.col("person_key").is_in(held["person_key"].implode()).alias("_held"),
            pl.col("occupation")
            .is_in(sorted(rules.priority_occupations))
            .not_()
            .cast(pl.Int8)
            .alias("_occupation_rank"),
            (pl.col("coverage") == CoverageStatus.NONAKTIF.value)
            .fill_null(False)
            .cast(pl.Int8)
            .alias("_lapsed"),
        )
        .with_columns(_first_failing(_eligibility(rules, frozenset(already_in))))
        .select([c for c in RESULT_COLUMNS if c in _DECIDED_COLUMNS])
        .collect()
    )
    eligible = decided.filter(pl.col("out_code").is_null())
    columns, descending = _sort_keys(rules)
    ranked = eligible.with_columns(
        pl.Series("_tie", tie_break(eligible["person_key"], rules.seed))
    ).sort(columns, descending=descending, nulls_last=True)
    # The same person proposed twice: the best-ranked proposal counts, the others point to it.
    ranked = ranked.with_columns(pl.col("worker_id").first().over("person_key").alias("kept_by"))
    first = pl.col("worker_id") == pl.col("kept_by")
    people = ranked.filter(first)
    counts = people["kabkota_id"].value_counts()
    per_kab = dict(zip(counts["kabkota_id"].to_list(), counts["count"].to_list(), strict=True))
    quotas = _quotas(per_kab, rules)
    quota = pl.col("kabkota_id").replace_strict(quotas, default=0, return_dtype=pl.Int64)
    ranks = pl.concat(
        [
            people.select(
                "worker_id",
                pl.lit(None, pl.Int64).alias("kept_by"),
                (pl.int_range(pl.len()).over("kabkota_id") + 1).cast(pl.Int64).alias("rank"),
                (pl.int_range(pl.len()) + 1).cast(pl.Int64).alias("overall_rank"),
                quota.alias("quota"),
            ),
            ranked.filter(~first).select(
                "worker_id",
                "kept_by",
                *(pl.lit(None, pl.Int64).alias(c) for c in ("rank", "overall_rank", "quota")),
            ),
        ]
    ).with_columns(
        pl.when(pl.col("kept_by").is_not_null())
        .then(pl.lit(Out.DUPLICATE))
        .when(pl.col("rank") > pl.col("quota"))
        .then(pl.lit(Out.QUOTA))
        .alias("_ranked_out"),
        (pl.col("rank") <= pl.col("quota")).alias("selected"),
    )
    result = (
        decided.join(ranks, on="worker_id", how="left", maintain_order="left")
        .with_columns(
            pl.coalesce("out_code", "_ranked_out").alias("out_code"),
            pl.col("selected").fill_null(False),
        )
        .select(RESULT_COLUMNS)
    )
    order = sorted(per_kab)
    table = pl.DataFrame(
        {
            "kabkota_id": order,
            "eligible": [per_kab[k] for k in order],
            "quota": [quotas[k] for k in order],
        },
        schema={"kabkota_id": pl.String, "eligible": pl.Int64, "quota": pl.Int64},
    ).with_columns(pl.min_horizontal("eligible", "quota").alias("selected"))
    return Selection(frame=result, quotas=table, rules=rules, held=held)
