"""Registry pages: list with keyset pagination, detail, full-NIK reveal and CSV export."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lindung.accounts.access import (
    Capability,
    capability_required,
    get_scoped_or_404,
    kabkota_choices,
    region_code,
)
from lindung.core.exports import csv_lines
from lindung.matching.models import CoverageGroup, CoverageStatus
from lindung.regions.models import Region
from lindung.registry import services
from lindung.registry.ages import AGE_GROUPS, OTHER_AGES
from lindung.registry.models import NikStatus, Occupation, Sex, Worker, WorkerStatus


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _filter_choices(request: HttpRequest, flt: services.WorkerFilter) -> dict[str, object]:
    fixed = region_code(request.user)
    # a link with only a desa (from the dashboard) still shows its kecamatan and kab/kota
    kecamatan = flt.kecamatan or (flt.desa.rsplit(".", 1)[0] if flt.desa else "")
    chosen = fixed or flt.kabkota or (kecamatan.rsplit(".", 1)[0] if kecamatan else "")
    return {
        "kabkota_choices": kabkota_choices(request.user),
        "selected_kabkota": chosen,
        "kecamatan_choices": Region.objects.filter(parent_id=chosen) if chosen else [],
        "selected_kecamatan": kecamatan,
        "desa_choices": _children(request, kecamatan, Region.Level.DESA),
        "occupation_choices": Occupation.choices,
        "nik_status_choices": NikStatus.choices,
        "status_choices": WorkerStatus.choices,
        "sex_choices": Sex.choices,
        "age_groups": (*AGE_GROUPS, *OTHER_AGES),
        "coverage_groups": CoverageGroup.choices,
        "coverage_statuses": CoverageStatus.choices,
    }


def _children(request: HttpRequest, parent: str, level: str) -> QuerySet[Region] | list[Region]:
    """Regions under ``parent`` for a dependent select; an operator only gets their own."""
    fixed = region_code(request.user)
    if not parent or (fixed and not parent.startswith(fixed + ".") and parent != fixed):
        return []
    return Region.objects.filter(parent_id=parent, level=level)


@capability_required(Capability.VIEW_WORKERS)
def worker_list(request: HttpRequest) -> HttpResponse:
    flt = services.WorkerFilter.from_params(request.GET, request.user, on_page=True)
    page = services.worker_page(
        request.user, flt, after=_int_param(request, "after"), before=_int_param(request, "before")
    )
    context = {"page": page, "filter": flt, "query": flt.as_dict(), **_filter_choices(request, flt)}
    partial = request.headers.get("HX-Target") == "results"
    return render(
        request, "registry/_worker_rows.html" if partial else "registry/worker_list.html", context
    )


@capability_required(Capability.VIEW_WORKERS)
def worker_count(request: HttpRequest) -> HttpResponse:
    """The exact count of a list whose page said "more than 1.000" (htmx, after the page)."""
    flt = services.WorkerFilter.from_params(request.GET, request.user, on_page=True)
    count = services.count_workers(request.user, flt)
    return render(request, "registry/_worker_count.html", {"count": count})


@capability_required(Capability.VIEW_WORKERS)
def kecamatan_options(request: HttpRequest) -> HttpResponse:
    code = region_code(request.user) or request.GET.get("kabkota", "")
    options = Region.objects.filter(parent_id=code, level=Region.Level.KECAMATAN) if code else []
    return render(request, "registry/_kecamatan_options.html", {"kecamatan_choices": options})


@capability_required(Capability.VIEW_WORKERS)
def desa_options(request: HttpRequest) -> HttpResponse:
    options = _children(request, request.GET.get("kecamatan", ""), Region.Level.DESA)
    return render(request, "registry/_desa_options.html", {"desa_choices": options})


@capability_required(Capability.VIEW_WORKERS)
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_scoped_or_404(
        request.user,
        Worker.objects.select_related("desa", "kecamatan", "kabkota", "proposer"),
        pk=pk,
    )
    return render(request, "registry/worker_detail.html", {"worker": worker})


@require_POST
@capability_required(Capability.VIEW_FULL_NIK)
def worker_reveal_nik(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_scoped_or_404(request.user, Worker.objects.all(), pk=pk)
    return HttpResponse(f"<code>{services.reveal_nik(request.user, worker)}</code>")


@capability_required(Capability.EXPORT_WORKERS)
def worker_export(request: HttpRequest) -> StreamingHttpResponse:
    flt = services.WorkerFilter.from_params(request.GET, request.user, on_page=True)
    header, rows = services.export_table(request.user, flt)
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="pekerja-rentan-{stamp}.csv"'
    return response
