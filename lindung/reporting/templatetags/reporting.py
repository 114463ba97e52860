"""CSS bars from counts."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def width(part: int, whole: int) -> str:
    """``part`` as a CSS percentage of ``whole`` (``"41.30%"``), ``"0%"`` of nothing."""
    return f"{100 * part / whole:.2f}%" if whole else "0%"


@register.simple_tag
def stack(c: Any, top: int, vertical: bool = False) -> SafeString:
    """One region's bar: covered, in review, uncovered and unmatched shares of ``c`` (a
    :class:`~lindung.reporting.aggregates.Counts`), as long as ``c.total`` is of ``top``.

    A tag rather than an included template: an uncached region page draws 25 of them, and the
    include's variable lookups were a third of the page's rendering time.
    """
    total, parts = c.total, (c.covered, c.review, c.uncovered, c.unmatched)
    return format_html(
        '<div class="stack{}" style="{}:{}" title="{}">'
        '<i class="s-covered" style="flex-basis:{}"></i>'
        '<i class="s-review" style="flex-basis:{}"></i>'
        '<i class="s-uncovered" style="flex-basis:{}"></i>'
        '<i class="s-unmatched" style="flex-basis:{}"></i></div>',
        " vertical" if vertical else "",
        "height" if vertical else "width",
        width(total, top),
        " / ".join(localize(n) for n in parts),
        *(width(n, total) for n in parts),
    )
