"""Match companies (licensing, labour reports) to employers registered with BPJS Ketenagakerjaan.

Everything is set-based: two table reads, joins in DuckDB, one delete and one bulk insert.

1. **Exact keys**: the same NIB, else the same NPWP (branches sharing an NPWP: the employers of
   the company's own kab/kota win when there are any). Score 1, decided automatically.
2. **Names** for the companies left: blocked on kab/kota and on the two *rarest* words of the
   company's name key (rare among the employers of that kab/kota), so common words ("jaya",
   "abadi") never blow up the candidate pairs. Name similarity is half Jaro–Winkler (the larger
   of the key as written and its words sorted, for word order) and half the share of words
   that find a near-identical word (JW ≥ 0.9) on the other side; address similarity is
   Jaro–Winkler of the normalised addresses. ``score = 0.75·name + 0.25·address`` (0.92·name
   without an address on either side).
   A pair is decided automatically when its score reaches ``auto_match_score``, its name
   similarity is at least 0.9, it is clearly ahead (by 0.03) of the company's next candidate,
   and the employer has no better company. Otherwise pairs from ``review_min_score`` up go to
   the review queue (the best, plus close runners-up, at most three per company).
3. **Namesakes elsewhere**: a company with no candidate in its kab/kota whose name key equals an
   employer's in another (or no) kab/kota is proposed for review, never decided automatically.

Decisions of people (``diterima``/``ditolak``) are never touched: a rejected pair is not
proposed again, and a company with an accepted pair is left out of automatic matching.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl
from django.db import connection, transaction

from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.compliance.models import (
    DECIDED,
    CompanyMatch,
    ComplianceSettings,
    MatchDecision,
)

#: Margin by which an automatic match must lead the company's next candidate.
MARGIN = 0.03
#: Name similarity below which a pair is never decided automatically.
AUTO_MIN_NAME = 0.9
#: Jaro–Winkler (name as written or words sorted) a pair needs before its words are compared.
PREFILTER = 0.8
#: Candidates per company kept for review.
REVIEW_PER_COMPANY = 3

_BUSINESS_SCHEMA = {
    "id": pl.Int64,
    "name_key": pl.String,
    "nib": pl.String,
    "npwp": pl.String,
    "address": pl.String,
    "kabkota_id": pl.String,
}


@dataclass
class MatchResult:
    automatic: int = 0
    review: int = 0
    kept_decisions: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "otomatis": self.automatic,
            "perlu_tinjauan": self.review,
            "keputusan_tetap": self.kept_decisions,
            "detik": round(self.seconds, 2),
        }


def _read(sql: str, schema: dict[str, Any]) -> pl.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def _address_key(column: str) -> pl.Expr:
    """Lower-case words of an address, with the usual abbreviations spelt one way."""
    return (
        pl.col(column)
        .fill_null("")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]+", " ")
        .str.replace_all(r"\b(?:jalan|jln|jl)\b", "jl")
        .str.replace_all(r"\b(?:nomor|nmr|no)\b", "no")
        .str.replace_all(r"\b(?:kelurahan|kel|desa|ds)\b", "kel")
        .str.replace_all(r"\b(?:kecamatan|kec)\b", "kec")
        .str.replace_all(" +", " ")
        .str.strip_chars()
        .alias(column)
    )


def _prepare(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col("kabkota_id").fill_null(""),
        pl.col("nib").fill_null(""),
        pl.col("npwp").fill_null(""),
        _address_key("address"),
    )


def candidate_pairs(
    companies: pl.DataFrame,
    employers: pl.DataFrame,
    decisions: pl.DataFrame,
    *,
    auto_score: float,
    review_score: float,
) -> pl.DataFrame:
    """Pairs to store: company_id, employer_id, score, reason, method, decision.

    ``decisions`` holds the pairs people decided (company_id, employer_id, decision). Pure: no
    database, so that the benchmark and tests can call it on frames.
    """
    con = duckdb.connect()
    con.register("c_in", _prepare(companies))
    con.register("e_in", _prepare(employers))
    con.register("d", decisions)
    con.execute(f"SET threads TO {max(1, min(4, _cpus()))}")
    _run(
        con,
        """
        CREATE TEMP TABLE rejected AS
            SELECT company_id, employer_id FROM d WHERE decision = 'ditolak';
        -- companies with an accepted pair: a person settled them
        CREATE TEMP TABLE c AS SELECT * FROM c_in
            WHERE id NOT IN (SELECT company_id FROM d WHERE decision = 'diterima');
        CREATE TEMP TABLE e AS SELECT * FROM e_in;

        CREATE TEMP TABLE nib_pairs AS
            SELECT c.id AS company_id, e.id AS employer_id, 1.0::DOUBLE AS score,
                   'NIB sama' || CASE WHEN c.kabkota_id = e.kabkota_id THEN ', kab/kota sama'
                                      ELSE ', kab/kota berbeda' END AS reason,
                   'nib' AS method
            FROM c JOIN e ON c.nib <> '' AND e.nib = c.nib
            WHERE NOT EXISTS (SELECT 1 FROM rejected r
                              WHERE r.company_id = c.id AND r.employer_id = e.id);

        CREATE TEMP TABLE npwp_all AS
            SELECT c.id AS company_id, e.id AS employer_id,
                   (c.kabkota_id = e.kabkota_id) AS same_kab
            FROM c JOIN e ON c.npwp <> '' AND e.npwp = c.npwp
            WHERE c.id NOT IN (SELECT company_id FROM nib_pairs)
              AND NOT EXISTS (SELECT 1 FROM rejected r
                              WHERE r.company_id = c.id AND r.employer_id = e.id);
        CREATE TEMP TABLE npwp_pairs AS
            SELECT company_id, employer_id, 1.0::DOUBLE AS score,
                   'NPWP sama' || CASE WHEN same_kab THEN ', kab/kota sama'
                                       ELSE ', kab/kota berbeda' END AS reason,
                   'npwp' AS method
            FROM (SELECT *, bool_or(same_kab) OVER (PARTITION BY company_id) AS any_same
                  FROM npwp_all)
            WHERE same_kab OR NOT any_same;

        CREATE TEMP TABLE exact AS
            SELECT * FROM nib_pairs UNION ALL SELECT * FROM npwp_pairs;

        -- name matching: the companies and employers exact keys did not settle
        CREATE TEMP TABLE cn AS
            SELECT id, name_key, address, kabkota_id,
                   string_split(name_key, ' ') AS toks,
                   array_to_string(list_sort(string_split(name_key, ' ')), ' ') AS sorted_key,
                   regexp_extract_all(address, '[0-9]+') AS nums,
                   trim(regexp_replace(address, '[0-9]+', '', 'g')) AS street
            FROM c WHERE id NOT IN (SELECT company_id FROM exact) AND name_key <> '';
        CREATE TEMP TABLE en AS
            SELECT id, name_key, address, kabkota_id,
                   string_split(name_key, ' ') AS toks,
                   array_to_string(list_sort(string_split(name_key, ' ')), ' ') AS sorted_key,
                   regexp_extract_all(address, '[0-9]+') AS nums,
                   trim(regexp_replace(address, '[0-9]+', '', 'g')) AS street
            FROM e WHERE id NOT IN (SELECT employer_id FROM exact) AND name_key <> '';

        CREATE TEMP TABLE e_tok AS
            SELECT DISTINCT id, kabkota_id, unnest(toks) AS tok FROM en WHERE kabkota_id <> '';
        CREATE TEMP TABLE df AS
            SELECT kabkota_id, tok, count(*) AS n FROM e_tok GROUP BY ALL;
        CREATE TEMP TABLE c_tok AS
            SELECT id, kabkota_id, tok FROM (
                SELECT t.id, t.kabkota_id, t.tok,
                       row_number() OVER (PARTITION BY t.id ORDER BY df.n, t.tok) AS rk
                FROM (SELECT DISTINCT id, kabkota_id, unnest(toks) AS tok FROM cn) t
                JOIN df USING (kabkota_id, tok)
                WHERE length(t.tok) >= 2
            ) WHERE rk <= 2;
        CREATE TEMP TABLE blocked AS
            SELECT DISTINCT ct.id AS company_id, et.id AS employer_id
            FROM c_tok ct JOIN e_tok et USING (kabkota_id, tok);

        -- cheap Jaro-Winkler first, word overlap (nested loops) only for plausible pairs
        CREATE TEMP TABLE pre AS
            SELECT b.company_id, b.employer_id,
                   jaro_winkler_similarity(x.name_key, y.name_key) AS jw_plain,
                   greatest(jw_plain, jaro_winkler_similarity(x.sorted_key, y.sorted_key)) AS jw
            FROM blocked b
            JOIN cn x ON x.id = b.company_id
            JOIN en y ON y.id = b.employer_id
            WHERE NOT EXISTS (SELECT 1 FROM rejected r
                              WHERE r.company_id = b.company_id AND r.employer_id = b.employer_id);
        CREATE TEMP TABLE scored AS
            SELECT company_id, employer_id, name_sim, addr_sim,
                   CASE WHEN addr_sim IS NULL THEN 0.92 * name_sim
                        ELSE 0.75 * name_sim + 0.25 * addr_sim END AS score
            FROM (
                SELECT p.company_id, p.employer_id,
                    0.45 * p.jw + 0.05 * p.jw_plain
                    + 0.5 * (
                        len(list_filter(x.toks, lambda t: list_max(list_transform(
                            y.toks, lambda u: jaro_winkler_similarity(t, u))) >= 0.9))
                        + len(list_filter(y.toks, lambda t: list_max(list_transform(
                            x.toks, lambda u: jaro_winkler_similarity(t, u))) >= 0.9))
                      ) / (len(x.toks) + len(y.toks)) AS name_sim,
                    CASE WHEN x.address = '' OR y.address = '' THEN NULL
                         -- house numbers that differ weigh against "the same street"
                         WHEN len(x.nums) > 0 AND len(y.nums) > 0 AND x.nums <> y.nums
                         THEN 0.6 * jaro_winkler_similarity(x.street, y.street)
                         ELSE jaro_winkler_similarity(x.street, y.street) END AS addr_sim
                FROM pre p
                JOIN cn x ON x.id = p.company_id
                JOIN en y ON y.id = p.employer_id
                WHERE p.jw >= $prefilter
            )
            WHERE name_sim >= 0.6;

        CREATE TEMP TABLE ranked AS
            SELECT *,
                row_number() OVER (PARTITION BY company_id ORDER BY score DESC, employer_id) AS rk,
                coalesce(lead(score) OVER (PARTITION BY company_id
                                           ORDER BY score DESC, employer_id), 0) AS next_score,
                max(score) OVER (PARTITION BY company_id) AS best_score,
                row_number() OVER (PARTITION BY employer_id
                                   ORDER BY score DESC, company_id) AS employer_rk,
                coalesce(lead(score) OVER (PARTITION BY employer_id
                                           ORDER BY score DESC, company_id), 0) AS employer_next
            FROM scored;
        """,
    )
    names = con.sql(
        """
        SELECT company_id, employer_id, score,
            CASE WHEN name_sim >= 0.9995 THEN 'nama sama'
                 ELSE 'nama mirip ' || replace(printf('%.2f', name_sim), '.', ',') END
            || ', kab/kota sama, '
            || CASE WHEN addr_sim IS NULL THEN 'alamat tidak tersedia'
                    WHEN addr_sim >= 0.9995 THEN 'alamat sama'
                    ELSE 'alamat mirip ' || replace(printf('%.2f', addr_sim), '.', ',') END
            AS reason,
            'nama' AS method,
            CASE WHEN rk = 1 AND score >= $auto AND name_sim >= $auto_name
                      AND score - next_score >= $margin
                      AND employer_rk = 1 AND score - employer_next >= $margin
                 THEN 'otomatis' ELSE 'perlu_tinjauan' END AS decision
        FROM ranked
        WHERE score >= $review AND rk <= $per_company
          AND (rk = 1 OR score >= best_score - $margin)
        """,
        params={
            "auto": auto_score,
            "auto_name": AUTO_MIN_NAME,
            "margin": MARGIN,
            "review": review_score,
            "per_company": REVIEW_PER_COMPANY,
        },
    ).pl()
    # an employer decided automatically for one company is not proposed for another
    auto_employers = names.filter(pl.col("decision") == "otomatis")["employer_id"]
    names = names.filter(
        (pl.col("decision") == "otomatis") | ~pl.col("employer_id").is_in(auto_employers.implode())
    )
    con.register("names", names)
    elsewhere = con.sql(
        """
        SELECT x.id AS company_id, y.id AS employer_id, $score::DOUBLE AS score,
            'nama sama, ' || CASE WHEN y.kabkota_id = '' THEN 'kab/kota pemberi kerja kosong'
                                  ELSE 'kab/kota berbeda' END AS reason,
            'nama' AS method, 'perlu_tinjauan' AS decision
        FROM cn x JOIN en y ON y.name_key = x.name_key AND y.kabkota_id <> x.kabkota_id
        WHERE x.id NOT IN (SELECT company_id FROM names)
          AND NOT EXISTS (SELECT 1 FROM rejected r
                          WHERE r.company_id = x.id AND r.employer_id = y.id)
        """,
        params={"score": review_score},
    ).pl()
    exact = con.sql("SELECT *, 'otomatis' AS decision FROM exact").pl()
    con.close()
    frames = [f for f in (exact, names, elsewhere) if f.height]
    if not frames:
        return pl.DataFrame(
            schema={
                "company_id": pl.Int64,
                "employer_id": pl.Int64,
                "score": pl.Float64,
                "reason": pl.String,
                "method": pl.String,
                "decision": pl.String,
            }
        )
    return pl.concat(
        [f.select("company_id", "employer_id", "score", "reason", "method", "decision")
         for f in frames],
        how="vertical_relaxed",
    ).with_columns(pl.col("score").round(4))  # fmt: skip


#: Seconds per statement of the last :func:`candidate_pairs` (for benchmarks).
last_timings: dict[str, float] = {}


def _run(con: duckdb.DuckDBPyConnection, script: str) -> None:
    """Run ``;``-separated statements one by one, timing each (keyed by the table created)."""
    last_timings.clear()
    for statement in script.split(";"):
        if not statement.strip():
            continue
        started = time.perf_counter()
        con.execute(statement.replace("$prefilter", str(PREFILTER)))
        created = re.search(r"CREATE TEMP TABLE (\w+)", statement)
        name = created.group(1) if created else statement.split()[0]
        last_timings[name] = round(time.perf_counter() - started, 3)


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


def match_companies(*, progress: Any = None) -> MatchResult:
    """Recompute automatic matches and the review queue; people's decisions stay."""
    started = time.perf_counter()
    result = MatchResult()
    settings = ComplianceSettings.current()
    companies = _read(
        "SELECT id, name_key, nib, npwp, address, kabkota_id FROM compliance_company",
        _BUSINESS_SCHEMA,
    )
    employers = _read(
        "SELECT id, name_key, nib, npwp, address, kabkota_id FROM compliance_employer",
        _BUSINESS_SCHEMA,
    )
    decided = list(
        CompanyMatch.objects.filter(decision__in=DECIDED).values_list(
            "company_id", "employer_id", "decision"
        )
    )
    decisions = pl.DataFrame(
        decided,
        schema={"company_id": pl.Int64, "employer_id": pl.Int64, "decision": pl.String},
        orient="row",
    )
    result.kept_decisions = decisions.height
    result.timings["baca"] = time.perf_counter() - started
    pairs = candidate_pairs(
        companies,
        employers,
        decisions,
        auto_score=float(settings.auto_match_score),
        review_score=float(settings.review_min_score),
    )
    result.timings["cocokkan"] = time.perf_counter() - started - result.timings["baca"]
    if progress is not None:
        progress.update(1)
    write_start = time.perf_counter()
    rows = [
        CompanyMatch(
            company_id=r["company_id"],
            employer_id=r["employer_id"],
            score=r["score"],
            reason=r["reason"][:255],
            method=r["method"],
            decision=r["decision"],
        )
        for r in pairs.iter_rows(named=True)
    ]
    with transaction.atomic():
        CompanyMatch.objects.filter(
            decision__in=(MatchDecision.AUTO, MatchDecision.REVIEW)
        )._raw_delete(CompanyMatch.objects.db)  # no signals, no cascades: plain rows
        CompanyMatch.objects.bulk_create(rows, batch_size=2000)
        result.automatic = int((pairs["decision"] == MatchDecision.AUTO).sum())
        result.review = int((pairs["decision"] == MatchDecision.REVIEW).sum())
        result.seconds = time.perf_counter() - started
        record(
            AuditEntry.Action.UPDATE,
            object_type="compliance.companymatch",
            detail={"pencocokan": result.as_dict()},
        )
    result.timings["tulis"] = time.perf_counter() - write_start
    if progress is not None:
        progress.update(1)
    return result
