"""Attributes every change made during a request to the logged-in user and their IP."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lindung.audit.services import acting_as


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        with acting_as(user, label=None if user else "anonim", ip=request.META.get("REMOTE_ADDR")):
            return self.get_response(request)
