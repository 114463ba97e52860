"""The dashboard: one page per region (province → kab/kota → kecamatan → desa), chosen with
``?wilayah=<code>``; every figure comes from :mod:`lindung.reporting.aggregates`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lindung.accounts.access import Capability, capability_required, region_code
from lindung.regions.reference import KALTIM
from lindung.reporting import aggregates, tiles


@capability_required(Capability.VIEW_REPORTS)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The body is cached as one fragment per scope, region, language and summary version
    (everyone sharing a scope sees the same page); the figures are passed as callables, which
    the template calls only when the fragment is rendered, so a cached page costs no query."""
    user = request.user
    overview = aggregates.coverage_overview(user, request.GET.get("wilayah") or None)
    code = overview.region.region.code
    fixed = region_code(user)

    choices = aggregates.kabkota_choices(user)
    selected = ".".join(code.split(".")[:2]) if code != KALTIM else ""

    def ranking() -> list[aggregates.RegionRow]:
        return aggregates.kabkota_ranking(user)

    context = {
        "overview": overview,
        "region": overview.region.region,
        "headline": lambda: aggregates.headline(user, code),
        "children_top": max((r.counts.total for r in overview.children), default=0) or 1,
        "tiles": (lambda: tiles.tile_map(ranking(), selected=code)) if not fixed else None,
        "splits": lambda: aggregates.splits(user, code),
        "funnel": lambda: aggregates.compliance_funnel(user, code),
        "budgets": lambda: aggregates.programme_budgets(user),
        "trend": lambda: aggregates.trend(user, code),
        "state": aggregates.summary_state(),
        "kabkota_choices": choices,
        "selected_kabkota": selected,
        "selected_kabkota_name": next((k.name for k in choices if k.code == selected), ""),
        "fixed": fixed,
        "fragment_key": f"{aggregates.summary_version()}:{fixed or KALTIM}:{code}",
        "fragment_ttl": aggregates.LIVE_TTL,
    }
    return render(request, "reporting/dashboard.html", context)
