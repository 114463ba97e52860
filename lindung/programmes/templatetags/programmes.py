"""Rupiah and thousands in programme pages (Indonesian formats whatever the locale)."""

from __future__ import annotations

from django import template

from lindung.core import formats

register = template.Library()


@register.filter
def rupiah(value: int | str | None) -> str:
    """A missing figure (``None``, or ``""`` for a key absent from a programme's selection
    that has not been run yet) is a dash, not an error page."""
    return "—" if value is None or value == "" else formats.rupiah(int(value))


@register.filter
def ribuan(value: int | str | None) -> str:
    return "—" if value is None or value == "" else formats.thousands(int(value))
