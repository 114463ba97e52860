"""The "Laporan" page (archive of generated reports, make one now) and the one-click downloads
from the dashboard and a programme page. Every download goes through
:func:`lindung.reporting.documents.services.download`, which writes its audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.access import (
    Capability,
    can,
    capability_required,
    current_user,
    get_scoped_or_404,
)
from lindung.programmes.services import programmes_for
from lindung.regions.models import Region
from lindung.regions.reference import KALTIM
from lindung.reporting.documents import services
from lindung.reporting.documents.content import first_of_month, month_label
from lindung.reporting.documents.models import ReportFile, ReportKind
from lindung.reporting.models import CoverageSnapshot

PAGE_SIZE = 25
FORMATS = ("pdf", "xlsx")


def _months() -> list[tuple[str, str]]:
    """This month and every earlier month with a snapshot, newest first (``YYYY-MM``, label)."""
    this = first_of_month(timezone.localdate())
    past = CoverageSnapshot.objects.filter(month__lt=this).values_list("month", flat=True)
    months = sorted({this, *past}, reverse=True)
    return [(f"{m:%Y-%m}", month_label(m)) for m in months]


def parse_month(value: str) -> dt.date:
    """``2026-11`` → 1 November 2026; anything else is a clear error."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        raise services.ReportError(
            _("Bulan «%(value)s» tidak dikenali: tulis TTTT-BB, misalnya 2026-11.")
            % {"value": value}
        ) from None


@capability_required(Capability.VIEW_REPORTS)
def archive(request: HttpRequest) -> HttpResponse:
    """Past reports in the user's scope, and buttons to make the monthly report or brief now."""
    user = current_user(request)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in (ReportKind.MONTHLY, ReportKind.BRIEF):
            raise Http404
        try:
            monthly = kind == ReportKind.MONTHLY
            month = parse_month(request.POST.get("month", "")) if monthly else None
            report = services.generate(kind, user, month=month)
        except services.ReportError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(title)s dibuat (%(pages)s halaman, %(seconds)s detik).")
                % {
                    "title": report.title,
                    "pages": report.pages,
                    "seconds": f"{report.seconds:.1f}".replace(".", ","),
                },
            )
        return redirect("reporting:documents:archive")
    page = Paginator(services.reports_for(user), PAGE_SIZE).get_page(request.GET.get("halaman"))
    context: dict[str, Any] = {"page": page, "months": _months()}
    return render(request, "documents/archive.html", context)


@capability_required(Capability.VIEW_REPORTS)
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """One archived file; a report outside the user's scope does not exist (404)."""
    if fmt not in FORMATS:
        raise Http404
    report = get_scoped_or_404(current_user(request), ReportFile.objects.all(), pk=pk)
    if report.kind == ReportKind.BUDGET and not can(request.user, Capability.VIEW_PROGRAMMES):
        raise Http404
    return services.download(report, fmt)


def _made_now(request: HttpRequest, kind: str, fmt: str, **options: Any) -> HttpResponseBase:
    if fmt not in FORMATS:
        raise Http404
    try:
        report = services.generate(kind, current_user(request), **options)
    except services.ReportError as error:
        messages.error(request, str(error))
        return redirect("reporting:documents:archive")
    return services.download(report, fmt)


@capability_required(Capability.VIEW_REPORTS)
def brief_now(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The leadership brief of today's figures, made, archived and downloaded in one click;
    ``?kabkota=64.02`` for one kab/kota (the one on the dashboard)."""
    kabkota = request.GET.get("kabkota") or None
    kaltim = Region.objects.filter(level=Region.Level.KABKOTA, code__startswith=KALTIM + ".")
    if kabkota and not kaltim.filter(code=kabkota).exists():
        raise Http404
    return _made_now(request, ReportKind.BRIEF, fmt, kabkota=kabkota)


@capability_required(Capability.VIEW_REPORTS)
def monthly_now(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """This month's coverage report (``?bulan=2026-10`` for an earlier month with a snapshot)."""
    value = request.GET.get("bulan")
    try:
        month = parse_month(value) if value else None
    except services.ReportError as error:
        messages.error(request, str(error))
        return redirect("reporting:documents:archive")
    return _made_now(request, ReportKind.MONTHLY, fmt, month=month)


@capability_required(Capability.VIEW_PROGRAMMES)
def budget_now(request: HttpRequest, programme_pk: int, fmt: str) -> HttpResponseBase:
    """A programme's budget brief with its scenarios, made, archived and downloaded."""
    programme = get_object_or_404(programmes_for(request.user), pk=programme_pk)
    return _made_now(request, ReportKind.BUDGET, fmt, programme=programme)
