"""Reports are Indonesian official documents (UU 24/2009) even for a user browsing in English;
a refusal is still told in the user's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from lindung.programmes.models import Programme
from lindung.reporting.documents import services
from lindung.reporting.documents.tests.conftest import pdf_text, xlsx_sheets

pytestmark = pytest.mark.django_db


def test_budget_brief_is_indonesian_for_an_english_user(province, pimpinan) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        out = services.render(
            services.build("anggaran", pimpinan, programme=Programme.objects.get())
        )
    text = " ".join(pdf_text(out.pdf).split())
    assert "APBD Provinsi ·" in text
    assert "Provincial budget" not in text and "Beneficiaries selected" not in text
    assert "Per kabupaten-kota" in xlsx_sheets(out.xlsx)


def test_a_refused_report_is_explained_in_the_users_language(province, pimpinan) -> None:  # type: ignore[no-untyped-def]
    next_year = timezone.localdate().replace(day=1) + dt.timedelta(days=366)
    with translation.override("en"), pytest.raises(services.ReportError) as refused:
        services.build("bulanan", pimpinan, month=next_year)
    with translation.override("en"):
        assert str(refused.value).endswith("has not started yet.")
    assert str(refused.value).endswith("belum berjalan.")
