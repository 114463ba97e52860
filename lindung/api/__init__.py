"""The REST API (django-ninja): token auth, scoped by the same helper as the pages.

Each domain app contributes a router (``<app>/api.py``) that calls that app's services; this
module only assembles them, authenticates, attributes audit entries to the token's user, turns
refusals into Indonesian error bodies and documents those errors in the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import HttpBearer

from lindung.accounts.models import ApiToken
from lindung.api import errors
from lindung.audit.services import acting_as


class TokenAuth(HttpBearer):
    """``Authorization: Bearer lin_…``; the token's user becomes ``request.user``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


#: Error responses every authenticated operation may give, documented once for all of them.
_ERRORS: dict[int, tuple[str, str]] = {
    401: ("ErrorOut", errors.UNAUTHORIZED),
    403: ("ErrorOut", errors.FORBIDDEN),
    422: ("ValidationErrorOut", errors.INVALID),
}
_NOT_FOUND = ("ErrorOut", errors.NOT_FOUND)


class LindungAPI(NinjaAPI):
    """NinjaAPI whose schema lists the error answers (401/403/404/422) of every operation.

    The errors come from exception handlers, not from the operations' own ``response=``, so
    django-ninja does not know about them; without them a schema checker (and a client
    generator) would treat a refusal as an undocumented answer.
    """

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for schema_class in (errors.ErrorOut, errors.FieldErrorOut, errors.ValidationErrorOut):
            components.setdefault(
                schema_class.__name__,
                schema_class.model_json_schema(ref_template="#/components/schemas/{model}"),
            )
        components["ValidationErrorOut"].pop("$defs", None)
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                wanted = dict(_ERRORS)
                if "{" in path:
                    wanted[404] = _NOT_FOUND
                responses = operation.setdefault("responses", {})
                for status, (model, text) in wanted.items():
                    responses.setdefault(
                        status,
                        {
                            "description": text,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{model}"}
                                }
                            },
                        },
                    )
        return schema


api = LindungAPI(
    title="Lindung API",
    version="1",
    description=(
        "Data pekerja rentan, cakupan BPJS Ketenagakerjaan, impor, program bantuan iuran, "
        "kepatuhan perusahaan dan surat — dibatasi menurut peran dan wilayah pemilik token, "
        "NIK disamarkan. Kirim token sebagai `Authorization: Bearer lin_…`."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)


def _as_token_user(view: Callable[..., Any]) -> Callable[..., Any]:
    """Attribute audit entries written by the operation to the token's user.

    The audit middleware runs before django-ninja authenticates the bearer token, so without
    this the actor of an API request would be "anonim".
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with acting_as(request.user, ip=request.META.get("REMOTE_ADDR")):
            return view(request, *args, **kwargs)

    return wrapped


api.add_decorator(_as_token_user, mode="operation")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": errors.FORBIDDEN}, status=403)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": errors.UNAUTHORIZED}, status=401)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": errors.NOT_FOUND}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, errors.validation_body(exc.errors), status=422)


def _register_routers() -> None:
    from lindung.compliance.api import router as compliance_router
    from lindung.imports.api import router as imports_router
    from lindung.letters.api import router as letters_router
    from lindung.matching.api import router as coverage_router
    from lindung.programmes.api import router as programmes_router
    from lindung.registry.api import router as registry_router
    from lindung.reporting.api import router as reporting_router

    api.add_router("/workers", registry_router)
    api.add_router("/coverage", coverage_router)
    api.add_router("/imports", imports_router)
    api.add_router("/programmes", programmes_router)
    api.add_router("/companies", compliance_router)
    api.add_router("/letters", letters_router)
    api.add_router("/reports", reporting_router)


_register_routers()
