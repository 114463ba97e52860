"""Reasons and refusals follow the user's language; stored reasons stay Indonesian (the records)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from lindung.programmes import services
from lindung.programmes.models import Beneficiary, BeneficiaryStatus
from lindung.programmes.services import ProgrammeError
from lindung.programmes.tests.conftest import covered, programme, uncovered
from lindung.testing import make_worker

pytestmark = pytest.mark.django_db


def test_reasons_are_rendered_in_english_for_an_english_page():
    old = uncovered(name="Tua", birth_date=dt.date(1959, 6, 1))
    pu = covered(make_worker(name="Buruh Pabrik"), "pu")
    rich = uncovered(name="Mampu", poverty_decile=8)
    poor = uncovered(name="Miskin", poverty_decile=1, birth_date=dt.date(1968, 5, 2))
    chosen = services.evaluate(programme(people=5, max_poverty_decile=4)).selection
    with translation.override("en"):
        rows = chosen.with_reasons(chosen.frame).iter_rows(named=True)
        texts = {row["worker_id"]: row["reason"] for row in rows}
    assert texts[old.pk] == "age 67 above the limit of 65"
    assert texts[pu.pk] == "already covered as a wage earner (PU)"
    assert texts[rich.pk] == "decile 8 above the limit of 4"
    assert texts[poor.pk] == "rank 1 in Kota Samarinda: decile 1, age 58"


def test_a_selection_saved_from_an_english_page_stores_indonesian_reasons():
    uncovered(poverty_decile=1, birth_date=dt.date(1968, 5, 2))
    p = programme(people=1)
    with translation.override("en"):
        services.save_selection(p, None)
        with pytest.raises(ProgrammeError, match="some beneficiaries have already been sent"):
            Beneficiary.objects.filter(programme=p).update(status=BeneficiaryStatus.SENT)
            services.save_selection(p, None)
    stored = Beneficiary.objects.get(programme=p)
    assert stored.reason == "peringkat 1 di Kota Samarinda: desil 1, usia 58"


def test_rules_that_select_nobody_are_refused_in_english():
    uncovered(birth_date=dt.date(1950, 1, 1))
    covered(make_worker(), "pu")
    with translation.override("en"), pytest.raises(ProgrammeError) as refused:
        services.save_selection(programme(people=1), None)
    assert str(refused.value) == (
        "These rules select nobody: 1 already covered by BPJS TK; 1 above the maximum age."
    )
