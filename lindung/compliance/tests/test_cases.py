"""Case tracking: appeal batch → cases with deadlines → responses → next step → escalation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lindung.audit.models import AuditEntry
from lindung.compliance import cases_service
from lindung.compliance.cases import Case, CaseEvent, CaseResponse, EscalationRule, Stage
from lindung.compliance.models import Company, CompanyStatus
from lindung.letters.models import BatchStatus, LetterBatch, OutgoingLetter
from lindung.testing import client_for

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SMD, BPN = "64.72", "64.71"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _letters(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    from lindung.letters.defaults import ensure_default_templates

    ensure_default_templates()


def company(name: str, kab: str = SMD, status: str = "wajib_belum_daftar") -> Company:
    c = Company.objects.create(
        name=name, kabkota_id=kab, address="Jl. Pahlawan 1", employees_reported=12
    )
    CompanyStatus.objects.create(company=c, status=status, computed_at=timezone.now())
    return c


def evidence(name: str = "bukti.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_escalation_rules_are_seeded_with_legal_basis():
    rules = {r.stage: r for r in EscalationRule.objects.all()}
    assert (rules["imbauan"].days, rules["imbauan"].next_stage) == (14, "teguran_1")
    assert (rules["teguran_1"].days, rules["teguran_1"].fixed_by_regulation) == (10, True)
    assert "PP 86/2013" in rules["teguran_1"].legal_basis
    assert "Permenaker 4/2018" in rules["teguran_2"].legal_basis
    assert "kebijakan daerah, dapat diubah" in rules["teguran_2"].legal_basis
    assert not rules["imbauan"].fixed_by_regulation


@override_settings(TASKS=IMMEDIATE)
def test_full_flow_appeal_batch_response_next_step_and_escalation(admin_provinsi):
    a, b, c = company("PT Alpha"), company("PT Beta", status="pds_upah"), company("PT Gamma")
    company("PT Patuh Sekali", status="patuh")
    elsewhere = company("PT Balikpapan", kab=BPN)
    client = client_for(admin_provinsi)

    # the list page offers one batch for the whole filter
    page = client.get(reverse("compliance:list"), {"kabkota": SMD, "status": "tidak_patuh"})
    assert "Buat surat imbauan untuk semua perusahaan ini" in page.content.decode()
    response = client.post(
        reverse("compliance:appeal-batch"), {"kabkota": SMD, "status": "tidak_patuh", "q": ""}
    )
    batch = LetterBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("letters:batch", args=[batch.pk])
    assert batch.status == BatchStatus.DONE and batch.kind == "imbauan"
    letters = OutgoingLetter.objects.filter(batch=batch)
    assert {x.company_id for x in letters} == {a.pk, b.pk, c.pk}

    # cases opened with a deadline: never before the one printed in the letter (30 days)
    cases = {x.company_id: x for x in Case.objects.all()}
    assert set(cases) == {a.pk, b.pk, c.pk} and elsewhere.pk not in cases
    sent = letters.first().date  # type: ignore[union-attr]
    for case in cases.values():
        assert (case.stage, case.kabkota_id, case.deadline) == (
            "imbauan",
            SMD,
            sent + dt.timedelta(days=30),
        )
        event = case.events.select_related("letter").get()
        assert event.kind == CaseEvent.Kind.LETTER_SENT
        assert event.letter is not None and event.letter.batch_id == batch.pk
    assert AuditEntry.objects.filter(object_type="compliance.case").exists()

    # a second click skips companies whose case is running
    again = client.post(reverse("compliance:appeal-batch"), {"kabkota": SMD, "status": ""})
    assert again.status_code == 302 and LetterBatch.objects.count() == 1

    # responses: partial (with evidence), objection, registered
    detail = reverse("compliance:company-detail", args=[a.pk])
    resp_url = reverse("compliance:case-response", args=[cases[a.pk].pk])
    posted = client.post(
        resp_url, {"kind": "sebagian", "note": "10 dari 12 didaftarkan", "evidence": evidence()}
    )
    assert posted.status_code == 302 and posted["Location"] == detail
    case_a = Case.objects.get(pk=cases[a.pk].pk)
    saved = CaseResponse.objects.get(case=case_a)
    assert str(saved.evidence.name).startswith("compliance-evidence/")
    assert saved.recorded_by == admin_provinsi
    assert case_a.deadline == timezone.localdate() + dt.timedelta(days=14)
    assert client.get(reverse("compliance:evidence", args=[saved.pk])).status_code == 200

    cases_service.record_response(
        cases[b.pk], "keberatan", "data BPJS keliru", None, admin_provinsi
    )
    cases_service.record_response(cases[c.pk], "sudah_mendaftar", "", None, admin_provinsi)
    case_b, case_c = Case.objects.get(company=b), Case.objects.get(company=c)
    assert case_b.paused and case_b.is_open
    assert (case_c.stage, case_c.outcome, case_c.status_recheck) == ("selesai", "terdaftar", True)
    assert case_c.closed_at is not None

    # next step once the deadline has passed (fixed "today")
    late = case_a.deadline + dt.timedelta(days=3)  # type: ignore[operator]
    step = cases_service.next_step(case_a, late)
    assert step.due and step.next_kind == "teguran_1" and step.overdue_days == 3
    assert step.sentence == (
        "Batas waktu baru 14 hari sejak tanggapan sebagian atas Imbauan lewat 3 hari: "
        "kirim Teguran I"
    )
    assert "ditangguhkan" in cases_service.next_step(case_b, late).sentence
    assert not cases_service.next_step(case_b, late).due
    assert cases_service.next_step(case_c, late).sentence == "Kasus selesai (terdaftar)."
    follow = cases_service.follow_up_list(admin_provinsi, late)
    assert [f.case.company_id for f in follow] == [a.pk, b.pk]  # overdue first, paused last

    # the page shows the case, the step, and the one-click escalation once it is due
    Case.objects.filter(pk=case_a.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    html = client.get(detail).content.decode()
    assert "Langkah berikutnya" in html and "lewat 3 hari: kirim Teguran I" in html
    assert "Buat Teguran I" in html and "unduh surat" in html
    escalate = client.post(reverse("compliance:case-next", args=[case_a.pk]))
    assert escalate.status_code == 302
    teguran = LetterBatch.objects.get(kind="teguran_1")
    assert teguran.status == BatchStatus.DONE
    case_a.refresh_from_db()
    letter = OutgoingLetter.objects.get(batch=teguran)
    assert (case_a.stage, case_a.stage_started, case_a.deadline) == (
        "teguran_1",
        letter.date,
        letter.date + dt.timedelta(days=10),
    )
    step = cases_service.next_step(case_a, letter.date + dt.timedelta(days=13))
    assert step.sentence == "Batas waktu 10 hari sejak Teguran I lewat 3 hari: kirim Teguran II"
    kinds = list(case_a.events.values_list("kind", flat=True))
    assert kinds == ["surat_dikirim", "tanggapan", "surat_dikirim"]

    # not due yet: the one-click refuses
    client.post(reverse("compliance:case-next", args=[case_a.pk]))
    assert LetterBatch.objects.count() == 2


def test_letter_never_moves_case_back_and_reopens_closed_case(admin_provinsi):
    from lindung.letters import services, sources

    c = company("PT Delta")
    services.generate_batch(sources.letter_data([c]), "teguran_1", admin_provinsi, workers=1)
    services.generate_batch(sources.letter_data([c]), "imbauan", admin_provinsi, workers=1)
    case = Case.objects.get(company=c)
    assert case.stage == "teguran_1" and case.events.count() == 2
    cases_service.record_response(case, "sudah_mendaftar", "", None, admin_provinsi)
    services.generate_batch(sources.letter_data([c]), "imbauan", admin_provinsi, workers=1)
    case.refresh_from_db()
    assert (case.stage, case.outcome, case.closed_at) == ("imbauan", "", None)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bukti.exe", b"MZ\x90\x00", "Berkas bukti harus berupa PDF, JPG atau PNG."),
        ("bukti.pdf", b"<html>bukan pdf</html>", "Berkas bukti harus berupa PDF, JPG atau PNG."),
        ("besar.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "melebihi batas 10 MB"),
    ],
)
def test_bad_evidence_is_refused_with_a_message(admin_provinsi, name, content, message):
    c = company("PT Epsilon")
    case = Case.objects.create(company=c, kabkota_id=SMD, stage=Stage.IMBAUAN)
    client = client_for(admin_provinsi)
    url = reverse("compliance:case-response", args=[case.pk])
    page = client.post(url, {"kind": "sebagian", "note": "", "evidence": evidence(name, content)})
    assert page.status_code == 200 and message in page.content.decode()
    assert not CaseResponse.objects.exists()
    with pytest.raises(ValidationError):
        cases_service.record_response(case, "sebagian", "", evidence(name, content), admin_provinsi)


def test_png_and_jpg_evidence_accepted(admin_provinsi):
    case = Case.objects.create(company=company("PT Zeta"), kabkota_id=SMD, stage=Stage.IMBAUAN)
    png = evidence("foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    jpg = evidence("foto.JPG", b"\xff\xd8\xff\xe0" + b"0" * 20)
    cases_service.record_response(case, "keberatan", "", png, admin_provinsi)
    cases_service.record_response(case, "keberatan", "", jpg, admin_provinsi)
    assert CaseResponse.objects.filter(case=case).count() == 2


def test_operator_sees_only_own_region(op_samarinda, op_balikpapan):
    today = timezone.localdate()
    mine = Case.objects.create(
        company=company("PT Samarinda"),
        kabkota_id=SMD,
        stage=Stage.IMBAUAN,
        stage_started=today - dt.timedelta(days=20),
        deadline=today - dt.timedelta(days=6),
    )
    other = Case.objects.create(
        company=company("PT Balikpapan", kab=BPN),
        kabkota_id=BPN,
        stage=Stage.IMBAUAN,
        deadline=today - dt.timedelta(days=1),
    )
    assert [f.case for f in cases_service.follow_up_list(op_samarinda, today)] == [mine]
    client = client_for(op_samarinda)
    page = client.get(reverse("compliance:follow-up"))
    html = page.content.decode()
    assert page.status_code == 200 and "PT Samarinda" in html and "PT Balikpapan" not in html
    assert "Batas waktu 14 hari sejak Imbauan lewat 6 hari: kirim Teguran I" in html
    for url in (
        reverse("compliance:case-response", args=[other.pk]),
        reverse("compliance:company-detail", args=[other.company_id]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("compliance:case-next", args=[other.pk])).status_code == 404
    assert client.post(reverse("compliance:case-resume", args=[other.pk])).status_code == 404
    assert (
        client_for(op_balikpapan)
        .get(reverse("compliance:case-response", args=[other.pk]))
        .status_code
        == 200
    )
