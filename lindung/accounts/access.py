"""The one place where Lindung decides who may do what, and over which region.

Every queryset a view, export or API endpoint shows goes through :func:`scoped`; every action is
guarded by :func:`require` (or the :func:`capability_required` decorator). Models opt in to
region scoping by naming the field that holds their kab/kota in ``scope_field``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from lindung.accounts.models import Role, User
from lindung.regions.models import Region
from lindung.regions.reference import KALTIM

M = TypeVar("M", bound=Model)


class Capability(StrEnum):
    VIEW_WORKERS = "view_workers"
    EDIT_WORKERS = "edit_workers"
    EXPORT_WORKERS = "export_workers"
    VIEW_FULL_NIK = "view_full_nik"
    IMPORT_WORKERS = "import_workers"
    UPLOAD_PARTICIPANTS = "upload_participants"
    IMPORT_COMPANIES = "import_companies"
    VIEW_COVERAGE = "view_coverage"
    VIEW_REPORTS = "view_reports"
    VIEW_AUDIT = "view_audit"
    VIEW_COMPLIANCE = "view_compliance"
    MANAGE_COMPLIANCE = "manage_compliance"
    VIEW_PROGRAMMES = "view_programmes"
    MANAGE_PROGRAMMES = "manage_programmes"
    MANAGE_SYSTEM = "manage_system"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.OPERATOR: frozenset(
        {
            Capability.VIEW_WORKERS,
            Capability.EDIT_WORKERS,
            Capability.EXPORT_WORKERS,
            Capability.VIEW_FULL_NIK,
            Capability.IMPORT_WORKERS,
            Capability.VIEW_COVERAGE,
            Capability.VIEW_REPORTS,
            Capability.VIEW_COMPLIANCE,
            Capability.MANAGE_COMPLIANCE,
            Capability.VIEW_PROGRAMMES,
        }
    ),
    Role.BPJS: frozenset(
        {Capability.VIEW_WORKERS, Capability.UPLOAD_PARTICIPANTS, Capability.VIEW_COVERAGE}
    ),
    Role.LEADER: frozenset(
        {
            Capability.VIEW_WORKERS,
            Capability.EXPORT_WORKERS,
            Capability.VIEW_COVERAGE,
            Capability.VIEW_REPORTS,
            Capability.VIEW_COMPLIANCE,
            Capability.VIEW_PROGRAMMES,
        }
    ),
}


def can(user: Any, capability: Capability) -> bool:
    """True when an active, authenticated user's role grants ``capability``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return capability in ROLE_CAPABILITIES.get(user.effective_role, frozenset())


def require(user: Any, capability: Capability) -> None:
    if not can(user, capability):
        raise PermissionDenied(capability.value)


def current_user(request: HttpRequest) -> User:
    """``request.user`` as a Lindung user, in a view behind ``login_required``.

    An anonymous user here means the view forgot its login guard: refuse rather than go on.
    """
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("login required")
    return user


def region_code(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """The kab/kota code a user is confined to, or None for province-wide roles.

    Takes ``request.user`` as it comes. Someone who is not a Lindung user (an anonymous visitor)
    has no region at all: that is refused, never answered with "province-wide".
    """
    if not isinstance(user, User):
        raise PermissionDenied("login required")
    if user.effective_role == Role.OPERATOR:
        return user.kabkota_id
    return None


def kabkota_choices(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Region]:
    """The kab/kota a user may filter by: the province's ten, or an operator's own."""
    kabkota = Region.objects.filter(level=Region.Level.KABKOTA, code__startswith=KALTIM + ".")
    fixed = region_code(user)
    return kabkota.filter(code=fixed) if fixed else kabkota


def scoped(user: Any, queryset: QuerySet[M]) -> QuerySet[M]:
    """Narrow ``queryset`` to what ``user`` may see. Unknown users see nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    field = getattr(queryset.model, "scope_field", None)
    if field is None:
        raise TypeError(f"{queryset.model.__name__} does not declare scope_field")
    code = region_code(user)
    return queryset if code is None else queryset.filter(**{f"{field}_id": code})


def get_scoped_or_404(user: Any, queryset: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object within the user's scope; outside it the object does not exist (404)."""
    try:
        return scoped(user, queryset).get(**lookup)
    except ObjectDoesNotExist:  # the model's DoesNotExist
        raise Http404 from None


def capability_required(
    capability: Capability,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: login first, then the capability, else 403."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            require(request.user, capability)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator
