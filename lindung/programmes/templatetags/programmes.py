"""Rupiah and thousands in programme and enrolment pages, in the reader's language."""

from __future__ import annotations

from django import template

from lindung.core import formats
from lindung.programmes.models import Package

register = template.Library()


@register.filter
def rupiah(value: int | str | None) -> str:
    """A missing figure (``None``, or ``""`` for a key absent from a programme's selection
    that has not been run yet) is a dash, not an error page."""
    return "—" if value is None or value == "" else "Rp " + formats.number(int(value))


@register.filter
def ribuan(value: int | str | None) -> str:
    return "—" if value is None or value == "" else formats.number(int(value))


@register.filter
def package_label(code: str | None) -> str:
    """``"JKK,JKM"`` → ``"JKK + JKM"``: scenarios keep the stored code in their JSON params,
    a person reads the package's name (an unknown code is shown as it is)."""
    return "—" if not code else str(dict(Package.choices).get(code, code))
