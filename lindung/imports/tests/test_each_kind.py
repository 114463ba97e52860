"""Every kind of file goes through the same command, with its own Indonesian/English headers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from lindung import nik as nik_module
from lindung.compliance.models import Company, Employer
from lindung.matching.models import Participant

pytestmark = pytest.mark.django_db


def _nik(day: int, sex: str = "L") -> str:
    return nik_module.make_nik("647201", dt.date(1979, 3, day), sex, day)


def test_bpjs_participants_with_english_headers(tmp_path):
    path = tmp_path / "peserta.csv"
    path.write_text(
        "NIK,Full Name,Date of Birth,Sex,Segment,Membership Status,Employer Number,Region Code,"
        "Start Date,Programmes,Reported Wage,Payer\n"
        f'{_nik(1)},Ahmad Yani,01/03/1979,M,PU,ACTIVE,NPP1234567,64.72,2020-01-01,"JKK, JKM, JHT",'
        '"3,500,000",employer\n'
        f"{_nik(2, 'P')},Siti Rahma,2 Maret 1979,Perempuan,BPU,Nonaktif,,64.72,15-06-2021,JKK/JKM,"
        "1000000,mandiri\n",
        encoding="utf-8-sig",
    )
    call_command("import", "participants", str(path))
    pu = Participant.objects.get(nik=_nik(1))
    assert (pu.segment, pu.status, pu.npp, pu.programmes) == (
        "PU",
        "AKTIF",
        "NPP1234567",
        "JHT,JKK,JKM",
    )
    assert pu.kabkota_id == "64.72" and pu.reported_wage == 3_500_000
    bpu = Participant.objects.get(nik=_nik(2, "P"))
    assert (bpu.segment, bpu.status, bpu.sex, bpu.birth_date) == (
        "BPU",
        "NONAKTIF",
        "P",
        dt.date(1979, 3, 2),
    )


def test_company_list_in_windows_1252_with_kabkota_names(tmp_path):
    path = tmp_path / "perusahaan.csv"
    path.write_bytes(
        "Nama Perusahaan;NIB;NPWP;Alamat;Kabupaten/Kota;KBLI;Skala Usaha;Jumlah Pekerja\n"
        "PT Sinar Mahakam Jaya;1234567890123;01.234.567.8-722.000;Jl. Sudirman No. 5;"
        "Samarinda;46100;Menengah;120\n"
        "CV Kopi Tepian Café;;;Jl. Tepian;Kab. Kutai Kartanegara;56303;kecil;12\n".encode("cp1252")
    )
    call_command("import", "companies", str(path))
    assert Company.objects.get(nib="1234567890123").kabkota_id == "64.72"
    cafe = Company.objects.get(name="CV Kopi Tepian Café")
    assert (cafe.kabkota_id, cafe.size_class, cafe.employees_reported) == ("64.02", "kecil", 12)


def test_companies_file_with_npp_is_read_as_bpjs_employer_data(tmp_path):
    path = tmp_path / "pemberi-kerja.csv"
    path.write_text(
        "NPP;Nama Perusahaan;NPWP;Kab/Kota;Jumlah TK;Program;Rata-rata Upah\n"
        "NPP1234567;PT. Sinar Mahakam Jaya;012345678722000;Kota Samarinda;80;JKK JKM JHT;"
        "Rp 3.100.000\n"
    )
    call_command("import", "companies", str(path))
    employer = Employer.objects.get(npp="NPP1234567")
    assert (employer.workforce_registered, employer.average_wage) == (80, 3_100_000)
    assert not Company.objects.exists()
