"""Reading uploaded files: formats, encodings, row numbers, and every hostile file we refuse."""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import tempfile
import zipfile
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindung.imports.reading import FileRefused, RawTable, column_letter, read_table

MB = 1024 * 1024
LIMIT = 20 * MB


def write(tmp_path: Path, name: str, content: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return path


def read(path: Path, **kwargs) -> RawTable:
    kwargs.setdefault("max_bytes", LIMIT)
    return read_table(path, **kwargs)


def refused(path: Path, **kwargs) -> FileRefused:
    with pytest.raises(FileRefused) as info:
        read(path, **kwargs)
    return info.value


def make_xlsx(path: Path, sheets: dict[str, list[list[object]]], **options) -> Path:
    book = xlsxwriter.Workbook(str(path), options)
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write(r, c, value)
    book.close()
    return path


# --- CSV: encodings, delimiters, layout ----------------------------------------------------------


def test_semicolon_csv_with_bom(tmp_path):
    path = write(tmp_path, "a.csv", '\ufeffNIK;Nama;Alamat\n6472014508900123;Siti;"Jl. A; No. 5"\n')
    table = read(path)
    assert (table.format, table.encoding, table.delimiter) == ("csv", "utf-8-sig", ";")
    assert table.headers == ["NIK", "Nama", "Alamat"]
    assert table.frame.row(0) == ("6472014508900123", "Siti", "Jl. A; No. 5", 2)
    assert table.frame.schema["__row"] == pl.Int64


def test_windows_1252_csv(tmp_path):
    text = "NIK,Nama,Alamat\n1,José Ma’ruf,Jl. Café – 5\n2,Zoë,Gang “Damai”\n"
    table = read(write(tmp_path, "a.csv", text, "cp1252"))
    assert table.encoding == "windows-1252"
    assert table.frame["Nama"].to_list() == ["José Ma’ruf", "Zoë"]
    assert table.frame["Alamat"].to_list() == ["Jl. Café – 5", "Gang “Damai”"]
    assert table.warnings == []


def test_mixed_utf8_and_cp1252_lines_are_decoded_line_by_line(tmp_path):
    content = (
        b"NIK,Nama\n"
        + "1,André\n".encode()
        + "2,Renée\n".encode("cp1252")
        + "3,Zoë\n".encode()
        + '4,"Ma’ruf\nBaris dua"\n'.encode()  # a quoted line break: still one Excel row
        + "5,Ñoño\n".encode("cp1252")
    )
    table = read(write(tmp_path, "a.csv", content))
    assert table.encoding == "utf-8+windows-1252"
    assert table.frame["Nama"].to_list() == ["André", "Renée", "Zoë", "Ma’ruf\nBaris dua", "Ñoño"]
    assert table.frame["__row"].to_list() == [2, 3, 4, 5, 6]
    assert table.warnings == [
        "Sebagian baris tidak berkode UTF-8 dan dibaca sebagai Windows-1252: baris 3, 6. Periksa "
        "huruf khusus (é, ñ, ’, …) di baris tersebut."
    ]


def test_tab_delimited_utf16_from_excel_unicode_text(tmp_path):
    text = "NIK\tNama\n6472014508900123\tSiti Aminah\n"
    table = read(write(tmp_path, "a.txt", "\ufeff" + text, "utf-16-le"))
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.frame["Nama"].to_list() == ["Siti Aminah"]


def test_all_values_are_text_and_headers_are_trimmed_and_deduplicated(tmp_path):
    text = " NIK , nama ,nama,Tgl\n\nLahir,__row\n0064,Budi,Bud,01-02-1990,x\n"
    table = read(write(tmp_path, "a.csv", text.replace("\n\nLahir", " Lahir")))
    assert table.headers == ["NIK", "nama", "nama (2)", "Tgl Lahir", "__row (2)"]
    assert table.frame.row(0)[:4] == ("0064", "Budi", "Bud", "01-02-1990")
    assert all(dtype == pl.String for name, dtype in table.frame.schema.items() if name != "__row")


def test_title_rows_numbering_row_and_blank_rows_keep_excel_row_numbers(tmp_path):
    text = (
        "DAFTAR PEKERJA RENTAN KAB. PASER,,,\n"
        "Tahun 2026,,,\n"
        ",,,\n"
        "No,NIK,Nama,Desa\n"
        "1,2,3,4\n"
        "1,6401011708850001,Budi,Sungai\n"
        ",,,\n"
        "   ,  ,,\n"
        "2,6401015708850002,Siti,Sungai\n"
    )
    table = read(write(tmp_path, "a.csv", text))
    assert table.header_row == 4
    assert table.headers == ["No", "NIK", "Nama", "Desa"]
    assert table.frame["__row"].to_list() == [6, 9]
    assert "Judul kolom dibaca dari baris 4; baris 1–3 di atasnya dilewati." in table.warnings
    assert "Baris 5 berisi nomor kolom (1, 2, 3, …) dan dilewati." in table.warnings


def test_header_row_chosen_on_the_preview_screen(tmp_path):
    text = "Kab. Paser,,\nNIK,Nama,Desa\nNo KTP,Nama Lengkap,Desa/Kel\n1,Budi,Sungai\n"
    path = write(tmp_path, "a.csv", text)
    assert read(path).headers == ["NIK", "Nama", "Desa"]
    table = read(path, header_row=3)
    assert table.headers == ["No KTP", "Nama Lengkap", "Desa/Kel"]
    assert table.frame.rows() == [("1", "Budi", "Sungai", 4)]
    assert "Judul kolom dibaca dari baris 3; baris 1–2 di atasnya dilewati." in table.warnings
    error = refused(path, header_row=9)
    assert error.message == "Baris 9 yang dipilih sebagai judul kolom kosong atau tidak ada."


def test_ragged_rows_and_unbalanced_quotes_are_read_with_a_warning(tmp_path):
    table = read(write(tmp_path, "a.csv", "NIK,Nama\n1,Budi\n2,Siti,extra,more\n3\n"))
    assert table.headers == ["NIK", "Nama", "Kolom C", "Kolom D"]
    assert table.frame["Nama"].to_list() == ["Budi", "Siti", None]
    assert table.frame["Kolom C"].to_list() == [None, "extra", None]
    assert table.warnings == [
        "Kolom C, D tidak berjudul tetapi berisi data; kolom tersebut dinamai 'Kolom C' dst. dan "
        "dapat dipilih di pemetaan kolom."
    ]
    # Beyond the lines used to guess the width, extra cells are cut, with a warning.
    lines = "NIK,Nama\n" + "1,Budi\n" * 100 + "2,Siti,extra\n"
    table = read(write(tmp_path, "r.csv", lines))
    assert table.frame.width == 3
    assert any("lebih banyak kolom" in w for w in table.warnings)
    table = read(write(tmp_path, "b.csv", 'NIK,Nama\n1,"Budi\n2,Siti\n'))
    assert table.frame["Nama"].to_list() == ['"Budi', "Siti"]
    assert any("Tanda kutip" in w for w in table.warnings)


def test_n_rows_limits_the_preview(tmp_path):
    text = "NIK,Nama\n" + "".join(f"{i},N{i}\n" for i in range(100))
    table = read(write(tmp_path, "a.csv", text), n_rows=5)
    assert table.frame["__row"].to_list() == [2, 3, 4, 5, 6]


def test_format_comes_from_content_not_extension(tmp_path):
    xlsx = make_xlsx(tmp_path / "real.xlsx", {"Data": [["NIK", "Nama"], ["1", "Budi"]]})
    disguised = write(tmp_path, "data.csv", xlsx.read_bytes())
    assert read(disguised).format == "xlsx"
    csv_named_xlsx = write(tmp_path, "data.xlsx", "NIK,Nama\n1,Budi\n")
    assert read(csv_named_xlsx).format == "csv"


# --- refusals ------------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    error = refused(write(tmp_path, "a.csv", b""))
    assert (error.code, error.message) == ("kosong", "File kosong: tidak ada isi sama sekali.")
    assert refused(write(tmp_path, "b.csv", "\ufeff\n \n")).code == "kosong"


def test_header_only(tmp_path):
    error = refused(write(tmp_path, "a.csv", "NIK,Nama,Tanggal Lahir\n"))
    assert error.code == "tanpa_data"
    assert error.message == "File hanya berisi judul kolom (baris 1) tanpa baris data."
    blank_rows = refused(write(tmp_path, "b.csv", "NIK,Nama\n,\n\n , \n"))
    assert blank_rows.message == (
        "File hanya berisi judul kolom (baris 1) dan baris kosong, tanpa data."
    )
    xlsx = make_xlsx(tmp_path / "c.xlsx", {"Data": [["NIK", "Nama"]]})
    assert refused(xlsx).code == "tanpa_data"


def test_binary_garbage_named_csv(tmp_path):
    error = refused(write(tmp_path, "pekerja.csv", bytes(range(256)) * 64))
    assert error.code == "biner"
    assert error.message == (
        "File 'pekerja.csv' bukan file teks CSV: isinya data biner yang tidak dapat dibaca. "
        "Unggah file Excel (.xlsx) atau CSV."
    )
    pdf = refused(write(tmp_path, "scan.csv", b"%PDF-1.7\n" + os.urandom(2000)))
    assert pdf.message.startswith("File 'scan.csv' berisi dokumen PDF, bukan tabel.")


def test_corrupted_xlsx(tmp_path):
    good = make_xlsx(tmp_path / "good.xlsx", {"Data": [["NIK", "Nama"], ["1", "Budi"]]})
    truncated = write(tmp_path, "bad.xlsx", good.read_bytes()[: good.stat().st_size // 2])
    error = refused(truncated)
    assert error.code == "xlsx_rusak"
    assert error.message.startswith("File Excel (.xlsx) rusak atau tidak lengkap")
    assert error.message.endswith("Buka file di Excel, simpan ulang, lalu unggah lagi.")
    assert refused(write(tmp_path, "junk.xlsx", b"PK\x03\x04" + os.urandom(3000))).code == (
        "xlsx_rusak"
    )


def _ole2(*streams: str) -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    body = b"".join(name.encode("utf-16-le") + b"\x00" * 8 for name in streams)
    return header + b"\x00" * (512 - len(header)) + body + b"\x00" * 1024


def test_password_protected_xlsx(tmp_path):
    # Excel stores an encrypted .xlsx as an OLE2 compound file with these two streams.
    path = write(tmp_path, "rahasia.xlsx", _ole2("EncryptionInfo", "EncryptedPackage"))
    error = refused(path)
    assert error.code == "kata_sandi"
    assert error.message.startswith("File Excel dilindungi kata sandi (terenkripsi)")
    assert "hapus kata sandinya" in error.message


def test_legacy_xls_is_refused_with_advice(tmp_path):
    error = refused(write(tmp_path, "lama.xls", _ole2("Workbook", "SummaryInformation")))
    assert error.code == "xls_lama"
    assert error.message.startswith("Format Excel lama (.xls) tidak didukung.")
    assert "simpan sebagai Excel Workbook (.xlsx) atau CSV UTF-8" in error.message


def _bomb(path: Path, member_mb: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\0" * MB
            for _ in range(member_mb):
                member.write(block)
    return path


def test_zip_bomb_total_size(tmp_path):
    path = _bomb(tmp_path / "bom.xlsx", 120)  # ≈ 120 KB on disk, 120 MB inside
    error = refused(path, max_bytes=2 * MB)  # limit: 20 × 2 MB = 40 MB
    assert error.code == "bom_zip"
    assert error.message.startswith(
        "File Excel ditolak: isinya 120 MB setelah dibuka, melebihi batas 40 MB."
    )


def test_zip_bomb_compression_ratio(tmp_path):
    path = _bomb(tmp_path / "bom.xlsx", 40)
    error = refused(path, max_bytes=200 * MB)  # total is fine (≤ 2 GB) but 40 MB from ~40 KB
    assert error.code == "bom_zip"
    assert "bagian 'xl/worksheets/sheet1.xml' mengembang" in error.message


def test_zip_member_lying_about_its_size(tmp_path):
    path = _bomb(tmp_path / "bohong.xlsx", 3)
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"xl/worksheets/sheet1.xml"))
    struct.pack_into("<I", data, central + 24, 1000)  # declared uncompressed size
    path.write_bytes(bytes(data))
    error = refused(path)
    assert error.code == "bom_zip"
    assert "lebih besar daripada yang dinyatakan" in error.message


def test_sparse_sheet_bomb_is_refused_before_loading(tmp_path):
    path = make_xlsx(tmp_path / "jarang.xlsx", {"Data": [["NIK"], ["1"]]})
    book = xlsxwriter.Workbook(str(tmp_path / "far.xlsx"))
    sheet = book.add_worksheet("Data")
    sheet.write_string(0, 0, "NIK")
    sheet.write_string(1, 0, "1")
    sheet.write_string(1_048_575, 16_383, "x")  # XFD1048576
    book.close()
    error = refused(tmp_path / "far.xlsx")
    assert error.code == "terlalu_banyak_kolom"
    assert error.message.startswith(
        "Lembar 'Data' memiliki 16.384 kolom (sampai kolom XFD); maksimum 500."
    )
    wide_ok = refused(tmp_path / "far.xlsx", max_columns=20_000)
    assert wide_ok.code == "terlalu_besar"
    assert "1.048.576 baris × 16.384 kolom" in wide_ok.message
    assert read(path).frame.height == 1


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "besar.csv"
    with path.open("wb") as handle:  # sparse: no 250 MB actually written
        handle.truncate(250 * MB)
    error = refused(path, max_bytes=200 * MB)
    assert error.code == "terlalu_besar"
    assert error.message == (
        "Ukuran file 250 MB melebihi batas 200 MB. Bagi data menjadi beberapa file."
    )


def test_a_file_of_line_breaks_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr("lindung.imports.reading.MAX_ROWS", 1_000)
    error = refused(write(tmp_path, "a.csv", "NIK\n" + "\n" * 5_000))
    assert error.message == "File memiliki lebih dari 1.000 baris; bagi data menjadi beberapa file."


def test_ten_thousand_columns(tmp_path):
    header = ",".join(f"k{i}" for i in range(10_000))
    error = refused(write(tmp_path, "lebar.csv", header + "\n" + "1," * 9_999 + "1\n"))
    assert error.code == "terlalu_banyak_kolom"
    assert error.message.startswith("File memiliki 10.000 kolom; maksimum 500.")
    xlsx = make_xlsx(tmp_path / "lebar.xlsx", {"Data": [[f"k{i}" for i in range(600)], [1] * 600]})
    assert refused(xlsx).message.startswith("Lembar 'Data' memiliki 600 kolom (sampai kolom WB)")


def test_fifty_megabyte_single_cell(tmp_path):
    big = "x" * (50 * MB)
    path = write(tmp_path, "sel.csv", f"NIK,Nama\n6472014508900123,{big}\n")
    table = read(path, max_bytes=60 * MB)
    assert table.frame["Nama"].str.len_bytes().to_list() == [50 * MB]
    assert table.max_cell_chars == 10_000  # the validator refuses the row (see test_validate)
    # A file that is nothing but one 50 MB cell: a header without data, refused quickly.
    alone = write(tmp_path, "satu.csv", big)
    assert refused(alone, max_bytes=60 * MB).code == "tanpa_data"


# --- XLSX and Parquet values ---------------------------------------------------------------------


def test_xlsx_values_become_exact_text(tmp_path):
    rows: list[list[object]] = [
        ["LAPORAN BPJS", None, None, None],
        [None, None, None, None],
        ["NIK", "Tanggal Lahir", "Serial", "Upah"],
        [6472014508900123, dt.date(1985, 8, 17), 31045, 1500000],
        ["6472014508900124", "17-08-1985", "31045", 1500000.5],
        [6.47201e15, None, None, True],
        ["6.47201E+15", None, None, None],
        ['=HYPERLINK("x")', None, None, None],
    ]
    path = make_xlsx(tmp_path / "bpjs.xlsx", {"Kosong": [], "Data": rows})
    table = read(path)
    assert (table.format, table.sheet, table.header_row) == ("xlsx", "Data", 3)
    assert table.frame.to_dict(as_series=False) == {
        "NIK": ["6472014508900123", "6472014508900124", "6472010000000000", "6.47201E+15",
                '=HYPERLINK("x")'],
        "Tanggal Lahir": ["1985-08-17", "17-08-1985", None, None, None],
        "Serial": ["31045", "31045", None, None, None],
        "Upah": ["1500000", "1500000.5", "TRUE", None, None],
        "__row": [4, 5, 6, 7, 8],
    }  # fmt: skip
    assert any("2 lembar kerja" in w for w in table.warnings)


def test_xlsx_data_not_starting_at_a1_keeps_excel_row_numbers(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "geser.xlsx"))
    sheet = book.add_worksheet()
    sheet.write_row(4, 2, ["NIK", "Nama"])  # C5
    sheet.write_row(5, 2, ["1", "Budi"])
    sheet.write_row(7, 2, ["2", "Siti"])
    book.close()
    table = read(tmp_path / "geser.xlsx")
    assert table.header_row == 5
    assert table.frame.rows() == [("1", "Budi", 6), ("2", "Siti", 8)]


def test_parquet(tmp_path):
    path = tmp_path / "data.parquet"
    pl.DataFrame(
        {
            "NIK": [6472014508900123, 6472014508900124],
            "Nama": ["Budi", None],
            "Lahir": [dt.date(1985, 8, 17), dt.date(1990, 1, 2)],
            "Upah": [1500000.0, 2.5],
        }
    ).write_parquet(path)
    table = read(path)
    assert table.format == "parquet"
    assert table.frame.rows() == [
        ("6472014508900123", "Budi", "1985-08-17", "1500000", 2),
        ("6472014508900124", None, "1990-01-02", "2.5", 3),
    ]


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702, 16383)] == [
        "A", "Z", "AA", "ZZ", "AAA", "XFD",
    ]  # fmt: skip


