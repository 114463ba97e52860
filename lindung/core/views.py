"""The landing page: what this user is responsible for, at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lindung.accounts.access import Capability, can
from lindung.registry.services import registry_summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    summary = registry_summary(request.user) if can(request.user, Capability.VIEW_WORKERS) else None
    return render(request, "core/home.html", {"summary": summary})
