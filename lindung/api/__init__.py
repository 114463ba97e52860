"""The REST API (django-ninja): token auth, scoped by the same helper as the pages.

Each domain app contributes a router; this module only assembles them and authenticates.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer

from lindung.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """``Authorization: Bearer lin_…``; the token's user becomes ``request.user``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="Lindung API",
    version="1",
    description="Data pekerja rentan dan cakupan BPJS Ketenagakerjaan, sesuai peran pengguna.",
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Peran Anda tidak diizinkan."}, status=403)


def _register_routers() -> None:
    from lindung.registry.api import router as registry_router

    api.add_router("/workers", registry_router)


_register_routers()