# --- speed ---------------------------------------------------------------------------------------


def test_large_clean_csv_uses_the_fast_path(tmp_path):
    rows = 200_000
    frame = pl.DataFrame(
        {
            "NIK": pl.int_range(6472010101900001, 6472010101900001 + rows, eager=True).cast(
                pl.String
            ),
            "Nama": pl.Series(["Budi Santoso"] * rows),
            "Tgl Lahir": pl.Series(["01-01-1990"] * rows),
        }
    )
    path = tmp_path / "besar.csv"
    frame.write_csv(path)
    table = read(path, max_bytes=200 * MB)
    assert table.frame.height == rows
    assert table.frame["__row"][-1] == rows + 1
    assert table.encoding == "utf-8" and table.warnings == []


# --- fuzz ----------------------------------------------------------------------------------------


def _read_bytes(content: bytes, name: str = "x.csv") -> RawTable | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            return read_table(path, max_bytes=MB, max_columns=50)
        except FileRefused as error:
            assert error.message and isinstance(error.message, str)
            return None


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_only_ever_raise_file_refused(content):
    table = _read_bytes(content)
    if table is not None:
        assert table.frame.columns[-1] == "__row"


_CSV_ALPHABET = st.sampled_from(list(",;\t\n\r\"' abcNIKnama019é’\ufeff\x00=+-@."))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CSV_ALPHABET, max_size=400).map("".join), st.sampled_from(["utf-8", "cp1252"]))
def test_random_csvish_text_only_ever_raises_file_refused(text, encoding):
    table = _read_bytes(text.encode(encoding, "replace"))
    if table is not None:
        assert all(dtype == pl.String for c, dtype in table.frame.schema.items() if c != "__row")
        assert table.frame.height > 0


@settings(max_examples=25, deadline=None)
@given(
    st.sampled_from(["PK\x03\x04", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "PAR1"]),
    st.binary(max_size=2000),
)
def test_random_bytes_behind_known_signatures(magic, tail):
    _read_bytes(magic.encode("latin-1") + tail, "x.xlsx")


def test_corrupted_parquet_is_refused(tmp_path):
    buffer = io.BytesIO()
    pl.DataFrame({"a": [1, 2]}).write_parquet(buffer)
    path = write(tmp_path, "a.parquet", buffer.getvalue()[:-30])
    assert refused(path).code == "parquet_rusak"
