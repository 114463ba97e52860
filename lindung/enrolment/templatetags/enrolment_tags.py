"""Enrolment snippets other pages include: masked NIKs and the coverage-ending notice."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from lindung import nik as nik_module
from lindung.accounts.access import Capability, can
from lindung.enrolment import expiry

register = template.Library()


@register.filter
def mask_nik(value: str) -> str:
    return nik_module.mask(value) if value else "—"


@register.inclusion_tag("enrolment/_expiry_notice.html", takes_context=True)
def expiry_notice(context: dict[str, Any]) -> dict[str, Any]:
    """Programmes whose coverage ends within 30 days, for users who can see programmes
    (``{% load enrolment_tags %}{% expiry_notice %}`` on the home page)."""
    user = context["request"].user
    if not can(user, Capability.VIEW_PROGRAMMES):
        return {"expiring": []}
    return {"expiring": expiry.programmes(user, timezone.localdate())}
