"""The dashboard: one page per region (province → kab/kota → kecamatan → desa), chosen with
``?wilayah=<code>``; every figure comes from :mod:`lindung.reporting.aggregates`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lindung.accounts.access import Capability, capability_required, region_code
from lindung.regions.models import Region
from lindung.regions.reference import KALTIM
from lindung.reporting import aggregates, tiles


@capability_required(Capability.VIEW_REPORTS)
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    overview = aggregates.coverage_overview(user, request.GET.get("wilayah") or None)
    code = overview.region.region.code
    fixed = region_code(user)
    kabkota = Region.objects.filter(level=Region.Level.KABKOTA, code__startswith=KALTIM + ".")
    ranking = aggregates.kabkota_ranking(user)
    context = {
        "overview": overview,
        "region": overview.region.region,
        "headline": aggregates.headline(user, code),
        "ranking": ranking,
        "ranking_top": max((r.counts.total for r in ranking), default=0) or 1,
        "children_top": max((r.counts.total for r in overview.children), default=0) or 1,
        "tiles": tiles.tile_map(ranking, selected=code) if not fixed else [],
        "splits": aggregates.splits(user, code),
        "funnel": aggregates.compliance_funnel(user, code),
        "budgets": aggregates.programme_budgets(user),
        "trend": aggregates.trend(user, code),
        "state": aggregates.summary_state(),
        "kabkota_choices": kabkota.filter(code=fixed) if fixed else kabkota,
        "selected_kabkota": ".".join(code.split(".")[:2]) if code != KALTIM else "",
        "fixed": fixed,
    }
    return render(request, "reporting/dashboard.html", context)
