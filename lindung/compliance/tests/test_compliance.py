"""Matching, statuses with evidence, editable rules, scoping and pages of compliance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from lindung import testing
from lindung.audit.models import AuditEntry
from lindung.compliance import services
from lindung.compliance.matching import match_companies
from lindung.compliance.models import (
    Company,
    CompanyMatch,
    CompanyStatus,
    ComplianceSettings,
    Employer,
    MatchDecision,
    MinimumWage,
    ProgrammeRequirement,
)
from lindung.compliance.status import recompute_statuses

pytestmark = pytest.mark.django_db

SMD, BPN = "64.72", "64.71"
_npp = iter(range(10_000_000, 20_000_000))


def company(name: str, kab: str = SMD, **kw: object) -> Company:
    kw.setdefault("address", "Jl. Pahlawan No. 12")
    kw.setdefault("size_class", "kecil")
    kw.setdefault("employees_reported", 10)
    return Company.objects.create(name=name, kabkota_id=kab, **kw)


def employer(name: str, kab: str | None = SMD, **kw: object) -> Employer:
    kw.setdefault("address", "Jalan Pahlawan Nomor 12")
    kw.setdefault("workforce_registered", 10)
    kw.setdefault("programmes", "JKK,JKM,JHT")
    kw.setdefault("average_wage", 4_500_000)
    return Employer.objects.create(npp=str(next(_npp)), name=name, kabkota_id=kab, **kw)


def pair(c: Company) -> CompanyMatch:
    return CompanyMatch.objects.filter(company=c).order_by("-score")[:1].get()


# --- matching -------------------------------------------------------------------------------------


def test_exact_keys_npwp_and_nib():
    by_npwp = company("PT Sinar Mahakam", npwp="01.234.567.8-721.000")
    e1 = employer("PT Nama Lain Sekali", npwp="012345678721000", address="")
    by_nib = company("CV Tepian Indah", nib="1234567890123")
    e2 = employer("CV Benar Benar Beda", nib="1234567890123", kab=BPN)
    match_companies()
    m1, m2 = pair(by_npwp), pair(by_nib)
    assert (m1.employer, m1.method, m1.decision, m1.score) == (e1, "npwp", "otomatis", 1.0)
    assert m1.reason == "NPWP sama, kab/kota sama"
    assert (m2.employer, m2.method, m2.decision) == (e2, "nib", "otomatis")
    assert m2.reason == "NIB sama, kab/kota berbeda"


@pytest.mark.parametrize(
    "variant",
    ["PT. MAHAKAM JAYA LESTARI", "Mahakam Jaya Lestari, PT",
     "Perseroan Terbatas Mahakam Jaya Lestari", "PT Jaya Mahakam Lestari",
     "P.T. Mahakam Jaya Lestari"],
)  # fmt: skip
def test_name_variants_in_same_kabkota_match_automatically(variant):
    c = company("PT Mahakam Jaya Lestari")
    e = employer(variant)
    employer("PT Mahakam Jaya Lestari", kab=BPN)  # a namesake elsewhere does not compete
    match_companies()
    m = pair(c)
    assert (m.employer, m.decision, m.method) == (e, "otomatis", "nama")
    assert "kab/kota sama" in m.reason and "alamat sama" in m.reason


def test_namesake_in_other_kabkota_is_only_proposed_for_review():
    c = company("PT Borneo Prima Coal", kab=SMD)
    e = employer("PT Borneo Prima Coal", kab=BPN)
    match_companies()
    m = pair(c)
    assert (m.employer, m.decision) == (e, MatchDecision.REVIEW)
    assert m.reason == "nama sama, kab/kota berbeda"


def test_uncertain_goes_to_review_with_reason():
    c = company("CV Karya Etam Konstruksi", address="Jl. Juanda No. 5")
    e = employer("CV Karya Etam", address="Jl. Juanda No. 77")
    match_companies()
    m = pair(c)
    assert (m.employer, m.decision) == (e, MatchDecision.REVIEW)
    assert m.reason.startswith("nama mirip 0,") and "alamat mirip 0," in m.reason


def test_decisions_are_remembered_on_rerun(admin_provinsi):
    rejected_c = company("PT Borneo Prima Coal")
    rejected_e = employer("PT Borneo Prima Coal", kab=BPN)
    accepted_c = company("CV Karya Etam Konstruksi", address="Jl. Juanda No. 5")
    accepted_e = employer("CV Karya Etam", address="Jl. Juanda No. 77")
    match_companies()
    services.decide(admin_provinsi, pair(rejected_c), accept=False)
    services.decide(admin_provinsi, pair(accepted_c), accept=True)
    result = match_companies()
    assert result.kept_decisions == 2
    rows = {(m.company_id, m.employer_id): m for m in CompanyMatch.objects.all()}
    assert rows[(rejected_c.pk, rejected_e.pk)].decision == MatchDecision.REJECTED
    kept = rows[(accepted_c.pk, accepted_e.pk)]
    assert (kept.decision, kept.decided_by) == (MatchDecision.ACCEPTED, admin_provinsi)
    assert len(rows) == 2  # the rejected pair is not proposed again
    assert AuditEntry.objects.filter(object_type="compliance.companymatch").exists()


# --- statuses -----------------------------------------------------------------------------------


def _status(c: Company) -> CompanyStatus:
    return CompanyStatus.objects.get(company=c)


def test_each_status_with_its_evidence():
    unregistered = company("PT Tidak Terdaftar", npwp="1")
    workforce = company("PT Kurang Pekerja", npwp="2", employees_reported=50)
    employer("x", npwp="2", workforce_registered=20, programmes="JKK,JKM,JHT")
    wage = company("PT Upah Rendah", npwp="3")
    employer("x", npwp="3", average_wage=3_000_000)
    programme = company("PT Kurang Program", npwp="4", size_class="menengah")
    employer("x", npwp="4", programmes="JKK,JKM,JHT")
    ok = company("PT Patuh", npwp="5")
    employer("x", npwp="5")
    several = company("PT Banyak Temuan", npwp="6", size_class="besar", employees_reported=300)
    employer("x", npwp="6", workforce_registered=100, average_wage=3_100_000, programmes="JKK,JKM")
    match_companies()
    recompute_statuses(2026)

    s = _status(unregistered)
    assert s.status == "wajib_belum_daftar" and s.findings[0]["pekerja_dilaporkan"] == 10
    s = _status(workforce)
    assert s.status == "pds_tenaga_kerja"
    assert s.findings[0] | {} == {
        "status": "pds_tenaga_kerja", "pekerja_dilaporkan": 50, "pekerja_terdaftar": 20,
        "selisih": 30, "toleransi": 5,
    }  # fmt: skip
    s = _status(wage)
    assert s.status == "pds_upah"
    assert s.findings[0]["upah_acuan"] == 3_983_882  # UMK Samarinda 2026 (seeded)
    assert s.findings[0]["acuan"] == "UMK 2026 Kota Samarinda"
    assert s.evidence["upah_minimum"]["sumber"]
    s = _status(programme)
    assert s.status == "pds_program" and s.findings[0]["program_kurang"] == ["JP"]
    assert _status(ok).status == "patuh" and _status(ok).findings == []
    s = _status(several)
    assert s.status == "pds_tenaga_kerja"  # the most serious headline
    assert [f["status"] for f in s.findings] == ["pds_tenaga_kerja", "pds_upah", "pds_program"]
    assert s.findings[2]["program_kurang"] == ["JHT", "JP"]


def test_labour_report_wage_and_ump_fallback():
    c = company("PT Upah WLKP", npwp="7", wage_reported=6_000_000)
    employer("x", npwp="7", average_wage=5_000_000)
    mahulu = company("PT Hulu", npwp="8", kab="64.11")  # no UMK 2026: the UMP applies
    employer("x", npwp="8", kab="64.11", average_wage=3_700_000)
    match_companies()
    recompute_statuses(2026)
    assert _status(c).findings[0]["acuan"] == "upah laporan WLKP"
    f = _status(mahulu).findings[0]
    assert (f["acuan"], f["upah_acuan"]) == ("UMP 2026 Kalimantan Timur", 3_762_431)


def test_editable_rules_change_the_outcome():
    workforce = company("PT Selisih Kecil", npwp="2", employees_reported=50)
    employer("x", npwp="2", workforce_registered=45)  # 5 missing: within 10% of 50
    wage = company("PT Upah Pas", npwp="3")
    employer("x", npwp="3", average_wage=3_900_000)
    programme = company("PT Mikro", npwp="4", size_class="mikro")
    employer("x", npwp="4", programmes="JKK,JKM")
    match_companies()
    recompute_statuses(2026)
    assert _status(workforce).status == "patuh"
    assert _status(wage).status == "pds_upah"
    assert _status(programme).status == "patuh"

    settings = ComplianceSettings.current()
    settings.workforce_tolerance_pct = Decimal("5")
    settings.save()
    MinimumWage.objects.filter(year=2026, region_id=SMD).update(amount=Decimal("3800000"))
    ProgrammeRequirement.objects.filter(size_class="mikro").update(programmes="JKK,JKM,JHT")
    recompute_statuses(2026)
    assert _status(workforce).status == "pds_tenaga_kerja"
    assert _status(wage).status == "patuh"
    assert _status(programme).status == "pds_program"


# --- pages and scoping ----------------------------------------------------------------------------


@pytest.fixture
def two_companies():
    smd = company("PT Samarinda Makmur", npwp="11")
    bpn = company("PT Balikpapan Raya", kab=BPN, npwp="12", address="Jl. Juanda No. 1")
    employer("PT Balikpapan Raya", kab=BPN, npwp="", address="Jl. Juanda No. 9")
    match_companies()
    recompute_statuses(2026)
    return smd, bpn


def test_pages_render_and_are_scoped(two_companies, op_samarinda, pimpinan):
    smd, bpn = two_companies
    op = testing.client_for(op_samarinda)
    page = op.get(reverse("compliance:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "PT Samarinda Makmur" in html and "PT Balikpapan Raya" not in html
    assert "Wajib belum daftar" in html
    assert op.get(reverse("compliance:company-detail", args=[bpn.pk])).status_code == 404
    detail = op.get(reverse("compliance:company-detail", args=[smd.pk]))
    assert (
        detail.status_code == 200
        and "Tidak ada pemberi kerja BPJS yang cocok" in detail.content.decode()
    )
    assert op.get(reverse("compliance:review")).status_code == 200
    # another kab/kota in the URL: still their own companies, not "0 perusahaan"
    other = op.get(reverse("compliance:list"), {"kabkota": BPN}).content.decode()
    assert "PT Samarinda Makmur" in other and "PT Balikpapan Raya" not in other

    leader = testing.client_for(pimpinan)
    html = leader.get(reverse("compliance:list") + "?status=wajib_belum_daftar").content.decode()
    assert "PT Samarinda Makmur" in html and "PT Balikpapan Raya" in html
    review = leader.get(reverse("compliance:review")).content.decode()
    assert "nama sama" in review and "Terima" not in review  # leaders look, do not decide
    pending = CompanyMatch.objects.get(company=bpn)
    url = reverse("compliance:decide", args=[pending.pk, "terima"])
    assert leader.post(url).status_code == 403
    assert op.post(url).status_code == 404  # another kab/kota


def test_one_click_accept_updates_status(two_companies, op_balikpapan, petugas_bpjs):
    _smd, bpn = two_companies
    assert _status(bpn).status == "wajib_belum_daftar"
    assert testing.client_for(petugas_bpjs).get(reverse("compliance:list")).status_code == 403
    client = testing.client_for(op_balikpapan)
    pending = CompanyMatch.objects.get(company=bpn)
    response = client.post(
        reverse("compliance:decide", args=[pending.pk, "terima"]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Diterima" in response.content.decode()
    pending.refresh_from_db()
    assert (pending.decision, pending.decided_by) == ("diterima", op_balikpapan)
    assert _status(bpn).status == "patuh"
    assert AuditEntry.objects.filter(
        object_type="compliance.companymatch", object_id=str(pending.pk), action="update"
    ).exists()


def test_command_runs(two_companies, capsys):
    from django.core.management import call_command

    call_command("compliance_status", year=2026, verbosity=0)
    out = capsys.readouterr().out
    assert "Pencocokan:" in out and "wajib_belum_daftar: 2" in out
