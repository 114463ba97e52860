"""Compliance status of every company, with the figures behind each finding.

One pass over whole tables (no per-company queries): companies, their linked employers
(decision ``otomatis`` or ``diterima``), minimum wages, programme rules and thresholds are read
once, joined in Polars, and written back with one bulk upsert.

Findings (a company can have several; the headline ``status`` is the most serious):

* ``wajib_belum_daftar``: no linked employer (a company reporting 0 employees is not obliged);
* ``pds_tenaga_kerja``: employees reported − registered > max(tolerance %, minimum headcount);
* ``pds_upah``: the registered average wage is below the minimum wage of the kab/kota and year
  (UMK; the UMP when the kab/kota has none), or below the wage of the labour report when there is
  one, beyond the wage tolerance;
* ``pds_program``: programmes its size class requires that none of its employers registers;
* ``patuh``: none of the above.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.compliance.models import (
    LINKED,
    SEVERITY,
    CompanyMatch,
    CompanyStatus,
    ComplianceSettings,
    ComplianceStatus,
    MatchDecision,
    MinimumWage,
    ProgrammeRequirement,
)
from lindung.regions.reference import KALTIM


@dataclass
class StatusResult:
    year: int
    counts: dict[str, int]
    seconds: float


def _rupiah(value: float | int | Decimal | None) -> int | None:
    return None if value is None else round(float(value))


def minimum_wages(year: int) -> dict[str, dict[str, Any]]:
    """Minimum wages per region code ("64" for the UMP, "64.72" for a UMK) that apply in ``year``.

    Figures of ``year`` itself; when there are none yet (new year, not seeded), those of the
    latest earlier year, which the evidence names. A kab/kota without its own UMK that year
    falls back to the UMP of the same year, never to an older UMK.
    """
    latest = (
        MinimumWage.objects.filter(year__lte=year).order_by("-year").values_list("year", flat=True)
    ).first()
    if latest is None:
        return {}
    found: dict[str, dict[str, Any]] = {}
    for mw in MinimumWage.objects.filter(year=latest).select_related("region"):
        found[mw.region_id] = {
            "jenis": "UMP" if mw.region_id == KALTIM else "UMK",
            "tahun": mw.year,
            "besaran": _rupiah(mw.amount),
            "wilayah": mw.region.name,
            "dasar_hukum": mw.legal_basis,
            "sumber": mw.source,
        }
    return found


def _read(sql: str, schema: dict[str, Any], params: list[Any] | None = None) -> pl.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def _only(column: str, ids: list[int] | None) -> tuple[str, list[Any]]:
    if ids is None:
        return "", []
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def company_frame(company_ids: list[int] | None = None) -> pl.DataFrame:
    """One row per company (all, or ``company_ids``) with the sums over its linked employers."""
    where_c, params_c = _only("id", company_ids)
    where_m, params_m = _only("m.company_id", company_ids)
    companies = _read(
        "SELECT id, kabkota_id, size_class, employees_reported, wage_reported "
        "FROM compliance_company WHERE 1 = 1" + where_c,
        {
            "id": pl.Int64,
            "kabkota_id": pl.String,
            "size_class": pl.String,
            "employees_reported": pl.Int64,
            "wage_reported": pl.Int64,
        },
        params_c,
    )
    placeholders = ", ".join(["%s"] * len(LINKED))
    links = _read(
        "SELECT m.company_id, e.npp, e.workforce_registered, e.programmes, e.average_wage "
        "FROM compliance_companymatch m "
        "JOIN compliance_employer e ON e.id = m.employer_id "
        f"WHERE m.decision IN ({placeholders})" + where_m,
        {
            "company_id": pl.Int64,
            "npp": pl.String,
            "workforce_registered": pl.Int64,
            "programmes": pl.String,
            "average_wage": pl.Int64,
        },
        [*(str(d) for d in LINKED), *params_m],
    )
    pending = _read(
        "SELECT DISTINCT company_id FROM compliance_companymatch m WHERE decision = %s" + where_m,
        {"company_id": pl.Int64},
        [str(MatchDecision.REVIEW), *params_m],
    ).with_columns(pl.lit(True).alias("in_review"))
    links = links.with_columns(
        pl.col("programmes")
        .fill_null("")
        .str.to_uppercase()
        .str.split(",")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
        .alias("programme_list")
    )
    sums = links.group_by("company_id").agg(
        pl.col("npp").sort().alias("npps"),
        pl.col("workforce_registered").sum().alias("registered"),
        pl.col("workforce_registered").is_null().all().alias("registered_unknown"),
        # weighted by registered workers; a plain mean when no counts are known
        (
            (pl.col("average_wage") * pl.col("workforce_registered")).sum()
            / pl.col("workforce_registered").filter(pl.col("average_wage").is_not_null()).sum()
        ).alias("wage_weighted"),
        pl.col("average_wage").mean().alias("wage_mean"),
        pl.col("programme_list").explode().drop_nulls().unique().sort().alias("programmes"),
    )
    return (
        companies.join(sums, left_on="id", right_on="company_id", how="left")
        .join(pending, left_on="id", right_on="company_id", how="left")
        .with_columns(
            pl.col("in_review").fill_null(False),
            pl.when(pl.col("wage_weighted").is_finite())
            .then(pl.col("wage_weighted"))
            .otherwise(pl.col("wage_mean"))
            .alias("wage_registered"),
        )
    )


def evaluate(
    frame: pl.DataFrame,
    *,
    wages: dict[str, dict[str, Any]],
    requirements: dict[str, list[str]],
    settings: ComplianceSettings,
) -> list[tuple[int, str, list[dict[str, Any]], dict[str, Any]]]:
    """(company id, headline status, findings, evidence) for every row of :func:`company_frame`."""
    pct = float(settings.workforce_tolerance_pct) / 100
    min_gap = int(settings.workforce_tolerance_min)
    wage_factor = 1 - float(settings.wage_tolerance_pct) / 100
    ump = wages.get(KALTIM)
    out = []
    for row in frame.iter_rows(named=True):
        findings: list[dict[str, Any]] = []
        reported = row["employees_reported"]
        npps = row["npps"]
        evidence: dict[str, Any] = {
            "pekerja_dilaporkan": reported,
            "skala_usaha": row["size_class"] or None,
            "npp": npps or [],
        }
        if not npps:
            obliged = reported is None or reported > 0
            evidence["wajib"] = obliged
            if row["in_review"]:
                evidence["calon_di_tinjauan"] = True
            if obliged:
                findings.append(
                    {
                        "status": ComplianceStatus.UNREGISTERED.value,
                        "keterangan": "Tidak ada pemberi kerja BPJS yang cocok"
                        + (" (ada calon menunggu tinjauan)" if row["in_review"] else ""),
                        "pekerja_dilaporkan": reported,
                    }
                )
        else:
            registered = None if row["registered_unknown"] else row["registered"]
            evidence["pekerja_terdaftar"] = registered
            if reported is not None and registered is not None:
                tolerance = max(min_gap, int(reported * pct))
                gap = reported - registered
                if gap > tolerance:
                    findings.append(
                        {
                            "status": ComplianceStatus.PDS_WORKFORCE.value,
                            "pekerja_dilaporkan": reported,
                            "pekerja_terdaftar": registered,
                            "selisih": gap,
                            "toleransi": tolerance,
                        }
                    )
            wage = _rupiah(row["wage_registered"])
            evidence["upah_terdaftar"] = wage
            benchmark = wages.get(row["kabkota_id"]) or ump
            if benchmark is not None:
                evidence["upah_minimum"] = benchmark
            if wage is not None:
                checks = []
                if benchmark is not None and benchmark["besaran"] is not None:
                    label = f"{benchmark['jenis']} {benchmark['tahun']} {benchmark['wilayah']}"
                    checks.append((label, benchmark["besaran"]))
                if row["wage_reported"]:
                    checks.append(("upah laporan WLKP", row["wage_reported"]))
                for label, amount in checks:
                    if wage < amount * wage_factor:
                        findings.append(
                            {
                                "status": ComplianceStatus.PDS_WAGE.value,
                                "upah_terdaftar": wage,
                                "acuan": label,
                                "upah_acuan": amount,
                                "selisih": amount - wage,
                            }
                        )
            required = requirements.get(row["size_class"] or "", [])
            have = row["programmes"] or []
            evidence["program_terdaftar"] = have
            evidence["program_wajib"] = required
            missing = [p for p in required if p not in have]
            if missing:
                findings.append(
                    {
                        "status": ComplianceStatus.PDS_PROGRAMME.value,
                        "program_wajib": required,
                        "program_terdaftar": have,
                        "program_kurang": missing,
                    }
                )
        status = max(
            (f["status"] for f in findings),
            key=SEVERITY.__getitem__,
            default=ComplianceStatus.COMPLIANT.value,
        )
        out.append((row["id"], status, findings, evidence))
    return out


def recompute_statuses(
    year: int | None = None, *, company_ids: list[int] | None = None, progress: Any = None
) -> StatusResult:
    """Recompute :class:`CompanyStatus` for every company, or ``company_ids`` (bulk upsert)."""
    started = time.perf_counter()
    year = year or timezone.localdate().year
    settings = ComplianceSettings.current()
    wages = minimum_wages(year)
    requirements = {r.size_class: r.programme_list for r in ProgrammeRequirement.objects.all()}
    frame = company_frame(company_ids)
    now = timezone.now()
    evaluated = evaluate(frame, wages=wages, requirements=requirements, settings=settings)
    counts: dict[str, int] = {s.value: 0 for s in ComplianceStatus}
    rows = []
    for company_id, status, findings, evidence in evaluated:
        counts[status] += 1
        evidence["tahun_acuan"] = year
        rows.append(
            CompanyStatus(
                company_id=company_id,
                status=status,
                findings=findings,
                evidence=evidence,
                computed_at=now,
            )
        )
    batch = 2000
    with transaction.atomic():
        for start in range(0, len(rows), batch):
            CompanyStatus.objects.bulk_create(
                rows[start : start + batch],
                update_conflicts=True,
                unique_fields=["company"],
                update_fields=["status", "findings", "evidence", "computed_at"],
            )
            if progress is not None:
                progress.update(min(batch, len(rows) - start))
        if company_ids is None:  # a single company follows a decision, audited itself
            record(
                AuditEntry.Action.UPDATE,
                object_type="compliance.companystatus",
                detail={"status_kepatuhan": counts, "tahun": year},
            )
    return StatusResult(year=year, counts=counts, seconds=time.perf_counter() - started)


def linked_employers(company_id: int) -> Any:
    """Matches of one company that link it to an employer, best first."""
    return (
        CompanyMatch.objects.filter(company_id=company_id, decision__in=LINKED)
        .select_related("employer", "employer__kabkota")
        .order_by("-score")
    )
