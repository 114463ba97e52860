"""Company endpoints of the REST API (read-only): compliance status with the evidence behind it.

Lists and counts come from the same service functions as the pages, scoped to the token's
kab/kota; the evidence is returned as the raw figures (numbers, codes), not the page's labels.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from lindung.accounts.access import Capability, get_scoped_or_404, require
from lindung.api.fields import RowId, one_of
from lindung.api.pagination import keyset_page
from lindung.compliance import services
from lindung.compliance.models import Company, CompanyStatus, ComplianceStatus, SizeClass

router = Router(tags=["companies"])

_STATUS_FILTER = ["", "tidak_patuh", *ComplianceStatus.values]


class ComplianceOut(Schema):
    status: ComplianceStatus
    status_label: str
    findings: list[dict[str, Any]] = Field(
        description="Setiap temuan (status dan angka-angkanya), yang paling berat dulu."
    )
    evidence: dict[str, Any] = Field(description="Angka pembanding: pekerja, upah, program, NPP.")
    computed_at: dt.datetime

    @staticmethod
    def resolve_status_label(obj: CompanyStatus) -> str:
        return str(obj.get_status_display())


class CompanyOut(Schema):
    id: int
    name: str
    nib: str
    npwp: str
    address: str
    kabkota: str
    kbli: str
    size_class: str = Field(json_schema_extra=one_of(["", *SizeClass.values]))
    employees_reported: int | None
    wage_reported: int | None = Field(description="Rata-rata upah dilaporkan WLKP (Rp).")
    compliance: ComplianceOut | None = Field(description="Kosong bila belum pernah dihitung.")

    @staticmethod
    def resolve_kabkota(obj: Company) -> str:
        return obj.kabkota_id

    @staticmethod
    def resolve_compliance(obj: Company) -> CompanyStatus | None:
        return getattr(obj, "compliance", None)


class CompanyPageOut(Schema):
    items: list[CompanyOut]
    next_after: int | None


class CompanyQuery(Schema):
    kabkota: Annotated[str, Field(pattern=r"^(\d{2}\.\d{2})?$")] = ""
    status: str = Field("", json_schema_extra=one_of(_STATUS_FILTER))
    q: str = Field("", max_length=100, description="Bagian nama perusahaan.")
    after: RowId | None = None


class StatusCountsOut(Schema):
    kabkota: str = Field(description="Kode kab/kota; kosong pada baris jumlah.")
    name: str
    counts: dict[str, int] = Field(description="Jumlah perusahaan per status kepatuhan.")
    total: int
    not_compliant: int


class CompanySummaryOut(Schema):
    rows: list[StatusCountsOut]
    total: StatusCountsOut


def _counts(row: services.CountRow) -> dict[str, Any]:
    return {
        "kabkota": row.code,
        "name": row.name,
        "counts": dict(row.cells),
        "total": row.total,
        "not_compliant": row.not_compliant,
    }


@router.get(
    "/summary", response=CompanySummaryOut, summary="Jumlah perusahaan per status per kab/kota"
)
def company_summary(request: HttpRequest) -> dict[str, Any]:
    require(request.user, Capability.VIEW_COMPLIANCE)
    rows, total = services.status_counts(request.user)
    return {"rows": [_counts(r) for r in rows], "total": _counts(total)}


@router.get("/", response=CompanyPageOut, summary="Daftar perusahaan (keyset, 50 per halaman)")
def list_companies(request: HttpRequest, params: Query[CompanyQuery]) -> dict[str, Any]:
    require(request.user, Capability.VIEW_COMPLIANCE)
    companies = services.company_queryset(
        request.user, kabkota=params.kabkota, status=params.status, q=params.q
    )
    return keyset_page(companies, params.after)


@router.get("/{company_id}", response=CompanyOut, summary="Satu perusahaan dengan buktinya")
def get_company(request: HttpRequest, company_id: RowId) -> Company:
    require(request.user, Capability.VIEW_COMPLIANCE)
    return get_scoped_or_404(
        request.user, Company.objects.select_related("compliance"), pk=company_id
    )
