"""Enrolment snippets other pages include: the coverage-ending notice."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from lindung.accounts.access import Capability, can
from lindung.enrolment import expiry, overview
from lindung.programmes.models import Programme

register = template.Library()


@register.inclusion_tag("enrolment/_expiry_notice.html", takes_context=True)
def expiry_notice(context: dict[str, Any]) -> dict[str, Any]:
    """Programmes whose coverage ends within 30 days, for users who can see programmes
    (``{% load enrolment_tags %}{% expiry_notice %}`` on the home page)."""
    user = context["request"].user
    if not can(user, Capability.VIEW_PROGRAMMES):
        return {"expiring": []}
    return {"expiring": expiry.programmes(user, timezone.localdate())}


@register.inclusion_tag("enrolment/_programme_notice.html", takes_context=True)
def programme_enrolment(context: dict[str, Any], programme: Programme) -> dict[str, Any]:
    """For a programme's own page: its beneficiaries per enrolment stage (scoped to the user),
    the link to its enrolment page and, when coverage ends within 30 days, the warning
    (``{% load enrolment_tags %}{% programme_enrolment programme %}``)."""
    user = context["request"].user
    today = timezone.localdate()
    return {
        "programme": programme,
        "counts": [c for c in overview.status_counts(user, programme) if c.count],
        "can_renew": can(user, Capability.MANAGE_PROGRAMMES),
        "ends_soon": expiry.ends_soon(programme, today),
        "people": expiry.beneficiaries(user, today).filter(programme=programme).count(),
        "successor": expiry.successor(programme, user),
    }
