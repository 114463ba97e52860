"""Refusals and missing pages keep the menu and speak the user's language (not Django's bare
English pages); the 500 page needs no database or context."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from lindung.testing import client_for

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_refused_page_explains_and_keeps_the_menu(petugas_bpjs):
    response = client_for(petugas_bpjs).get("/audit/")
    assert response.status_code == 403
    assert "tidak untuk peran Anda" in response.text
    assert 'href="/pekerja/"' in response.text  # the menu is still there
    assert "Akun Anda (Petugas BPJS)" in response.text


@override_settings(DEBUG=False)
def test_missing_or_out_of_scope_page_says_so(op_samarinda):
    response = client_for(op_samarinda).get("/dasbor/?wilayah=64.71")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text
    assert "di luar wilayah kewenangan" in response.text


def test_server_error_page_renders_without_context():
    html = render_to_string("500.html")
    assert "Terjadi kesalahan di server" in html and "A server error occurred" in html
