"""An operator's enrolment pages carry only their kab/kota's figures, never the province's.

Samarinda (64.72) has three people, Balikpapan (64.71) two; the March invoice bills Samarinda
exactly, Balikpapan one wrong amount and one person missing, plus one stranger. Each figure
below is distinct, so a leaked province or neighbour figure shows up in the page text.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lindung.enrolment import batches, bills
from lindung.enrolment.models import AnswerImport, EnrolmentBatch, Reconciliation
from lindung.testing import client_for

from .factories import add_people, make_programme, register

pytestmark = pytest.mark.django_db
ANSWER_FILE = "jawaban-kaltim-provinsi.csv"
INVOICE_FILE = "tagihan-kaltim-maret.csv"
# kab/kota → (batch rows, billed, expected, differing lines); the province: 5, 87.200, 84.000, 3
OWN = {
    "op_samarinda": (3, "Rp 50.400", "Rp 50.400", 0),
    "op_balikpapan": (2, "Rp 20.000", "Rp 33.600", 2),
}
PROVINCE = ("5 orang", "Rp 87.200", "Rp 84.000", ANSWER_FILE, INVOICE_FILE)


@pytest.fixture
def enrolled(admin_provinsi, tmp_path):
    programme = make_programme()
    people = add_people(programme, 3) + add_people(programme, 2, "64.71")
    batches.create_batch(programme, admin_provinsi, dt.date(2025, 12, 10))
    AnswerImport.objects.create(
        programme=programme, file_name=ANSWER_FILE, imported_by=admin_provinsi,
        rows=5, registered=4, rejected=1, unchanged=0,
    )  # fmt: skip
    register(people, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    invoice = tmp_path / INVOICE_FILE
    invoice.write_text(
        "No KPJ;Nama Peserta;Jumlah Iuran\n"
        "26000000001;A;16800\n26000000002;B;16800\n26000000003;C;16800\n"  # Samarinda, exact
        "26000000004;D;20000\n"  # Balikpapan, wrong amount; 26000000005 not billed
        "26009999999;Orang lain;16800\n"  # not ours: no kab/kota
        "TOTAL;;87200\n",
        encoding="utf-8",
    )
    bills.reconcile(programme, dt.date(2026, 3, 1), invoice, INVOICE_FILE, admin_provinsi)
    return programme


def _pages(user, programme) -> dict[str, object]:  # type: ignore[no-untyped-def]
    client = client_for(user)
    batch = EnrolmentBatch.objects.get()
    rec = Reconciliation.objects.get()
    return {
        "programme": client.get(reverse("enrolment:programme", args=[programme.pk])),
        "batch": client.get(reverse("enrolment:batch", args=[batch.pk])),
        "reconciliation": client.get(reverse("enrolment:reconciliation", args=[rec.pk])),
    }


def test_admin_sees_the_province_figures(enrolled, admin_provinsi):
    pages = _pages(admin_provinsi, enrolled)
    text = "".join(p.content.decode() for p in pages.values())  # type: ignore[attr-defined]
    for figure in PROVINCE:
        assert figure in text
    assert [b.people for b in pages["programme"].context["batches"]] == [5]  # type: ignore[attr-defined]


@pytest.mark.parametrize("persona", ["op_samarinda", "op_balikpapan"])
def test_operator_sees_only_their_kabkota_figures(enrolled, persona, request):
    user = request.getfixturevalue(persona)
    rows, billed, expected, differing = OWN[persona]
    other = OWN["op_balikpapan" if persona == "op_samarinda" else "op_samarinda"]
    pages = _pages(user, enrolled)
    programme_page = pages["programme"]
    assert [b.people for b in programme_page.context["batches"]] == [rows]  # type: ignore[attr-defined]
    [rec] = programme_page.context["reconciliations"]  # type: ignore[attr-defined]
    assert (rec.billed, rec.expected, rec.differing) == (
        int(billed[3:].replace(".", "")), int(expected[3:].replace(".", "")), differing
    )  # fmt: skip
    text = "".join(p.content.decode() for p in pages.values())  # type: ignore[attr-defined]
    assert f"{rows} orang" in text and billed in text and expected in text
    for figure in PROVINCE:
        assert figure not in text
    for figure in other[1:3]:
        if figure not in (billed, expected):
            assert figure not in text
            assert figure[3:] not in text  # not even without "Rp" in the lines' totals table
