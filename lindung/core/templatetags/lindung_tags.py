"""Small template helpers shared by all apps."""

from __future__ import annotations

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
def percent(fraction: float | None) -> str:
    """0.9876 → "98,8%" in Indonesian, "98.8%" in English; blank for None."""
    return "" if fraction is None else formats.percent(fraction)
