"""The landing page: what this user is responsible for, at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lindung.accounts.access import Capability, can, current_user
from lindung.accounts.models import Role
from lindung.registry.services import registry_summary
from lindung.reporting.aggregates import headline, registry_totals


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Leaders go straight to the dashboard (it answers their questions); everyone else who may
    see reports gets its headline sentence above their registry counts."""
    user = current_user(request)
    if user.effective_role == Role.LEADER:
        return redirect("reporting:dashboard")
    summary = None
    if can(user, Capability.VIEW_WORKERS):  # the summary tables, live before the first refresh
        summary = registry_totals(user) or registry_summary(user)
    answer = headline(user) if can(user, Capability.VIEW_REPORTS) else None
    return render(request, "core/home.html", {"summary": summary, "headline": answer})
