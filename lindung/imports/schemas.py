"""What each kind of import file may contain: canonical columns, their aliases and types.

This is the contract between the file readers (``reading.py``, ``values.py``), the validator
and the loaders. Canonical names are the Indonesian column names users see in templates and
reports; aliases cover the Indonesian and English spellings found in real files. Header matching
is case-, space-, underscore- and punctuation-insensitive (see ``headers.normalise_header``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FieldKind(StrEnum):
    NIK = "nik"  # 16-digit NIK, checked by lindung.nik (damage flagged, never stored as valid)
    TEXT = "text"
    DATE = "date"  # DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD, Excel serial, "17 Agustus 1985"
    SEX = "sex"  # L/P, Laki-laki/Perempuan, LK/PR, M/F, Male/Female
    INT = "int"
    MONEY = "money"  # Rupiah: "Rp 1.500.000", "1,500,000", "1500000"
    REGION = "region"  # Kemendagri code, dotted or not ("64.72.01.1001", "6472011001")
    ENUM = "enum"  # one of ``choices`` (keys: accepted spellings, case-insensitive)
    LIST = "list"  # comma/semicolon/slash separated codes, e.g. programmes "JKK, JKM, JHT"


@dataclass(frozen=True)
class Field:
    name: str
    kind: FieldKind
    label: str  # Indonesian, for messages: "Tanggal lahir"
    aliases: tuple[str, ...] = ()
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)  # accepted spelling → stored value
    max_length: int = 255
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class ImportSchema:
    kind: str
    label: str
    fields: tuple[Field, ...]
    natural_key: tuple[str, ...]
    #: at least one column of each group must be present (e.g. a region code or a desa name)
    require_one_of: tuple[tuple[str, ...], ...] = ()

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _nik() -> Field:
    return Field(
        "nik",
        FieldKind.NIK,
        "NIK",
        (
            "no_nik",
            "nomor_nik",
            "nik_ktp",
            "no_ktp",
            "ktp",
            "nomor_induk_kependudukan",
            "id_number",
            "national_id",
        ),
        required=True,
        max_length=40,
    )


def _name() -> Field:
    return Field(
        "nama",
        FieldKind.TEXT,
        "Nama",
        ("nama_lengkap", "nama_pekerja", "nama_peserta", "name", "full_name"),
        required=True,
        max_length=150,
    )


def _birth() -> Field:
    return Field(
        "tanggal_lahir",
        FieldKind.DATE,
        "Tanggal lahir",
        ("tgl_lahir", "tgllahir", "lahir", "birth_date", "date_of_birth", "dob"),
    )


def _sex() -> Field:
    return Field(
        "jenis_kelamin",
        FieldKind.SEX,
        "Jenis kelamin",
        ("jk", "kelamin", "l_p", "lp", "gender", "sex"),
    )


def _region(label: str = "Kode wilayah") -> Field:
    return Field(
        "kode_wilayah",
        FieldKind.REGION,
        label,
        ("kode_desa", "kode_kelurahan", "kode_wil", "kd_wilayah", "region_code", "kode_kemendagri"),
    )


def _programmes() -> Field:
    return Field(
        "program",
        FieldKind.LIST,
        "Program",
        ("programs", "programmes", "program_bpjs"),
        choices={p.lower(): p for p in ("JKK", "JKM", "JHT", "JP", "JKP")},
    )


def _npwp() -> Field:
    return Field("npwp", FieldKind.TEXT, "NPWP", ("no_npwp", "nomor_npwp", "tax_id"), max_length=30)


def _company_address() -> Field:
    return Field("alamat", FieldKind.TEXT, "Alamat", ("alamat_perusahaan", "address"))


def _company_kabkota(*, required: bool) -> Field:
    """Licensing lists always name the kab/kota; BPJS employer extracts sometimes do not."""
    return Field(
        "kabupaten_kota",
        FieldKind.TEXT,
        "Kabupaten/Kota",
        ("kabupaten", "kota", "kab_kota", "kabkota", "kode_kabkota", "regency", "city"),
        required=required,
    )


PAYERS = {
    "mandiri": "mandiri",
    "sendiri": "mandiri",
    "self": "mandiri",
    "pemberi kerja": "pemberi_kerja",
    "pemberi_kerja": "pemberi_kerja",
    "perusahaan": "pemberi_kerja",
    "employer": "pemberi_kerja",
    "pemerintah": "pemerintah",
    "apbd": "pemerintah",
    "apbn": "pemerintah",
    "apbdes": "pemerintah",
    "program pemerintah": "pemerintah",
    "government": "pemerintah",
    "csr": "csr",
}

WORKERS = ImportSchema(
    kind="workers",
    label="Pekerja rentan",
    natural_key=("nik",),
    require_one_of=(("kode_wilayah", "desa"),),
    fields=(
        _nik(),
        _name(),
        _birth(),
        _sex(),
        _region("Kode wilayah (desa)"),
        Field("desa", FieldKind.TEXT, "Desa/Kelurahan", ("kelurahan", "desa_kelurahan", "village")),
        Field("kecamatan", FieldKind.TEXT, "Kecamatan", ("kec", "district")),
        Field(
            "kabupaten_kota",
            FieldKind.TEXT,
            "Kabupaten/Kota",
            ("kabupaten", "kota", "kab_kota", "kabkota", "regency", "city"),
        ),
        Field("alamat", FieldKind.TEXT, "Alamat", ("alamat_lengkap", "address", "jalan")),
        Field(
            "pekerjaan",
            FieldKind.TEXT,
            "Pekerjaan",
            ("jenis_pekerjaan", "profesi", "occupation", "job"),
        ),
        Field(
            "penghasilan_bulanan",
            FieldKind.MONEY,
            "Penghasilan per bulan",
            ("penghasilan", "pendapatan", "pendapatan_bulanan", "income", "monthly_income"),
            maximum=1_000_000_000,
        ),
        Field(
            "desil",
            FieldKind.INT,
            "Desil kesejahteraan",
            ("desil_kesejahteraan", "decile", "poverty_decile", "desil_p3ke", "desil_dtks"),
            minimum=1,
            maximum=10,
        ),
        Field(
            "sumber_data",
            FieldKind.TEXT,
            "Sumber data",
            ("sumber", "source", "data_source"),
            max_length=100,
        ),
    ),
)

PARTICIPANTS = ImportSchema(
    kind="participants",
    label="Peserta BPJS Ketenagakerjaan",
    natural_key=("nik", "segmen", "npp"),
    fields=(
        _nik(),
        _name(),
        _birth(),
        _sex(),
        Field(
            "segmen",
            FieldKind.ENUM,
            "Segmen",
            ("segmen_kepesertaan", "segment", "kategori"),
            required=True,
            choices={
                "pu": "PU",
                "penerima upah": "PU",
                "bpu": "BPU",
                "bukan penerima upah": "BPU",
                "jakon": "JAKON",
                "jasa konstruksi": "JAKON",
            },
        ),
        Field(
            "status",
            FieldKind.ENUM,
            "Status kepesertaan",
            ("status_kepesertaan", "status_peserta", "membership_status"),
            required=True,
            choices={
                "aktif": "AKTIF",
                "active": "AKTIF",
                "nonaktif": "NONAKTIF",
                "non aktif": "NONAKTIF",
                "tidak aktif": "NONAKTIF",
                "inactive": "NONAKTIF",
            },
        ),
        Field(
            "npp",
            FieldKind.TEXT,
            "NPP (nomor pendaftaran perusahaan)",
            ("no_npp", "nomor_npp", "employer_number", "kode_perusahaan"),
            max_length=20,
        ),
        _region(),
        Field(
            "tanggal_kepesertaan",
            FieldKind.DATE,
            "Tanggal kepesertaan",
            (
                "tgl_kepesertaan",
                "tmt",
                "tmt_kepesertaan",
                "tanggal_terdaftar",
                "membership_date",
                "start_date",
            ),
        ),
        _programmes(),
        Field(
            "upah",
            FieldKind.MONEY,
            "Upah/penghasilan dilaporkan",
            ("upah_dilaporkan", "penghasilan", "gaji", "wage", "reported_wage", "income"),
            maximum=1_000_000_000,
        ),
        Field(
            "pembayar",
            FieldKind.ENUM,
            "Pembayar iuran",
            ("sumber_iuran", "penanggung_iuran", "payer"),
            choices=PAYERS,
        ),
    ),
)

COMPANIES = ImportSchema(
    kind="companies",
    label="Perusahaan (perizinan/wajib lapor)",
    natural_key=("nib", "npwp", "nama"),
    fields=(
        Field(
            "nama",
            FieldKind.TEXT,
            "Nama perusahaan",
            ("nama_perusahaan", "nama_badan_usaha", "company", "company_name", "name"),
            required=True,
            max_length=200,
        ),
        Field("nib", FieldKind.TEXT, "NIB", ("nomor_induk_berusaha", "no_nib"), max_length=20),
        _npwp(),
        _company_address(),
        _company_kabkota(required=True),
        Field("kbli", FieldKind.TEXT, "KBLI", ("kode_kbli", "sektor", "sector"), max_length=10),
        Field(
            "skala_usaha",
            FieldKind.ENUM,
            "Skala usaha",
            ("skala", "ukuran", "size_class", "size"),
            choices={
                "mikro": "mikro",
                "micro": "mikro",
                "kecil": "kecil",
                "small": "kecil",
                "menengah": "menengah",
                "medium": "menengah",
                "besar": "besar",
                "large": "besar",
            },
        ),
        Field(
            "jumlah_pekerja",
            FieldKind.INT,
            "Jumlah pekerja dilaporkan",
            (
                "jumlah_tenaga_kerja",
                "jumlah_karyawan",
                "tenaga_kerja",
                "employees",
                "employees_reported",
            ),
            minimum=0,
            maximum=1_000_000,
        ),
    ),
)

EMPLOYERS = ImportSchema(
    kind="employers",
    label="Pemberi kerja terdaftar BPJS Ketenagakerjaan",
    natural_key=("npp",),
    fields=(
        Field(
            "npp",
            FieldKind.TEXT,
            "NPP",
            ("no_npp", "nomor_npp", "employer_number"),
            required=True,
            max_length=20,
        ),
        Field(
            "nama",
            FieldKind.TEXT,
            "Nama perusahaan",
            ("nama_perusahaan", "nama_pemberi_kerja", "company", "company_name", "name"),
            required=True,
            max_length=200,
        ),
        _npwp(),
        _company_address(),
        _company_kabkota(required=False),
        Field(
            "tenaga_kerja_terdaftar",
            FieldKind.INT,
            "Tenaga kerja terdaftar",
            ("jumlah_tk", "tk_terdaftar", "jumlah_peserta", "registered_workforce", "workforce"),
            minimum=0,
            maximum=1_000_000,
        ),
        _programmes(),
        Field(
            "rata_rata_upah",
            FieldKind.MONEY,
            "Rata-rata upah dilaporkan",
            ("upah_rata_rata", "rerata_upah", "average_wage", "avg_wage"),
            maximum=1_000_000_000,
        ),
    ),
)

SCHEMAS: dict[str, ImportSchema] = {
    s.kind: s for s in (WORKERS, PARTICIPANTS, COMPANIES, EMPLOYERS)
}
