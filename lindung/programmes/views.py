"""Programme pages: list, create/edit, detail with the selection, why in/out, replacement,
renewal and the side-by-side scenarios. The logic is in :mod:`lindung.programmes.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
from lindung.core.formats import rupiah, thousands
from lindung.programmes import services
from lindung.programmes.forms import ProgrammeForm, ScenarioForm
from lindung.programmes.models import (
    HOLDING,
    Beneficiary,
    BeneficiaryStatus,
    ExitReason,
    Programme,
    ProgrammeStatus,
)
from lindung.programmes.selection import OUT_LABELS
from lindung.regions.models import Region
from lindung.registry.models import Worker

PAGE_SIZE = 25


def _programme(request: HttpRequest, pk: int) -> Programme:
    """One programme the user may see (:func:`services.programmes_for`); any other is 404."""
    programmes = services.programmes_for(request.user).select_related("funder_region")
    return get_object_or_404(programmes, pk=pk)


def _in_scope(request: HttpRequest, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An operator sees the rows of their own kab/kota only."""
    code = region_code(request.user)
    return rows if code is None else [r for r in rows if r["code"] == code]


@capability_required(Capability.VIEW_PROGRAMMES)
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = services.with_people(
        services.programmes_for(request.user).select_related("funder_region"), request.user
    )
    return render(
        request,
        "programmes/programme_list.html",
        {"programmes": programmes, "can_manage": can(request.user, Capability.MANAGE_PROGRAMMES)},
    )


def _form_page(request: HttpRequest, form: ProgrammeForm, programme: Programme | None) -> Any:
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})


@capability_required(Capability.MANAGE_PROGRAMMES)
def programme_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            programme = form.save(commit=False)
            programme.created_by = current_user(request)
            programme.save()
            form.save_m2m()
        messages.success(request, _("Program «%(name)s» dibuat.") % {"name": programme.name})
        return redirect("programmes:detail", pk=programme.pk)
    return _form_page(request, form, None)


@capability_required(Capability.MANAGE_PROGRAMMES)
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    if not services.can_change(programme):
        messages.error(
            request,
            _("Program ini tidak dapat diubah: penerimanya sudah dikirim ke BPJS."),
        )
        return redirect("programmes:detail", pk=pk)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            programme = form.save()
            removed = services.clear_selection(programme) if form.has_changed() else 0
        text = _("Program disimpan.")
        if removed:
            text += " " + _("%(n)s penerima terpilih dihapus: jalankan pemilihan lagi.") % {
                "n": removed
            }
        messages.success(request, text)
        return redirect("programmes:detail", pk=pk)
    return _form_page(request, form, programme)


def _beneficiaries(request: HttpRequest, programme: Programme):  # type: ignore[no-untyped-def]
    rows = scoped(
        request.user,
        Beneficiary.objects.filter(programme=programme).select_related("worker", "kabkota"),
    )
    kabkota = request.GET.get("kabkota") or ""
    status = request.GET.get("status") or ""
    if kabkota:
        rows = rows.filter(kabkota_id=kabkota)
    if status in BeneficiaryStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("kabkota_id", "rank", "pk"), kabkota, status


