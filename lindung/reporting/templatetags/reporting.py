"""Widths of CSS bars from counts."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def width(part: int, whole: int) -> str:
    """``part`` as a CSS percentage of ``whole`` (``"41.30%"``), ``"0%"`` of nothing."""
    return f"{100 * part / whole:.2f}%" if whole else "0%"
