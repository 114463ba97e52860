"""The company picker of /surat/: filters, search, duplicates told apart, region scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from lindung.compliance.cases import Case
from lindung.compliance.models import Company, CompanyStatus
from lindung.letters.models import LetterBatch, LetterKind, OutgoingLetter
from lindung.testing import client_for

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
URL = "/surat/"


def _company(name: str, kab: str, status: str = "", **fields: object) -> Company:
    c = Company.objects.create(name=name, kabkota_id=kab, **fields)  # type: ignore[arg-type]
    if status:
        CompanyStatus.objects.create(company=c, status=status, computed_at=timezone.now())
    return c


def _case(company: Company, stage: str, deadline_days: int, paused: bool = False) -> Case:
    today = timezone.localdate()
    return Case.objects.create(
        company=company,
        kabkota_id=company.kabkota_id,
        stage=stage,
        stage_started=today - dt.timedelta(days=20),
        deadline=today + dt.timedelta(days=deadline_days),
        paused=paused,
    )


def _shown(client, **params: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(URL, params)
    assert response.status_code == 200
    return [c.name for c in response.context["rows"]]


@pytest.mark.django_db
def test_filter_by_status_and_kabkota(admin_provinsi) -> None:
    _company("PT Samarinda Belum", "64.72", "wajib_belum_daftar")
    _company("PT Samarinda Upah", "64.72", "pds_upah")
    _company("PT Samarinda Patuh", "64.72", "patuh")
    _company("PT Balikpapan Belum", "64.71", "wajib_belum_daftar")
    client = client_for(admin_provinsi)
    assert _shown(client, kabkota="64.72", status="wajib_belum_daftar") == ["PT Samarinda Belum"]
    assert _shown(client, kabkota="64.72", status="tidak_patuh") == [
        "PT Samarinda Belum",
        "PT Samarinda Upah",
    ]
    assert _shown(client, status="wajib_belum_daftar") == [
        "PT Balikpapan Belum",
        "PT Samarinda Belum",
    ]


@pytest.mark.django_db
def test_search_by_name_nib_or_npwp(admin_provinsi) -> None:
    _company("PT Mahakam Jaya Sentosa", "64.72", nib="9120001234567")
    _company("CV Tepian Makmur", "64.72", npwp="01.234.567.8-901.000")
    client = client_for(admin_provinsi)
    assert _shown(client, q="mahakam jaya") == ["PT Mahakam Jaya Sentosa"]
    assert _shown(client, q="912000") == ["PT Mahakam Jaya Sentosa"]
    assert _shown(client, q="01.234.567") == ["CV Tepian Makmur"]


@pytest.mark.django_db
def test_filter_by_case_stage_and_the_kind_it_calls_for(admin_provinsi) -> None:
    fresh = _company("PT Belum Disurati", "64.72", "wajib_belum_daftar")
    late = _company("PT Imbauan Lewat", "64.72", "wajib_belum_daftar")
    waiting = _company("PT Imbauan Berjalan", "64.72", "wajib_belum_daftar")
    objecting = _company("PT Keberatan", "64.72", "wajib_belum_daftar")
    warned = _company("PT Teguran Lewat", "64.72", "pds_upah")
    _case(late, "imbauan", -3)
    _case(waiting, "imbauan", 5)
    _case(objecting, "imbauan", -3, paused=True)  # paused: not due for the next letter
    _case(warned, "teguran_1", -1)
    client = client_for(admin_provinsi)
    assert _shown(client, tahap="belum_surat") == [fresh.name]
    assert _shown(client, tahap="imbauan_lewat") == [late.name]
    assert _shown(client, tahap="teguran_1_lewat") == [warned.name]
    assert _shown(client, tahap="berjalan") == [waiting.name, objecting.name]
    page = client.get(URL, {"tahap": "imbauan_lewat"})
    assert page.context["form"]["kind"].value() == LetterKind.TEGURAN_1
    assert "lewat batas waktu" in page.text


@pytest.mark.django_db
def test_duplicate_names_are_shown_with_kabkota_and_nib(admin_provinsi) -> None:
    _company("PT Anugerah Agung Energi", "64.72", nib="1200001512529", address="Jl. Letjen 244")
    _company("PT Anugerah Agung Energi", "64.08", nib="1200000768143", address="Jl. Mulawarman")
    page = client_for(admin_provinsi).get(URL, {"q": "Anugerah Agung"})
    rows = page.text.split('name="companies"')[1:]
    assert len(rows) == 2
    assert "Kota Samarinda" in rows[0] + rows[1] and "Kutai Timur" in rows[0] + rows[1]
    assert "NIB 1200001512529" in page.text and "NIB 1200000768143" in page.text


@pytest.mark.django_db
def test_operator_sees_and_picks_only_their_kabkota(op_samarinda) -> None:
    own = _company("PT Samarinda Sendiri", "64.72", "wajib_belum_daftar")
    other = _company("PT Balikpapan Lain", "64.71", "wajib_belum_daftar")
    client = client_for(op_samarinda)
    assert _shown(client) == [own.name]
    assert _shown(client, kabkota="64.71") == []  # asking for another kab/kota shows nothing
    response = client.post(URL, {"kind": LetterKind.IMBAUAN, "companies": [own.pk, other.pk]})
    assert response.status_code == 200
    assert f"Perusahaan {other.pk} tidak ditemukan di wilayah kerja Anda" in response.text
    # "all matching" with a crafted kab/kota filter matches nothing of the other kab/kota either
    response = client.post(
        URL, {"kind": LetterKind.IMBAUAN, "all_matching": "on", "kabkota": "64.71"}
    )
    assert "Tidak ada perusahaan yang cocok dengan saringan ini." in response.text
    assert not LetterBatch.objects.exists()


@pytest.mark.django_db
def test_nothing_checked_is_refused_in_indonesian(admin_provinsi) -> None:
    checked = _company("PT Dicentang", "64.72", "wajib_belum_daftar")
    client = client_for(admin_provinsi)
    response = client.post(URL, {"kind": LetterKind.IMBAUAN, "q": "dicentang"})
    assert "Centang paling sedikit satu perusahaan" in response.text
    assert [c.name for c in response.context["rows"]] == [checked.name]  # the filter is kept
    response = client.post(URL, {"kind": LetterKind.IMBAUAN, "all_matching": "on"})
    assert "Saring dulu" in response.text
    assert not LetterBatch.objects.exists()


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_all_matching_makes_one_letter_per_filtered_company(op_samarinda) -> None:
    a = _company("PT Satu Belum", "64.72", "wajib_belum_daftar")
    b = _company("PT Dua Belum", "64.72", "wajib_belum_daftar")
    _company("PT Tiga Patuh", "64.72", "patuh")
    response = client_for(op_samarinda).post(
        URL, {"kind": LetterKind.IMBAUAN, "all_matching": "on", "status": "wajib_belum_daftar"}
    )
    assert response.status_code == 302
    letters = OutgoingLetter.objects.filter(batch=LetterBatch.objects.get())
    assert {x.company_id for x in letters} == {a.pk, b.pk}


@pytest.mark.django_db
def test_htmx_filter_returns_only_the_table(admin_provinsi) -> None:
    _company("PT Htmx Uji", "64.72", "pds_program")
    response = client_for(admin_provinsi).get(
        URL, {"status": "pds_program"}, headers={"HX-Request": "true", "HX-Target": "picker"}
    )
    assert "<html" not in response.text and "PT Htmx Uji" in response.text
    assert '<input type="hidden" name="status" value="pds_program">' in response.text
    assert 'id="picked-count" hx-swap-oob="true"' in response.text
    assert "kind-slot" not in response.text  # a status filter leaves the chosen kind alone
    response = client_for(admin_provinsi).get(
        URL, {"tahap": "teguran_1_lewat"}, headers={"HX-Request": "true", "HX-Target": "picker"}
    )
    assert 'id="kind-slot" hx-swap-oob="true"' in response.text
    assert '<option value="teguran_2" selected>' in response.text


@pytest.mark.django_db
def test_the_table_is_capped_with_a_message(admin_provinsi, monkeypatch) -> None:
    from lindung.letters import views

    monkeypatch.setattr(views, "PICKER_LIMIT", 2)
    for i in range(3):
        _company(f"PT Banyak {i}", "64.72", "patuh")
    page = client_for(admin_provinsi).get(URL)
    assert len(page.context["rows"]) == 2
    assert "Menampilkan 2 pertama dari 3 perusahaan" in page.text
