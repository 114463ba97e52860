"""Printed figures are always Indonesian; page figures follow the reader's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from lindung.core import formats


def test_printed_numbers_are_indonesian_whatever_the_language():
    with translation.override("en"):
        assert formats.thousands(1234567) == "1.234.567"
        assert formats.thousands(11.25, 1) == "11,2"
        assert formats.thousands(1234.5, 2) == "1.234,50"
        assert formats.rupiah(Decimal("2999808000")) == "Rp 2.999.808.000"


@pytest.mark.parametrize(
    ("language", "number", "share"),
    [("id", "25.887", "52,8%"), ("en", "25,887", "52.8%")],
)
def test_page_numbers_follow_the_active_language(language, number, share):
    with translation.override(language):
        assert formats.number(25887) == number
        assert formats.percent(0.5279) == share
        assert formats.percent(0) == ("0,0%" if language == "id" else "0.0%")


def test_one_nik_filter_masks_the_birth_date_and_dashes_a_missing_nik():
    template = Template("{% load lindung_tags %}{{ a|mask_nik }} {{ b|mask_nik }} {{ p|percent }}")
    with translation.override("id"):
        text = template.render(Context({"a": "6472014509850001", "b": "", "p": 0.9876}))
    assert text == "647201******0001 — 98,8%"
