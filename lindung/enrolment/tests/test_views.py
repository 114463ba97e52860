from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lindung.audit.models import AuditEntry
from lindung.enrolment import batches
from lindung.enrolment.models import EnrolmentBatch, Reconciliation
from lindung.programmes.models import Programme
from lindung.subsidy.premiums import add_months
from lindung.testing import client_for, streamed_body

from .factories import add_people, make_programme, register

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 12, 10)


@pytest.fixture
def programme():
    programme = make_programme()
    add_people(programme, 2)  # Samarinda
    add_people(programme, 1, "64.71")  # Balikpapan
    return programme


def test_operator_sees_only_their_kabkota_and_cannot_send(programme, op_balikpapan):
    client = client_for(op_balikpapan)
    page = client.get(reverse("enrolment:programme", args=[programme.pk]))
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 1
    assert "Peserta 64.71 3" in page.content.decode()
    assert "Peserta 64.72 1" not in page.content.decode()
    assert client.post(reverse("enrolment:batch-create", args=[programme.pk])).status_code == 403
    assert not EnrolmentBatch.objects.exists()


def test_admin_creates_and_downloads_a_batch(programme, admin_provinsi, op_samarinda):
    client = client_for(admin_provinsi)
    response = client.post(reverse("enrolment:batch-create", args=[programme.pk]))
    batch = EnrolmentBatch.objects.get()
    assert response["Location"] == reverse("enrolment:batch", args=[batch.pk])
    assert batch.count == 3
    csv = streamed_body(client.get(reverse("enrolment:batch-download", args=[batch.pk, "csv"])))
    assert csv.decode("utf-8-sig").count("\n") == 4
    xlsx = client.get(reverse("enrolment:batch-download", args=[batch.pk, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    assert 'filename="pendaftaran-' in xlsx["Content-Disposition"]
    assert AuditEntry.objects.filter(action="export", object_id=str(batch.pk)).count() == 2
    operator = client_for(op_samarinda)
    assert (
        operator.get(reverse("enrolment:batch-download", args=[batch.pk, "csv"])).status_code == 403
    )
    rows = operator.get(reverse("enrolment:batch", args=[batch.pk])).context["page"]
    assert rows.paginator.count == 2  # their own kab/kota's rows only


def test_bad_answer_file_shows_every_problem_and_saves_nothing(programme, admin_provinsi):
    batches.create_batch(programme, admin_provinsi, TODAY)
    upload = SimpleUploadedFile(
        "jawaban.csv", b"NIK;Status;KPJ;Tanggal mulai\n6472010101010001;terdaftar;1;01-01-2026\n"
    )
    response = client_for(admin_provinsi).post(
        reverse("enrolment:answer-import", args=[programme.pk]), {"file": upload}
    )
    assert response.status_code == 400
    assert "tidak pernah dikirim dalam batch program" in response.content.decode()
    assert set(programme.beneficiaries.values_list("status", flat=True)) == {"dikirim"}


def test_invoice_upload_opens_its_reconciliation(programme, admin_provinsi, op_balikpapan):
    people = list(programme.beneficiaries.order_by("rank"))
    register(people, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    upload = SimpleUploadedFile("tagihan.csv", b"KPJ;Iuran\n26000000001;16800\n26000000003;20000\n")
    client = client_for(admin_provinsi)
    response = client.post(
        reverse("enrolment:invoice-import", args=[programme.pk]),
        {"month": "2026-02", "file": upload, "stated_total": "36800"},
    )
    rec = Reconciliation.objects.get()
    assert response["Location"] == reverse("enrolment:reconciliation", args=[rec.pk])
    assert (rec.month, rec.billed_total, rec.expected_total, rec.differences) == (
        dt.date(2026, 2, 1), 36_800, 50_400, 2,
    )  # fmt: skip
    page = client.get(response["Location"])
    assert page.context["page"].paginator.count == 2
    # the Balikpapan operator sees only the Balikpapan line (billed Rp 20.000 instead of 16.800)
    own = client_for(op_balikpapan).get(response["Location"] + "?kind=semua")
    assert [line.participant_number for line in own.context["page"]] == ["26000000003"]
    export = client.get(reverse("enrolment:reconciliation-export", args=[rec.pk]))
    assert export.content[:2] == b"PK"


def test_invoice_for_a_month_outside_the_programme_is_refused(programme, admin_provinsi):
    upload = SimpleUploadedFile("tagihan.csv", b"KPJ;Iuran\n26000000001;16800\n")
    response = client_for(admin_provinsi).post(
        reverse("enrolment:invoice-import", args=[programme.pk]),
        {"month": "2027-02", "file": upload},
    )
    assert response.status_code == 400
    assert "di luar masa program" in response.content.decode()
    assert not Reconciliation.objects.exists()


def test_expiring_programme_is_announced_and_renewed_once(admin_provinsi, op_samarinda):
    today = timezone.localdate()
    start = add_months(dt.date(today.year, today.month, 1), -11)  # ends this month
    programme = make_programme(period_start=start, months=12)
    people = add_people(programme, 2)
    register(people, programme.period_start, programme.period_end)
    assert today <= programme.period_end <= today + dt.timedelta(days=30)
    client = client_for(admin_provinsi)
    assert "expiry-notice" in client.get(reverse("home")).content.decode()
    page = client.get(reverse("enrolment:expiring"))
    assert page.context["page"].paginator.count == 2
    assert reverse("enrolment:renew", args=[programme.pk]) in page.content.decode()
    operator_page = client_for(op_samarinda).get(reverse("enrolment:expiring")).content.decode()
    assert reverse("enrolment:renew", args=[programme.pk]) not in operator_page
    response = client.post(reverse("enrolment:renew", args=[programme.pk]))
    new = Programme.objects.exclude(pk=programme.pk).get()
    assert response["Location"] == reverse("enrolment:programme", args=[new.pk])
    assert new.period_start == programme.period_end + dt.timedelta(days=1)
    again = client.post(reverse("enrolment:renew", args=[programme.pk]))
    assert again["Location"] == reverse("enrolment:programme", args=[new.pk])
    assert Programme.objects.count() == 2


def test_programme_page_tag_links_to_enrolment_and_warns_before_the_end(rf, admin_provinsi):
    from django.template import Context, Template

    today = timezone.localdate()
    programme = make_programme(period_start=add_months(dt.date(today.year, today.month, 1), -11))
    request = rf.get("/")
    request.user = admin_provinsi
    html = Template("{% load enrolment_tags %}{% programme_enrolment programme %}").render(
        Context({"request": request, "programme": programme})
    )
    assert reverse("enrolment:programme", args=[programme.pk]) in html
    assert "Masa program berakhir" in html
    later = make_programme(name="Tahun depan", period_start=dt.date(today.year + 1, 1, 1))
    html = Template("{% load enrolment_tags %}{% programme_enrolment programme %}").render(
        Context({"request": request, "programme": later})
    )
    assert "Masa program berakhir" not in html


def test_export_is_scoped_audited_and_bpjs_staff_see_no_enrolment_pages(
    programme, admin_provinsi, op_balikpapan, petugas_bpjs, tmp_path
):
    from lindung.enrolment import bills
    from lindung.imports.reading import read_table

    people = list(programme.beneficiaries.order_by("rank"))
    register(people, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    invoice = tmp_path / "tagihan.csv"
    invoice.write_text("KPJ;Iuran\n26000000001;16800\n", encoding="utf-8")
    rec = bills.reconcile(programme, dt.date(2026, 2, 1), invoice, "tagihan.csv", admin_provinsi)
    response = client_for(op_balikpapan).get(
        reverse("enrolment:reconciliation-export", args=[rec.pk])
    )
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    summary = read_table(path, max_bytes=10**7).frame.to_dicts()  # first sheet: Ringkasan
    # only Balikpapan's line: their one registered person, not billed
    assert [(r["Hasil"], r["Jumlah"], r["Selisih"]) for r in summary] == [
        ("Aktif, tidak ditagih", "1", "-16800")
    ]
    entry = AuditEntry.objects.get(action="export", object_id=str(rec.pk))
    assert entry.detail["rows"] == 1 and entry.detail["region"] == "64.71"
    bpjs = client_for(petugas_bpjs)
    assert bpjs.get(reverse("enrolment:index")).status_code == 403
    assert bpjs.get(reverse("enrolment:reconciliation", args=[rec.pk])).status_code == 403


def test_programme_page_shows_the_enrolment_state_in_the_users_scope(
    programme, admin_provinsi, op_balikpapan
):
    """The programmes app's page carries the enrolment section: counts per stage and the link."""
    today = timezone.localdate()
    first = dt.date(today.year, today.month, 1)
    people = list(programme.beneficiaries.order_by("rank"))
    register(people[:1], first, today + dt.timedelta(days=10))  # one Samarinda person ends soon
    url = reverse("programmes:detail", args=[programme.pk])
    admin_page = client_for(admin_provinsi).get(url).content.decode()
    assert 'id="enrolment-state"' in admin_page
    assert reverse("enrolment:programme", args=[programme.pk]) in admin_page
    assert "Terpilih, belum dikirim ke BPJS: <strong>2</strong>" in admin_page
    assert "Terdaftar di BPJS: <strong>1</strong>" in admin_page
    assert "1 penerima terdaftar berakhir perlindungannya" in admin_page
    operator_page = client_for(op_balikpapan).get(url).content.decode()
    assert reverse("enrolment:programme", args=[programme.pk]) in operator_page
    assert "Terpilih, belum dikirim ke BPJS: <strong>1</strong>" in operator_page
    assert "Terdaftar di BPJS: <strong>" not in operator_page  # registered person: Samarinda
    assert "expiry-notice" not in operator_page


def test_answer_message_counts_with_thousands_separators(programme, admin_provinsi, monkeypatch):
    from types import SimpleNamespace

    from lindung.enrolment import answers

    done = SimpleNamespace(file_name="jawaban.csv", registered=14_125, rejected=755, unchanged=0)
    monkeypatch.setattr(answers, "import_answer", lambda *args: done)
    upload = SimpleUploadedFile("jawaban.csv", b"NIK;Status\n")
    response = client_for(admin_provinsi).post(
        reverse("enrolment:answer-import", args=[programme.pk]), {"file": upload}, follow=True
    )
    assert "14.125 terdaftar, 755 ditolak, 0 tidak berubah" in response.content.decode()


@pytest.mark.parametrize(
    ("total_line", "shown"),
    [
        ("TOTAL;;36800\n", "sama dengan jumlah baris"),
        ("TOTAL;;40000\n", "berbeda Rp 3.200 dari jumlah baris"),
        ("", None),
    ],
)
def test_reconciliation_shows_the_invoices_own_total_next_to_its_lines(
    programme, admin_provinsi, tmp_path, total_line, shown
):
    from lindung.enrolment import bills

    register(list(programme.beneficiaries.order_by("rank")), TODAY, dt.date(2026, 12, 31))
    invoice = tmp_path / "tagihan.csv"
    invoice.write_text(
        "KPJ;Nama;Iuran\n26000000001;A;16800\n26000000003;C;20000\n" + total_line, encoding="utf-8"
    )
    rec = bills.reconcile(programme, dt.date(2026, 2, 1), invoice, "tagihan.csv", admin_provinsi)
    page = client_for(admin_provinsi).get(reverse("enrolment:reconciliation", args=[rec.pk]))
    html = page.content.decode()
    assert '<span class="figure" id="billed-total">Rp 36.800</span>' in html
    if shown is None:
        assert 'id="stated-total"' not in html
        return
    assert 'id="stated-total"' in html and shown in html
    flagged = "stated-total-warning" in html
    assert flagged == (rec.stated_total != rec.billed_total) == ("berbeda" in shown)