@capability_required(Capability.VIEW_PROGRAMMES)
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    rows, kabkota, status = _beneficiaries(request, programme)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    selection = programme.selection or {}
    regions = _in_scope(request, selection.get("regions", []))
    out_counts = [
        (code, OUT_LABELS[code], n) for code, n in selection.get("out_counts", {}).items()
    ]
    price = None
    try:
        price = services.cost(services.Params.of(programme))
    except services.ProgrammeError as error:
        messages.error(request, str(error))
    context = {
        "programme": programme,
        "price": price,
        "selection": selection,
        "regions": regions,
        "out_counts": out_counts if region_code(request.user) is None else [],
        "page": page,
        "kabkota": kabkota,
        "status": status,
        "statuses": BeneficiaryStatus.choices,
        "exit_reasons": ExitReason.choices,
        "kabkota_options": _kabkota_options(request),
        "can_manage": can(request.user, Capability.MANAGE_PROGRAMMES),
        "can_change": services.can_change(programme),
        "holding": HOLDING,
        "template": "programmes/_beneficiary_rows.html",
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "beneficiaries":
        return render(request, "programmes/_beneficiary_rows.html", context)
    return render(request, "programmes/programme_detail.html", context)


def _kabkota_options(request: HttpRequest) -> list[Region]:
    regions = Region.objects.filter(level=Region.Level.KABKOTA, code__startswith="64.")
    code = region_code(request.user)
    return list(regions if code is None else regions.filter(pk=code))


@require_POST
@capability_required(Capability.MANAGE_PROGRAMMES)
def run_selection(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    try:
        saved = services.save_selection(programme, current_user(request))
    except services.ProgrammeError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(n)s penerima terpilih; biaya %(cost)s, sisa anggaran %(left)s.")
            % {
                "n": thousands(saved.selected),
                "cost": rupiah(saved.summary["total_cost"]),
                "left": rupiah(saved.summary["leftover"]),
            },
        )
    return redirect("programmes:detail", pk=pk)


@capability_required(Capability.VIEW_PROGRAMMES)
def out_list(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Everyone out of the programme for one reason (an operator: their kab/kota only)."""
    if code not in OUT_LABELS:
        raise Http404
    programme = _programme(request, pk)
    kabkota = region_code(request.user) or request.GET.get("kabkota") or None
    frame = services.out_rows(programme, code, kabkota)
    page = Paginator(range(frame.height), PAGE_SIZE).get_page(request.GET.get("page"))
    part = frame.slice(page.start_index() - 1, PAGE_SIZE) if frame.height else frame
    workers = Worker.objects.in_bulk(part["worker_id"].to_list())
    rows = [
        {"worker": workers[r["worker_id"]], "reason": r["reason"]}
        for r in part.iter_rows(named=True)
        if r["worker_id"] in workers
    ]
    return render(
        request,
        "programmes/out_list.html",
        {
            "programme": programme,
            "label": OUT_LABELS[code],
            "code": code,
            "rows": rows,
            "page": page,
            "total": frame.height,
            "kabkota": kabkota or "",
            "kabkota_options": _kabkota_options(request),
        },
    )


@capability_required(Capability.VIEW_PROGRAMMES)
def worker_programmes(request: HttpRequest, worker_pk: int) -> HttpResponse:
    """Why this worker is in or out of each programme that is not closed."""
    worker = get_scoped_or_404(request.user, Worker.objects.select_related("kabkota"), pk=worker_pk)
    programmes = services.programmes_for(request.user).exclude(status=ProgrammeStatus.CLOSED)
    only = request.GET.get("program")
    if only:  # a link from one programme's page; anything but a number matches none
        programmes = programmes.filter(pk=only) if only.isdigit() else programmes.none()
    explanations = []
    for programme in programmes:
        try:
            explanations.append(services.explain(programme, worker))
        except services.ProgrammeError as error:
            messages.error(request, f"{programme.name}: {error}")
    return render(
        request,
        "programmes/worker_programmes.html",
        {"worker": worker, "explanations": explanations},
    )


@require_POST
@capability_required(Capability.MANAGE_PROGRAMMES)
def replace_beneficiary(request: HttpRequest, pk: int) -> HttpResponse:
    beneficiary = get_scoped_or_404(
        request.user, Beneficiary.objects.select_related("programme", "worker"), pk=pk
    )
    try:
        done = services.replace(
            beneficiary, request.POST.get("exit_reason", ""), current_user(request)
        )
    except services.ProgrammeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done.message)
    return redirect("programmes:detail", pk=beneficiary.programme_id)


@require_POST
@capability_required(Capability.MANAGE_PROGRAMMES)
def renew_programme(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    try:
        new = services.renew(programme, current_user(request))
    except services.ProgrammeError as error:
        messages.error(request, str(error))
        return redirect("programmes:detail", pk=pk)
    messages.success(
        request,
        _("Program lanjutan «%(name)s» dibuat: %(n)s penerima diperpanjang.")
        % {"name": new.name, "n": new.selection.get("carried_over", 0)},
    )
    return redirect("programmes:detail", pk=new.pk)


@capability_required(Capability.VIEW_PROGRAMMES)
def scenarios(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme as it stands next to its what-if variants, figure by figure."""
    programme = _programme(request, pk)
    manage = can(request.user, Capability.MANAGE_PROGRAMMES)
    form = ScenarioForm(programme, request.POST or None)
    if request.method == "POST":
        if not manage:
            raise Http404
        if form.is_valid():
            try:
                services.add_scenario(
                    programme, form.cleaned_data["name"], form.params(), current_user(request)
                )
            except services.ProgrammeError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Skenario dihitung."))
                return redirect("programmes:scenarios", pk=pk)
    columns: list[dict[str, Any]] = []
    try:
        columns.append(
            {
                "name": _("Program saat ini"),
                "result": services.summary(services.evaluate(programme)),
                "scenario": None,
            }
        )
    except services.ProgrammeError as error:
        messages.error(request, str(error))
    for scenario in programme.scenarios.all():
        columns.append({"name": scenario.name, "result": scenario.result, "scenario": scenario})
    for column in columns:
        column["regions"] = {r["code"]: r for r in _in_scope(request, column["result"]["regions"])}
    codes = sorted({code for c in columns for code in c["regions"]})
    names = services.kabkota_names()
    return render(
        request,
        "programmes/scenarios.html",
        {
            "programme": programme,
            "columns": columns,
            "region_rows": [
                {"name": names.get(code, code), "cells": [c["regions"].get(code) for c in columns]}
                for code in codes
            ],
            "form": form,
            "can_manage": manage,
        },
    )


@require_POST
@capability_required(Capability.MANAGE_PROGRAMMES)
def scenario_delete(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    scenario = get_object_or_404(programme.scenarios, pk=scenario_pk)
    services.delete_scenario(scenario)
    messages.success(request, _("Skenario «%(name)s» dihapus.") % {"name": scenario.name})
    return redirect("programmes:scenarios", pk=pk)
