"""Demo companies and employers: deterministic, realistic, loaded through the import path."""

from __future__ import annotations

import polars as pl
import pytest

from lindung.compliance.models import Company, CompanyMatch, CompanyStatus, Employer
from lindung.demo.companies import generate_companies, load_demo_companies


def test_generate_is_deterministic_and_realistic():
    companies, employers = generate_companies(600, seed=5)
    again, _ = generate_companies(600, seed=5)
    assert companies.equals(again)
    assert companies.height == 600
    assert companies["nama"].str.contains(r"^(PT|CV|UD) ").all()
    assert companies["kabupaten_kota"].n_unique() >= 9
    assert set(companies["skala_usaha"]) <= {"mikro", "kecil", "menengah", "besar"}
    assert 0.05 < (companies["nib"] == "").to_numpy().mean() < 0.25
    assert 0.6 < employers.height / companies.height < 0.8  # ~70% registered
    assert employers["npp"].is_unique().all()
    variants = set(employers["_variasi"])
    assert {"bentuk_panjang", "bentuk_di_belakang", "urutan", "titik"} <= variants
    blank_npwp = (employers["npwp"] == "").to_numpy().mean()
    assert blank_npwp > (companies["npwp"] == "").to_numpy().mean()
    injected = employers["_pelanggaran"]
    for kind in ("tenaga_kerja", "upah", "program"):
        assert injected.str.contains(kind).sum() > 10
    joined = employers.join(companies, left_on="_company_id", right_on="_id")
    under = joined.filter(pl.col("_pelanggaran").str.contains("tenaga_kerja"))
    assert (under["tenaga_kerja_terdaftar"] < under["jumlah_pekerja"]).all()


@pytest.mark.django_db
def test_loaded_through_the_import_path_then_matched():
    from lindung.compliance.matching import match_companies
    from lindung.compliance.status import recompute_statuses

    done = load_demo_companies(300, seed=3)
    companies, employers = generate_companies(300, seed=3)
    assert done == {"companies": 300, "employers": employers.height}
    assert Company.objects.count() == 300 and Employer.objects.count() == employers.height
    result = match_companies()
    assert result.automatic >= 0.9 * employers.height
    recompute_statuses(2026)
    assert CompanyStatus.objects.count() == 300
    statuses = set(CompanyStatus.objects.values_list("status", flat=True))
    assert {"wajib_belum_daftar", "pds_tenaga_kerja", "pds_upah", "patuh"} <= statuses
    # automatic pairs agree with the truth
    truth_frame = employers.join(companies, left_on="_company_id", right_on="_id")
    truth = dict(zip(truth_frame["npp"], truth_frame["nama_right"], strict=True))
    auto = CompanyMatch.objects.filter(decision="otomatis").select_related("employer", "company")
    assert all(m.company.name == truth[m.employer.npp] for m in auto)
