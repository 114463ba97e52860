"""Coverage pages: overview per kab/kota with the run button, clerical review, duplicates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.access import (
    Capability,
    can,
    capability_required,
    current_user,
    get_scoped_or_404,
    region_code,
    scoped,
)
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.matching import jobs, services
from lindung.matching.counts import coverage_counts
from lindung.matching.models import (
    Coverage,
    CoverageStatus,
    Decision,
    DuplicatePair,
    DuplicateStatus,
    MatchRun,
)
from lindung.registry.models import WorkerStatus

PAGE_SIZE = 25


def can_run(user: object) -> bool:
    """Running a match is for the province admin and BPJS (who upload the participants)."""
    return can(user, Capability.UPLOAD_PARTICIPANTS)


@capability_required(Capability.VIEW_COVERAGE)
def overview(request: HttpRequest) -> HttpResponse:
    counts = coverage_counts(request.user)
    last = MatchRun.objects.select_related("created_by").first()
    context = {
        "rows": counts.rows,
        "totals": counts.total.cells,
        "unmatched": counts.total.unmatched,
        "workers": counts.total.workers,
        "statuses": CoverageStatus.choices,
        "run": last,
        "can_run": can_run(request.user),
        "review_count": scoped(request.user, Coverage.objects.filter(status="tinjauan")).count(),
        "duplicate_count": scoped(
            request.user, DuplicatePair.objects.filter(status=DuplicateStatus.OPEN)
        ).count(),
        "scope": region_code(request.user),
    }
    return render(request, "matching/overview.html", context)


@require_POST
@capability_required(Capability.VIEW_COVERAGE)
def start_run(request: HttpRequest) -> HttpResponse:
    if not can_run(request.user):
        raise PermissionDenied
    run = jobs.enqueue(current_user(request))
    messages.info(request, _("Pencocokan #%(pk)s dijalankan di latar belakang.") % {"pk": run.pk})
    return redirect("matching:overview")


@capability_required(Capability.VIEW_COVERAGE)
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        run = MatchRun.objects.get(pk=pk)
    except MatchRun.DoesNotExist:
        raise Http404 from None
    response = render(request, "matching/_run_progress.html", {"run": run})
    if not run.is_active:
        response["HX-Refresh"] = "true"  # show the new counts
    return response


# --- clerical review ----------------------------------------------------------------------------


def _review_queryset(request: HttpRequest):  # type: ignore[no-untyped-def]
    return scoped(
        request.user,
        Coverage.objects.filter(status=CoverageStatus.TINJAUAN, participant__isnull=False)
        .select_related(
            "worker__kabkota", "worker__desa", "worker__proposer", "participant__kabkota"
        )
        .order_by("-probability", "id"),
    )


@capability_required(Capability.VIEW_COVERAGE)
def review_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_review_queryset(request), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/review_list.html",
        {"page": page, "can_decide": can(request.user, Capability.EDIT_WORKERS)},
    )


@require_POST
@capability_required(Capability.EDIT_WORKERS)
def review_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    if decision not in Decision.values:
        raise Http404
    item = get_scoped_or_404(request.user, _review_queryset(request), pk=pk)
    item = services.decide(item, decision, current_user(request))
    context = {"item": item, "decision": decision, "can_decide": True}
    return render(request, "matching/_review_done.html", context)


# --- duplicates ---------------------------------------------------------------------------------


def _duplicates(request: HttpRequest):  # type: ignore[no-untyped-def]
    return scoped(
        request.user,
        DuplicatePair.objects.filter(status=DuplicateStatus.OPEN).select_related(
            "first__kabkota", "first__desa", "first__proposer",
            "second__kabkota", "second__desa", "second__proposer",
        ),
    )  # fmt: skip


@capability_required(Capability.VIEW_COVERAGE)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_duplicates(request), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/duplicate_list.html",
        {"page": page, "can_decide": can(request.user, Capability.EDIT_WORKERS)},
    )


@require_POST
@capability_required(Capability.EDIT_WORKERS)
def duplicate_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep one proposal; the other becomes "ditolak" (kept, not deleted: the proposing office's
    record and its audit history stay, the unique key keeps a re-import from re-adding it, and
    a mistaken merge is undone by setting the status back). The reason is in the audit log."""
    pair = get_scoped_or_404(request.user, _duplicates(request), pk=pk)
    keep = request.POST.get("keep", "")
    if keep not in {str(pair.first_id), str(pair.second_id)}:
        raise Http404
    kept, dropped = (
        (pair.first, pair.second) if keep == str(pair.first_id) else (pair.second, pair.first)
    )
    user = current_user(request)
    with transaction.atomic():
        dropped.status = WorkerStatus.REJECTED
        dropped.save()  # audited field by field (registry tracks Worker)
        Coverage.objects.filter(worker=dropped).delete()
        pair.status, pair.kept = DuplicateStatus.MERGED, kept
        pair.decided_by, pair.decided_at = user, timezone.now()
        pair.save()
        note = (
            f"Usulan ganda digabung: dipertahankan usulan #{kept.pk} "
            f"({kept.proposer.name}); usulan #{dropped.pk} ({dropped.proposer.name}) ditolak"
        )
        record(
            AuditEntry.Action.UPDATE,
            dropped,
            detail={"gabung": {"dipertahankan": kept.pk, "ditolak": dropped.pk}, "catatan": note},
        )
    return render(request, "matching/_duplicate_done.html", {"pair": pair, "note": note})


@require_POST
@capability_required(Capability.EDIT_WORKERS)
def duplicate_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    pair = get_scoped_or_404(request.user, _duplicates(request), pk=pk)
    pair.status = DuplicateStatus.DISMISSED
    pair.decided_by, pair.decided_at = current_user(request), timezone.now()
    pair.save()
    note = _("Ditandai bukan orang yang sama.")
    record(
        AuditEntry.Action.UPDATE,
        pair,
        detail={"bukan_ganda": [pair.first_id, pair.second_id], "catatan": note},
    )
    return render(request, "matching/_duplicate_done.html", {"pair": pair, "note": note})
