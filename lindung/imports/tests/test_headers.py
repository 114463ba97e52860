"""Header matching: normalisation, aliases, user overrides and the Indonesian problem messages."""

from __future__ import annotations

import pytest

from lindung.imports.headers import map_columns, mapping_problems, normalise_header
from lindung.imports.schemas import COMPANIES, PARTICIPANTS, SCHEMAS, WORKERS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tgl. Lahir", "tgllahir"), ("  NIK ", "nik"), ("\ufeffNIK", "nik"), ("No. KTP", "noktp"),
        ("L/P", "lp"), ("Kode_Wilayah (Desa)", "kodewilayahdesa"), ("nama-lengkap", "namalengkap"),
        ("NIK*", "nik"), ("Ｎａｍａ", "nama"), ("Nama\u00a0Lengkap", "namalengkap"), ("", ""),
        (None, ""),
    ],
)  # fmt: skip
def test_normalise_header(text, expected):
    assert normalise_header(text) == expected
    assert normalise_header(normalise_header(text)) == expected


def test_typical_regency_headers_map_to_canonical_fields():
    headers = ["No", "NIK", "Nama Lengkap", "Tgl. Lahir", "L/P", "Kode Desa", "Kecamatan",
               "Pekerjaan", "Penghasilan", "Desil P3KE", "Keterangan"]  # fmt: skip
    mapping = map_columns(headers, WORKERS)
    assert mapping.columns == {
        "NIK": "nik",
        "Nama Lengkap": "nama",
        "Tgl. Lahir": "tanggal_lahir",
        "L/P": "jenis_kelamin",
        "Kode Desa": "kode_wilayah",
        "Kecamatan": "kecamatan",
        "Pekerjaan": "pekerjaan",
        "Penghasilan": "penghasilan_bulanan",
        "Desil P3KE": "desil",
    }
    assert mapping.unknown == ["No", "Keterangan"]
    assert mapping.missing_required == []
    assert mapping_problems(mapping, WORKERS) == []


def test_labels_and_canonical_names_match_too():
    mapping = map_columns(["nik", "Tanggal lahir", "NAMA", "Desa/Kelurahan"], WORKERS)
    assert set(mapping.columns.values()) == {"nik", "tanggal_lahir", "nama", "desa"}


def test_misspelt_required_column_is_named_with_the_closest_header():
    mapping = map_columns(["nmr_nik", "Nama", "Desa"], WORKERS)
    assert mapping.missing_required == ["nik"]
    assert mapping.suggestions["nik"] == "nmr_nik"
    assert mapping_problems(mapping, WORKERS) == [
        "Kolom wajib 'NIK' (nik) tidak ditemukan. Kolom 'nmr_nik' di file mirip — pilih "
        "sebagai NIK?"
    ]


def test_missing_required_columns_without_a_similar_header_list_accepted_names():
    mapping = map_columns(["Alamat", "Desa"], WORKERS)
    assert mapping.missing_required == ["nik", "nama"]
    problems = mapping_problems(mapping, WORKERS)
    assert problems[0] == (
        "Kolom wajib 'NIK' (nik) tidak ditemukan. Beri judul kolom salah satu dari: nik, no_nik, "
        "nomor_nik, nik_ktp, no_ktp, ktp, …"
    )
    assert problems[1].startswith("Kolom wajib 'Nama' (nama) tidak ditemukan.")


def test_misspelt_name_column_is_suggested():
    mapping = map_columns(["NIK", "Nma Lengkap", "Kode Desa"], WORKERS)
    assert mapping.suggestions == {"nama": "Nma Lengkap"}
    assert mapping_problems(mapping, WORKERS) == [
        "Kolom wajib 'Nama' (nama) tidak ditemukan. Kolom 'Nma Lengkap' di file mirip — pilih "
        "sebagai Nama?"
    ]


def test_require_one_of_group():
    mapping = map_columns(["NIK", "Nama"], WORKERS)
    assert mapping_problems(mapping, WORKERS) == [
        "Salah satu kolom 'Kode wilayah (desa)' (kode_wilayah) atau 'Desa/Kelurahan' (desa) "
        "harus ada."
    ]
    hinted = map_columns(["NIK", "Nama", "Kd Desa"], WORKERS)
    assert hinted.suggestions.get("kode_wilayah") == "Kd Desa"
    assert (
        "Di file: kolom 'Kd Desa' mirip Kode wilayah (desa)" in mapping_problems(hinted, WORKERS)[0]
    )


def test_overrides_from_the_preview_screen_win():
    headers = ["nmr_nik", "Nama", "Desa", "Nama Ibu"]
    mapping = map_columns(headers, WORKERS, overrides={"nmr_nik": "nik", "Desa": ""})
    assert mapping.columns == {"nmr_nik": "nik", "Nama": "nama"}
    assert "Desa" in mapping.unknown
    assert mapping_problems(mapping, WORKERS)[0].startswith("Salah satu kolom")
    # An override can also pick another column than the automatic match: that one then loses.
    swapped = map_columns(headers, WORKERS, overrides={"nmr_nik": "nik", "Nama Ibu": "nama"})
    assert swapped.columns["Nama Ibu"] == "nama"
    assert swapped.duplicates == ["Nama"]
    # An override naming an unknown field leaves the column unknown.
    odd = map_columns(["NIK", "Nama", "Desa", "x"], WORKERS, overrides={"x": "golongan_darah"})
    assert odd.unknown == ["x"]


def test_two_columns_for_one_field_are_reported():
    mapping = map_columns(["NIK", "No KTP", "Nama", "Desa"], WORKERS)
    assert mapping.columns["NIK"] == "nik"
    assert mapping.duplicates == ["No KTP"]
    assert mapping_problems(mapping, WORKERS) == [
        "Kolom 'No KTP' dan 'NIK' sama-sama dibaca sebagai NIK; hanya 'NIK' yang dipakai. Pilih "
        "kolom yang benar atau abaikan salah satunya."
    ]


def test_reader_deduplicated_headers_and_row_column_are_handled():
    mapping = map_columns(["NIK", "Nama", "nama (2)", "Desa", "__row"], WORKERS)
    assert "__row" not in mapping.unknown
    assert mapping.columns == {"NIK": "nik", "Nama": "nama", "Desa": "desa"}


def test_every_schema_alias_maps_to_its_field():
    for schema in SCHEMAS.values():
        for f in schema.fields:
            for alias in f.aliases:
                mapped = map_columns([alias.upper().replace("_", " ")], schema).columns
                # an alias shared by two fields goes to the first one in the schema
                assert next(iter(mapped.values())) in {g.name for g in schema.fields}


def test_participants_and_companies():
    participants = map_columns(
        ["No KTP", "Nama Peserta", "Segmen", "Status Peserta", "NPP"], PARTICIPANTS
    )
    assert participants.missing_required == []
    companies = map_columns(["Nama Perusahaan", "NIB", "Kab/Kota"], COMPANIES)
    assert companies.columns == {
        "Nama Perusahaan": "nama",
        "NIB": "nib",
        "Kab/Kota": "kabupaten_kota",
    }
