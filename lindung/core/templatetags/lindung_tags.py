"""Small template helpers shared by all apps."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import template

from lindung import nik as nik_module
from lindung.core import formats

register = template.Library()


@register.filter
def urlencode_dict(params: dict[str, str]) -> str:
    """Keep the current filters in pagination and export links."""
    return urlencode(params)


@register.filter
def mask_nik(value: str | None) -> str:
    """A NIK with its birth-date digits hidden (:func:`lindung.nik.mask`); a dash for none."""
    return nik_module.mask(value) if value else "—"


@register.filter
def birth(value: date | None, full_nik: bool) -> str:
    """``{{ w.birth_date|birth:perms_ui.view_full_nik }}``: 07-03-1990, or 1990 for roles that
    only see masked NIKs (:func:`lindung.nik.shown_birth_date`); a dash for none."""
    return nik_module.shown_birth_date(value, full_nik, "%d-%m-%Y") or "—"


@register.filter
def percent(fraction: float | None) -> str:
    """0.9876 → "98,8%" in Indonesian, "98.8%" in English; blank for None."""
    return "" if fraction is None else formats.percent(fraction)
