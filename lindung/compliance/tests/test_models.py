"""Company and Employer: name keys, NPWP digits, natural-key constraints and scoping."""

from __future__ import annotations

import polars as pl
import pytest
from django.db import IntegrityError, transaction

from lindung.accounts.access import scoped
from lindung.audit.models import AuditEntry
from lindung.compliance.models import Company, CompanyStatus, Employer, npwp_digits
from lindung.compliance.names import company_name_key, company_name_key_expr
from lindung.registry.names import search_key

pytestmark = pytest.mark.django_db

NAMES = {
    "PT. Maju Jaya Tbk": "maju jaya",
    "P.T. MAJU JAYA": "maju jaya",
    "Maju Jaya, PT": "maju jaya",
    "PT Bank Pembangunan Daerah Kaltim (Persero)": "bank pembangunan daerah kaltim",
    "CV. Sumber Rejeki": "sumber rejeki",
    "UD Berkah Abadi": "berkah abadi",
    "U.D. Berkah Abadi": "berkah abadi",
    "Perseroan Terbatas Kaltim Prima Coal": "kaltim prima coal",
    "PT": "pt",
    "Koperasi Nelayan Muara": "koperasi nelayan muara",
    "Ptolemy Trading": "ptolemy trading",
}


@pytest.mark.parametrize(("name", "key"), NAMES.items())
def test_company_name_key(name, key):
    assert company_name_key(name) == key


def test_vectorised_name_key_agrees():
    names = [*NAMES, "PT  Bumi-Etam", "CV", "Tbk PT"]
    keys = [search_key(n) for n in names]
    vectorised = pl.select(company_name_key_expr(pl.lit(pl.Series(keys)))).to_series()
    assert vectorised.to_list() == [company_name_key(n) for n in names]


def test_save_normalises_name_key_and_npwp():
    c = Company.objects.create(
        name="PT. Maju Jaya", npwp="01.234.567.8-901.000", kabkota_id="64.72"
    )
    assert (c.name_key, c.npwp) == ("maju jaya", "012345678901000")
    assert npwp_digits("01.234.567.8-901.000") == "012345678901000"


def test_company_natural_key_constraints():
    Company.objects.create(name="PT A", nib="111", npwp="1", kabkota_id="64.72")
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(name="PT A cabang", nib="111", kabkota_id="64.71")
    # NPWP is the key only without NIB: branches with their own NIB may share it.
    Company.objects.create(name="PT A cabang", nib="112", npwp="1", kabkota_id="64.71")
    Company.objects.create(name="PT C", npwp="2", kabkota_id="64.72")
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(name="PT C lain", npwp="2", kabkota_id="64.72")
    # Without NIB and NPWP the normalised name is the key, within one kab/kota.
    Company.objects.create(name="UD Berkah", kabkota_id="64.72")
    Company.objects.create(name="UD Berkah", kabkota_id="64.71")
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(name="U.D. BERKAH", kabkota_id="64.72")
    assert Company.objects.count() == 5


def test_employer_npp_unique_and_scoped(op_samarinda, admin_provinsi):
    Employer.objects.create(npp="NN01", name="PT Satu", kabkota_id="64.72", programmes="JKK,JKM")
    Employer.objects.create(npp="NN02", name="PT Dua", kabkota_id="64.71")
    Employer.objects.create(npp="NN03", name="PT Tanpa Wilayah")
    with pytest.raises(IntegrityError), transaction.atomic():
        Employer.objects.create(npp="NN01", name="Salinan")
    assert list(scoped(op_samarinda, Employer.objects.all()).values_list("npp", flat=True)) == [
        "NN01"
    ]
    assert scoped(admin_provinsi, Employer.objects.all()).count() == 3
    assert Employer.objects.get(npp="NN01").programme_list == ["JKK", "JKM"]


def test_companies_scoped_and_audited(op_balikpapan):
    c = Company.objects.create(name="PT Balikpapan", nib="9", kabkota_id="64.71")
    Company.objects.create(name="PT Samarinda", nib="8", kabkota_id="64.72")
    assert list(scoped(op_balikpapan, Company.objects.all())) == [c]
    c.employees_reported = 40
    c.save()
    update = AuditEntry.objects.get(
        object_type="compliance.company", object_id=str(c.pk), action="update"
    )
    assert update.changes == {"employees_reported": [None, 40]}


def test_further_findings_are_shown_by_their_labels_not_their_codes():
    status = CompanyStatus(
        status="pds_tenaga_kerja",
        findings=[
            {"status": "pds_tenaga_kerja"},
            {"status": "pds_upah"},
            {"status": "pds_program"},
        ],
    )
    assert status.further_findings == ["PDS upah", "PDS program"]
