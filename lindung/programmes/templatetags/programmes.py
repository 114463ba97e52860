"""Rupiah and thousands in programme pages (Indonesian formats whatever the locale)."""

from __future__ import annotations

from django import template

from lindung.core import formats

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    return "—" if value is None else formats.rupiah(value)


@register.filter
def ribuan(value: int | None) -> str:
    return "—" if value is None else formats.thousands(value)
