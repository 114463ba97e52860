"""Template filters of the coverage pages."""

from __future__ import annotations

from django import template

from lindung import nik as nik_module

register = template.Library()


@register.filter
def mask(value: str | None) -> str:
    """A NIK with its middle digits hidden (:func:`lindung.nik.mask`)."""
    return nik_module.mask(value or "")


@register.filter
def percent(value: float | None) -> str:
    """0.9876 → "98,8%" (Indonesian decimal comma); blank for None."""
    if value is None:
        return ""
    return f"{value * 100:.1f}%".replace(".", ",")
