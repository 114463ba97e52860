"""Report endpoints of the REST API: coverage figures per region, and the archive of reports.

Figures come from the dashboard's aggregates (the pre-computed summary tables, refreshed after
every matching run and import), so a system reads exactly what leaders see. Archived reports
download through the documents service, which writes the audit entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from lindung.accounts.access import Capability, can, get_scoped_or_404, require
from lindung.api.errors import ErrorOut
from lindung.api.fields import RowId
from lindung.api.pagination import keyset_page
from lindung.reporting import aggregates
from lindung.reporting.documents import services as documents
from lindung.reporting.documents.models import ReportFile, ReportKind

router = Router(tags=["reports"])


class CountsOut(Schema):
    total: int
    terlindungi: int = Field(description="PU + BPU mandiri + BPU dibayar.")
    belum_terlindungi: int = Field(description="Belum + nonaktif.")
    by_status: dict[str, int] = Field(
        description="Per status cakupan: " + ", ".join(aggregates.COVERAGE_VALUES) + "."
    )


class RegionFiguresOut(Schema):
    code: str
    name: str
    level: str
    counts: CountsOut


class CoverageReportOut(Schema):
    region: RegionFiguresOut
    children: list[RegionFiguresOut] = Field(
        description="Wilayah di bawahnya, yang paling banyak belum terlindungi dulu."
    )


class RegionQuery(Schema):
    region: str = Field(
        "",
        pattern=r"^(\d{2}(\.\d{2}){0,2}(\.\d{4})?)?$",
        description="Kode wilayah (64, 64.72, 64.72.01, 64.72.01.1001); kosong: cakupan Anda.",
    )


def _figures(row: aggregates.RegionRow) -> dict[str, Any]:
    counts = row.counts
    return {
        "code": row.region.code,
        "name": row.region.name,
        "level": row.region.level,
        "counts": {
            "total": counts.total,
            "terlindungi": counts.covered,
            "belum_terlindungi": counts.uncovered,
            "by_status": {value: counts.get(value) for value in aggregates.COVERAGE_VALUES},
        },
    }


@router.get(
    "/coverage",
    response={200: CoverageReportOut, 404: ErrorOut},
    summary="Cakupan satu wilayah dan wilayah di bawahnya (angka dasbor)",
)
def coverage_report(request: HttpRequest, params: Query[RegionQuery]) -> dict[str, Any]:
    require(request.user, Capability.VIEW_REPORTS)
    overview = aggregates.coverage_overview(request.user, params.region or None)
    return {
        "region": _figures(overview.region),
        "children": [_figures(child) for child in overview.children],
    }


class ReportOut(Schema):
    id: int
    kind: ReportKind
    title: str
    month: dt.date | None
    programme_id: int | None
    kabkota: str | None = Field(description="Kosong: laporan seluruh provinsi.")
    pages: int
    scheduled: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_kabkota(obj: ReportFile) -> str | None:
        return obj.kabkota_id


class ReportPageOut(Schema):
    items: list[ReportOut]
    next_after: int | None


class ReportQuery(Schema):
    kind: ReportKind | None = None
    after: RowId | None = None


def _reports(request: HttpRequest) -> QuerySet[ReportFile]:
    """The archive in the user's scope; budget briefs only for roles that see programmes."""
    require(request.user, Capability.VIEW_REPORTS)
    reports = documents.reports_for(request.user)
    if not can(request.user, Capability.VIEW_PROGRAMMES):
        reports = reports.exclude(kind=ReportKind.BUDGET)
    return reports


@router.get("/", response=ReportPageOut, summary="Arsip laporan (keyset, 50 per halaman)")
def list_reports(request: HttpRequest, params: Query[ReportQuery]) -> dict[str, Any]:
    reports = _reports(request)
    if params.kind:
        reports = reports.filter(kind=params.kind)
    return keyset_page(reports, params.after)


_BINARY = {"schema": {"type": "string", "format": "binary"}}
_FILES = {content_type: _BINARY for content_type in documents.CONTENT_TYPES.values()}


@router.get(
    "/{report_id}/{fmt}",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "Berkas laporan (PDF atau XLSX).",
                "content": {
                    content_type: _BINARY for content_type in documents.CONTENT_TYPES.values()
                },
            }
        }
    },
    summary="Unduh satu laporan sebagai PDF atau XLSX (dicatat di log audit)",
)
def download_report(
    request: HttpRequest, report_id: RowId, fmt: Literal["pdf", "xlsx"]
) -> FileResponse:
    report = get_scoped_or_404(request.user, _reports(request), pk=report_id)
    if not (report.pdf if fmt == "pdf" else report.xlsx):
        raise Http404
    return documents.download(report, fmt)
