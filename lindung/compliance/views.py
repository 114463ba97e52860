"""Compliance pages: companies with their status, one company's evidence, the review queue."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from lindung.accounts.access import (
    Capability,
    capability_required,
    current_user,
    get_scoped_or_404,
    region_code,
)
from lindung.compliance import services
from lindung.compliance.models import (
    LINKED,
    Company,
    CompanyMatch,
    ComplianceStatus,
)
from lindung.regions.models import Region

PAGE_SIZE = 50


def _kabkota_choices(request: HttpRequest) -> object:
    fixed = region_code(request.user)
    kabkota = Region.objects.filter(level=Region.Level.KABKOTA, code__startswith="64.")
    return kabkota.filter(code=fixed) if fixed else kabkota


@capability_required(Capability.VIEW_COMPLIANCE)
def company_list(request: HttpRequest) -> HttpResponse:
    kabkota = request.GET.get("kabkota", "")
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    companies = services.company_queryset(request.user, kabkota=kabkota, status=status, q=q)
    page = Paginator(companies, PAGE_SIZE).get_page(request.GET.get("page"))
    rows, total = services.status_counts(request.user)
    query = {k: v for k, v in (("kabkota", kabkota), ("status", status), ("q", q)) if v}
    context = {
        "page": page,
        "count_rows": rows,
        "count_total": total,
        "statuses": ComplianceStatus.choices,
        "kabkota_choices": _kabkota_choices(request),
        "filter": {"kabkota": kabkota, "status": status, "q": q},
        "query": query,
        "review_count": services.review_queryset(request.user).count(),
    }
    partial = request.headers.get("HX-Target") == "results"
    template = "compliance/_company_rows.html" if partial else "compliance/company_list.html"
    return render(request, template, context)


@capability_required(Capability.VIEW_COMPLIANCE)
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_scoped_or_404(
        request.user, Company.objects.select_related("kabkota", "compliance"), pk=pk
    )
    matches = company.matches.select_related("employer", "employer__kabkota", "decided_by")
    status = getattr(company, "compliance", None)
    return render(
        request,
        "compliance/company_detail.html",
        {
            "company": company,
            "status": status,
            **services.describe(status),
            "linked": [m for m in matches if m.decision in LINKED],
            "others": [m for m in matches if m.decision not in LINKED],
        },
    )


@capability_required(Capability.VIEW_COMPLIANCE)
def review_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(services.review_queryset(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "compliance/review.html", {"page": page})


@require_POST
@capability_required(Capability.MANAGE_COMPLIANCE)
def decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    if decision not in ("terima", "tolak"):
        raise Http404
    match = get_scoped_or_404(
        request.user,
        CompanyMatch.objects.select_related("company", "employer", "company__kabkota"),
        pk=pk,
    )
    services.decide(current_user(request), match, accept=decision == "terima")
    return render(request, "compliance/_review_row.html", {"m": match, "decided": True})
