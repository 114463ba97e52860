"""Small template helpers shared by all apps."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.filter
def urlencode_dict(params: dict[str, str]) -> str:
    """Keep the current filters in pagination and export links."""
    return urlencode(params)
