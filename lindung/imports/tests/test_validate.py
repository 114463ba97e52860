"""Validation of whole files: which rows are accepted, flagged or refused, and why (no DB)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindung.imports.headers import map_columns
from lindung.imports.reading import FileRefused, RawTable, read_table
from lindung.imports.schemas import COMPANIES, PARTICIPANTS, WORKERS
from lindung.imports.validate import ISSUE_SCHEMA, issue_messages, validate
from lindung.nik import check as check_nik
from lindung.nik import make_nik

TODAY = dt.date(2026, 11, 26)
MB = 1024 * 1024


def nik(serial: int, born: dt.date = dt.date(1985, 8, 17), sex: str = "L") -> str:
    return make_nik("647201", born, sex, serial)


def csv_table(tmp_path: Path, text: str, **kwargs) -> RawTable:
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return read_table(path, max_bytes=100 * MB, **kwargs)


def check(table: RawTable, schema=WORKERS, overrides=None):
    mapping = map_columns(table.headers, schema, overrides)
    return validate(table, schema, mapping, today=TODAY)


def issues_of(result) -> list[tuple[int, str | None, str, str]]:
    return [
        (row["row"], row["column"], row["severity"], row["problem"])
        for row in result.issues.iter_rows(named=True)
    ]


HEADER = "NIK,Nama,Tgl Lahir,JK,Kode Desa,Penghasilan,Desil\n"


def test_clean_rows_are_accepted_with_parsed_types(tmp_path):
    text = HEADER + (
        f"{nik(1)},Budi Santoso,17-08-1985,L,6472011001,Rp 1.500.000,3\n"
        f'{nik(2, sex="P")}, Siti  Aminah ,17/08/1985,Perempuan,64.72.01.1001,"1,750,000",\n'
    )
    result = check(csv_table(tmp_path, text))
    assert result.issues.is_empty()
    assert result.counts == {"total": 2, "accepted": 2, "rejected": 0, "flagged": 0}
    assert result.rows.schema == pl.Schema(
        {
            "nik": pl.String,
            "nama": pl.String,
            "tanggal_lahir": pl.Date,
            "jenis_kelamin": pl.String,
            "kode_wilayah": pl.String,
            "penghasilan_bulanan": pl.Int64,
            "desil": pl.Int64,
            "nik_status": pl.String,
            "__row": pl.Int64,
        }
    )
    assert result.rows.row(1) == (
        nik(2, sex="P"), "Siti Aminah", dt.date(1985, 8, 17), "P", "64.72.01.1001", 1_750_000, None,
        "valid", 3,
    )  # fmt: skip
    assert result.summary() == "2 baris dibaca: 2 diterima (0 ditandai), 0 ditolak."
    assert dict(result.issues.schema) == ISSUE_SCHEMA


def test_duplicate_rows_keep_the_first(tmp_path):
    row = f"{nik(1)},Budi,17-08-1985,L,6472011001,1500000,3\n"
    other = f"{nik(2)},Andi,17-08-1985,L,6472011001,1500000,3\n"
    # Row 6 is the same data as row 2, only spelt differently: also a duplicate.
    respelt = f"{nik(1)}, Budi ,17/08/1985,l,64.72.01.1001,Rp 1.500.000,3\n"
    result = check(csv_table(tmp_path, HEADER + row + other + row + row + respelt))
    assert issues_of(result) == [
        (4, None, "ditolak", "Baris duplikat dari baris 2"),
        (5, None, "ditolak", "Baris duplikat dari baris 2"),
        (6, None, "ditolak", "Baris duplikat dari baris 2"),
    ]
    assert result.rows["__row"].to_list() == [2, 3]
    assert (result.accepted_rows, result.rejected_rows) == (2, 3)
    assert result.messages[0] == "Baris 4: Baris duplikat dari baris 2"


def test_same_nik_with_conflicting_data_rejects_every_row_of_that_nik(tmp_path):
    same = nik(7)
    lines = [
        f"{nik(1)},Satu,17-08-1985,L,6472011001,,\n",  # row 2
        f"{nik(2)},Dua,17-08-1985,L,6472011001,,\n",  # row 3
        f"{nik(3)},Tiga,17-08-1985,L,6472011001,,\n",  # row 4
        f"{same},Ahmad,17-08-1985,L,6472011001,,\n",  # row 5
        f"{nik(4)},Empat,17-08-1985,L,6472011001,,\n",  # row 6
        f"{nik(5)},Lima,17-08-1985,L,6472011001,,\n",  # row 7
        f"{nik(6)},Enam,17-08-1985,L,6472011001,,\n",  # row 8
        f"{same},Ahmat,17-08-1985,L,6472011001,,\n",  # row 9
        f"{same},Ahmad,17-08-1985,L,6472011002,,\n",  # row 10
        f"{same},Ahmad,17-08-1985,L,6472011002,,\n",  # row 11: exact duplicate of 10
    ]
    result = check(csv_table(tmp_path, HEADER + "".join(lines)))
    found = issues_of(result)
    differ = "tetapi data berbeda (Nama dan Kode wilayah (desa) berbeda)"
    assert (5, "NIK", "ditolak", f"NIK sama dengan baris 9 dan 10 {differ}") in found
    assert (9, "NIK", "ditolak", f"NIK sama dengan baris 5 dan 10 {differ}") in found
    assert (11, None, "ditolak", "Baris duplikat dari baris 10") in found
    assert sorted(result.rows["__row"].to_list()) == [2, 3, 4, 6, 7, 8]
    assert result.rejected_rows == 4


def test_damaged_and_invalid_niks_are_flagged_but_kept(tmp_path):
    text = HEADER + (
        "6.47201E+15,Sci,17-08-1985,L,6472011001,,\n"
        "6472011708850,Pendek,17-08-1985,L,6472011001,,\n"
        "9972011708850001,Provinsi,17-08-1985,L,6472011001,,\n"
        f"'{nik(9)},Apostrof,17-08-1985,L,6472011001,,\n"
        ",Tanpa NIK,17-08-1985,L,6472011001,,\n"
    )
    result = check(csv_table(tmp_path, text))
    assert result.rows.select("nik", "nik_status").rows() == [
        ("6.47201E+15", "rusak"),
        ("6472011708850", "tidak_valid"),
        ("9972011708850001", "tidak_valid"),
        (nik(9), "valid"),
    ]
    assert issues_of(result) == [
        (2, "NIK", "ditandai", check_nik("6.47201E+15").message),
        (3, "NIK", "ditandai", check_nik("6472011708850").message),
        (4, "NIK", "ditandai", check_nik("9972011708850001").message),
        (6, "NIK", "ditolak", "NIK wajib diisi"),
    ]
    assert result.issues["problem"][0].startswith("NIK rusak oleh Excel (notasi ilmiah")
    assert result.flagged_rows == 3


def test_damaged_niks_never_conflict_with_each_other(tmp_path):
    text = HEADER + (
        "6.47201E+15,Satu,17-08-1985,L,6472011001,,\n6.47201E+15,Dua,17-08-1985,L,6472011001,,\n"
    )
    result = check(csv_table(tmp_path, text))
    assert result.accepted_rows == 2


def test_excel_zeroed_sixteenth_digit_is_detected_per_file(tmp_path):
    path = tmp_path / "angka.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["NIK", "Nama", "Desa"])
    for i in range(1, 31):  # Excel kept 15 digits: every NIK typed as a number ends in 0
        sheet.write_number(i, 0, int(nik(i * 10)[:15] + "0"))
        sheet.write_row(i, 1, [f"Orang {i}", "Sidomulyo"])
    book.close()
    result = check(read_table(path, max_bytes=MB))
    assert set(result.rows["nik_status"]) == {"rusak"}
    expected = check_nik(result.rows["nik"][0], zeroed_tail_suspect=True).message
    assert expected.startswith("Digit ke-16 NIK")
    assert result.issues["problem"].to_list() == [expected] * 30
    assert result.accepted_rows == 30


def test_required_blank_or_unreadable_rejects_optional_unreadable_flags(tmp_path):
    participants = (
        "NIK,Nama,Segmen,Status,Program,Upah,Tgl Kepesertaan\n"
        f'{nik(1)},Budi,BPU,Aktif,"JKK, JKM",Rp 2.000.000,01-01-2026\n'
        f"{nik(2)},Andi,Honorer,Aktif,JKK,,\n"
        f"{nik(3)},,BPU,Aktif,JKK,,\n"
        f"{nik(4)},Cici,PU,Aktif,JKK/JKX,sejuta,31-02-2026\n"
    )
    result = check(csv_table(tmp_path, participants), PARTICIPANTS)
    assert issues_of(result) == [
        (3, "Segmen", "ditolak", "Segmen 'Honorer' tidak dikenali; pilihan: PU, BPU, JAKON"),
        (4, "Nama", "ditolak", "Nama wajib diisi"),
        (
            5,
            "Program",
            "ditandai",
            "Program 'JKX' tidak dikenali; pilihan: JKK, JKM, JHT, JP, JKP (dikosongkan)",
        ),
        (
            5,
            "Upah",
            "ditandai",
            "Jumlah uang 'sejuta' tidak dikenali; tulis angka, misalnya 1500000 atau "
            "Rp 1.500.000 (dikosongkan)",
        ),
        (
            5,
            "Tgl Kepesertaan",
            "ditandai",
            "Tanggal 31-02-2026 tidak ada di kalender (dikosongkan)",
        ),
    ]
    assert result.rows.select(
        "segmen", "status", "program", "upah", "tanggal_kepesertaan"
    ).rows() == [
        ("BPU", "AKTIF", "JKK,JKM", 2_000_000, dt.date(2026, 1, 1)),
        ("PU", "AKTIF", None, None, None),
    ]
    assert (result.accepted_rows, result.flagged_rows, result.rejected_rows) == (2, 1, 2)


def test_over_long_cell_rejects_the_row_naming_column_and_length(tmp_path):
    text = (
        HEADER
        + f"{nik(1)},{'x' * 20_000},17-08-1985,L,6472011001,,\n{nik(2)},Budi,,,6472011001,,\n"
    )
    result = check(csv_table(tmp_path, text))
    assert issues_of(result) == [
        (2, "Nama", "ditolak", "Isi sel terlalu panjang: 20.000 karakter; maksimum 10.000")
    ]
    assert result.issues["value"][0] == "x" * 99 + "…"
    assert result.rows["__row"].to_list() == [3]


def test_fifty_megabyte_cell_is_rejected_without_trouble(tmp_path):
    text = HEADER + f"{nik(1)},Budi,,,6472011001,,\n{nik(2)},{'y' * (50 * MB)},,,6472011001,,\n"
    result = check(csv_table(tmp_path, text))
    assert issues_of(result) == [
        (3, "Nama", "ditolak", "Isi sel terlalu panjang: 52.428.800 karakter; maksimum 10.000")
    ]
    assert len(result.issues["value"][0]) == 100


def test_formula_injection_is_kept_as_text(tmp_path):
    text = "NIK,Nama,Alamat,Desa\n" + (
        f'{nik(1)},"=HYPERLINK(""http://evil"",""klik"")",+6281234,Desa\n'
        f"{nik(2)},@SUM(A1:A9),-1+1,=cmd|' /C calc'!A0\n"
    )
    result = check(csv_table(tmp_path, text))
    assert result.issues.is_empty()
    assert result.rows.select("nama", "alamat", "desa").rows() == [
        ('=HYPERLINK("http://evil","klik")', "+6281234", "Desa"),
        ("@SUM(A1:A9)", "-1+1", "=cmd|' /C calc'!A0"),
    ]


def test_nik_disagreeing_with_birth_date_or_sex_is_flagged(tmp_path):
    woman = nik(3, dt.date(1990, 5, 4), "P")
    text = HEADER + (
        f"{woman},Siti,04-05-1990,P,6472011001,,\n"
        f"{nik(4)},Budi,18-08-1985,L,6472011001,,\n"
        f"{woman[:12]}0005,Ani,04-05-1990,L,6472011001,,\n"
    )
    result = check(csv_table(tmp_path, text))
    assert issues_of(result) == [
        (
            3,
            "Tgl Lahir",
            "ditandai",
            "Tanggal lahir 18-08-1985 tidak cocok dengan NIK (tanggal lahir di NIK: 17-08-85)",
        ),
        (
            4,
            "JK",
            "ditandai",
            "Jenis kelamin L tidak cocok dengan NIK (NIK menunjukkan perempuan: tanggal lahir di "
            "NIK ditambah 40)",
        ),
    ]
    assert result.accepted_rows == 3 and result.flagged_rows == 2
    assert result.rows["nik_status"].to_list() == ["valid"] * 3


def test_issue_messages_name_row_and_column(tmp_path):
    result = check(csv_table(tmp_path, HEADER + f"{nik(1)},Budi,31-02-1990,X,6472011001,,99\n"))
    assert result.messages == [
        "Baris 2, kolom 'Tgl Lahir': Tanggal 31-02-1990 tidak ada di kalender (dikosongkan)",
        "Baris 2, kolom 'JK': Jenis kelamin 'X' tidak dikenali; tulis L (laki-laki) atau P "
        "(perempuan) (dikosongkan)",
        "Baris 2, kolom 'Desil': Nilai 99 di luar rentang 1–10 (dikosongkan)",
    ]
    assert issue_messages(result.issues).to_list() == result.messages


def test_companies_key_conflicts_with_blank_key_parts(tmp_path):
    text = (
        "Nama Perusahaan,NIB,NPWP,Kabupaten/Kota,Jumlah Karyawan\n"
        "PT Maju,,,Samarinda,10\n"
        "PT Maju,,,Samarinda,12\n"
        "CV Baru,123,,Balikpapan,3\n"
    )
    result = check(csv_table(tmp_path, text), COMPANIES)
    differ = "tetapi data berbeda (Jumlah pekerja dilaporkan berbeda)"
    assert [(r, p) for r, _c, _s, p in issues_of(result)] == [
        (2, f"Nama perusahaan sama dengan baris 3 {differ}"),
        (3, f"Nama perusahaan sama dengan baris 2 {differ}"),
    ]
    assert result.rows["nama"].to_list() == ["CV Baru"]


def test_incomplete_mapping_is_a_programming_error(tmp_path):
    table = csv_table(tmp_path, "Nama,Desa\nBudi,Sidomulyo\n")
    with pytest.raises(ValueError, match="Kolom wajib 'NIK'"):
        validate(table, WORKERS, map_columns(table.headers, WORKERS))


def test_excel_file_end_to_end(tmp_path):
    path = tmp_path / "kab.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Pekerja")
    fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["No.", "No. KTP", "Nama Lengkap", "Tgl. Lahir", "L/P", "Kode Desa"])
    sheet.write_row(1, 0, [1, nik(1)])
    sheet.write_row(1, 2, ["Budi"])
    sheet.write_datetime(1, 3, dt.datetime(1985, 8, 17), fmt)
    sheet.write_row(1, 4, ["L", 6472011001])
    sheet.write_row(2, 0, [2, int(nik(2)), "Andi", 31276, "Laki-laki", "64.72.01.1001"])
    book.close()
    result = check(read_table(path, max_bytes=MB))
    assert result.issues.is_empty()
    assert result.rows.rows() == [
        (nik(1), "Budi", dt.date(1985, 8, 17), "L", "64.72.01.1001", "valid", 2),
        (nik(2), "Andi", dt.date(1985, 8, 17), "L", "64.72.01.1001", "valid", 3),
    ]


def test_a_large_file_validates_quickly(tmp_path):
    rows = 100_000
    frame = pl.DataFrame({"i": pl.int_range(1, rows + 1, eager=True)}).select(
        NIK=pl.lit("6472011708")
        + pl.format("{}", (pl.col("i") // 9999) + 10)
        + (pl.col("i") % 9999 + 1).cast(pl.String).str.zfill(4),
        Nama=pl.lit("Budi ") + pl.col("i").cast(pl.String),
        Lahir=pl.lit("17-08-") + ((pl.col("i") // 9999) + 1910).cast(pl.String),
        JK=pl.lit("L"),
        Desa=pl.lit("6472011001"),
        Penghasilan=pl.lit("Rp 1.500.000"),
    )
    path = tmp_path / "besar.csv"
    frame.write_csv(path)
    table = read_table(path, max_bytes=100 * MB)
    result = check(table)
    assert result.total_rows == rows
    assert result.rejected_rows == 0


# --- fuzz ----------------------------------------------------------------------------------------

_CELL = st.one_of(
    st.sampled_from(["", " ", "6472011708850001", "6.47201E+15", "=1+1", "L", "P", "31-02-1990",
                     "17-08-1985", "Rp 1.500.000", "-5", "64.72", "é’", '"', "\n", "x" * 50]),
    st.text(max_size=12),
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(_CELL, min_size=1, max_size=8), min_size=1, max_size=12),
    st.sampled_from([",", ";", "\t"]),
)
def test_validate_never_crashes_on_whatever_the_reader_accepts(rows, delimiter):
    header = delimiter.join(["NIK", "Nama", "Tgl Lahir", "JK", "Desa", "Penghasilan", "Desil", "X"])
    body = "\n".join(delimiter.join(row) for row in rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.csv"
        path.write_text(header + "\n" + body + "\n", encoding="utf-8")
        try:
            table = read_table(path, max_bytes=MB, max_cell_chars=40)
        except FileRefused:
            return
    mapping = map_columns(table.headers, WORKERS)
    if mapping.missing_required:
        return
    result = validate(table, WORKERS, mapping, today=TODAY)
    assert result.accepted_rows + result.rejected_rows == table.frame.height
    assert result.rows.height == result.accepted_rows
    assert set(result.issues["severity"]) <= {"ditolak", "ditandai"}
    assert "valid" not in set(
        result.rows.filter(pl.col("nik").str.contains(r"[^0-9]"))["nik_status"].to_list()
    )
