"""Compliance pages: companies with their status, one company's evidence and case, the review
queue, the follow-up list, responses, and letter batches started from these pages."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lindung.accounts.access import (
    Capability,
    capability_required,
    current_user,
    get_scoped_or_404,
    kabkota_choices,
    region_code,
)
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.compliance import cases_service, services
from lindung.compliance.cases import Case, CaseResponse, Stage
from lindung.compliance.forms import CaseResponseForm
from lindung.compliance.models import (
    LINKED,
    Company,
    CompanyMatch,
    ComplianceStatus,
)
from lindung.letters import jobs as letter_jobs
from lindung.letters import services as letter_services
from lindung.letters import sources as letter_sources
from lindung.letters.data import PlaceholderError
from lindung.letters.models import LetterKind, LetterTemplate

PAGE_SIZE = 50


def _kabkota_param(request: HttpRequest) -> str:
    """The kab/kota asked for; an operator always gets their own (another one would show
    "0 perusahaan" under their kab/kota's name)."""
    return region_code(request.user) or request.GET.get("kabkota", "")


@capability_required(Capability.VIEW_COMPLIANCE)
def company_list(request: HttpRequest) -> HttpResponse:
    kabkota = _kabkota_param(request)
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
        "kabkota_choices": kabkota_choices(request.user),
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
            **_case_context(company),
        },
    )


def _case_context(company: Company) -> dict[str, object]:
    case = Case.objects.filter(company=company).first()
    if case is None:
        return {"case": None}
    return {
        "case": case,
        "events": case.events.select_related("letter", "by"),
        "responses": case.responses.select_related("recorded_by"),
        "step": cases_service.next_step(case, timezone.localdate()),
    }


def _start_letters(
    request: HttpRequest, companies: Sequence[Company], kind: str, back: str
) -> HttpResponse:
    """One letter batch through the letters app (same service and worker as its own page)."""
    user = current_user(request)
    try:
        batch = letter_services.create_batch(letter_sources.letter_data(companies), kind, user)
    except (PlaceholderError, LetterTemplate.DoesNotExist) as exc:
        messages.error(request, str(exc))
        return redirect(back)
    letter_jobs.enqueue(batch)
    return redirect("letters:batch", pk=batch.pk)


@require_POST
@capability_required(Capability.MANAGE_COMPLIANCE)
def appeal_batch(request: HttpRequest) -> HttpResponse:
    """Imbauan letters for every non-compliant company of the list's current filter.

    Companies whose case is already open are left out: an imbauan would not move them on.
    """
    kabkota = request.POST.get("kabkota", "")
    status = request.POST.get("status", "") or "tidak_patuh"
    q = request.POST.get("q", "").strip()
    qs = services.company_queryset(request.user, kabkota=kabkota, status=status, q=q)
    qs = qs.filter(compliance__status__in=services.NOT_COMPLIANT)
    open_ids = set(
        Case.objects.exclude(stage=Stage.SELESAI)
        .filter(company__in=qs)
        .values_list("company_id", flat=True)
    )
    companies = [c for c in qs if c.pk not in open_ids]
    if not companies:
        messages.info(
            request, _("Tidak ada perusahaan tidak patuh tanpa kasus terbuka di pilihan ini.")
        )
        return redirect("compliance:list")
    if open_ids:
        count = len(open_ids)
        messages.info(
            request,
            ngettext(
                "%(count)s perusahaan yang kasusnya sudah berjalan dilewati.",
                "%(count)s perusahaan yang kasusnya sudah berjalan dilewati.",
                count,
            )
            % {"count": count},
        )
    return _start_letters(request, companies, LetterKind.IMBAUAN, reverse("compliance:list"))


@require_POST
@capability_required(Capability.MANAGE_COMPLIANCE)
def case_next_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The suggested next letter for one company (one-click from its page)."""
    case = get_scoped_or_404(request.user, Case.objects.select_related("company"), pk=pk)
    step = cases_service.next_step(case, timezone.localdate())
    if step.next_kind is None or not step.due:
        messages.error(
            request,
            _("Belum waktunya surat berikutnya. %(next_step)s.") % {"next_step": step.sentence},
        )
        return redirect("compliance:company-detail", pk=case.company_id)
    company = Company.objects.select_related("kabkota").get(pk=case.company_id)
    back = reverse("compliance:company-detail", args=[company.pk])
    return _start_letters(request, [company], step.next_kind, back)


@capability_required(Capability.MANAGE_COMPLIANCE)
def case_response(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_scoped_or_404(request.user, Case.objects.select_related("company", "kabkota"), pk=pk)
    form = CaseResponseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        cases_service.record_response(
            case,
            form.cleaned_data["kind"],
            form.cleaned_data["note"],
            form.cleaned_data.get("evidence") or None,
            current_user(request),
        )
        messages.success(request, _("Tanggapan perusahaan dicatat."))
        return redirect("compliance:company-detail", pk=case.company_id)
    return render(request, "compliance/case_response.html", {"case": case, "form": form})


@capability_required(Capability.VIEW_COMPLIANCE)
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    response = get_scoped_or_404(request.user, CaseResponse.objects.all(), pk=pk)
    if not response.evidence:
        raise Http404
    name = Path(response.evidence.name or "bukti").name
    record(AuditEntry.Action.EXPORT, response, detail={"file": name})
    return FileResponse(response.evidence.open("rb"), as_attachment=True, filename=name)


@require_POST
@capability_required(Capability.MANAGE_COMPLIANCE)
def case_resume(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_scoped_or_404(request.user, Case.objects.all(), pk=pk)
    if case.paused:
        cases_service.resume(case, current_user(request), request.POST.get("note", ""))
    return redirect("compliance:company-detail", pk=case.company_id)


@capability_required(Capability.VIEW_COMPLIANCE)
def follow_up(request: HttpRequest) -> HttpResponse:
    kabkota = _kabkota_param(request)
    today = timezone.localdate()
    items = cases_service.follow_up_list(request.user, today, kabkota=kabkota)
    groups: dict[str, list[cases_service.FollowUp]] = {}
    for item in items:
        groups.setdefault(item.case.kabkota.name, []).append(item)
    return render(
        request,
        "compliance/follow_up.html",
        {
            "groups": groups,
            "count": len(items),
            "today": today,
            "kabkota_choices": kabkota_choices(request.user),
            "filter": {"kabkota": kabkota},
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
