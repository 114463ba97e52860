"""The loaders: validated frames → database rows, idempotent, all-or-nothing and audited.

Frames are built by hand with the validator's dtypes (Utf8 text, pl.Date, Int64, ``nik_status``
and ``__row``). Region codes and names are the shipped Kaltim reference data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from lindung import nik as nik_module
from lindung.audit.models import AuditEntry
from lindung.compliance.models import Company, Employer
from lindung.imports import loaders
from lindung.imports.loaders import LoadContext, load, search_key_series
from lindung.matching.models import Participant
from lindung.registry.models import Worker
from lindung.registry.names import search_key
from lindung.registry.occupations import classify

pytestmark = pytest.mark.django_db

DESA_SMD = "64.72.01.1001"  # a kelurahan of Kota Samarinda
DESA_BPP = "64.71.01.1001"  # a kelurahan of Kota Balikpapan
PROVINCE = LoadContext(proposer_code="64", source="uji")

_SCHEMA: dict[str, Any] = {
    "nik": pl.String, "nama": pl.String, "tanggal_lahir": pl.Date, "jenis_kelamin": pl.String,
    "kode_wilayah": pl.String, "desa": pl.String, "kecamatan": pl.String,
    "kabupaten_kota": pl.String, "alamat": pl.String, "pekerjaan": pl.String,
    "penghasilan_bulanan": pl.Int64, "desil": pl.Int64, "sumber_data": pl.String,
    "segmen": pl.String, "status": pl.String, "npp": pl.String, "tanggal_kepesertaan": pl.Date,
    "program": pl.String, "upah": pl.Int64, "pembayar": pl.String, "nib": pl.String,
    "npwp": pl.String, "kbli": pl.String, "skala_usaha": pl.String, "jumlah_pekerja": pl.Int64,
    "tenaga_kerja_terdaftar": pl.Int64, "rata_rata_upah": pl.Int64,
    "nik_status": pl.String, "__row": pl.Int64,
}  # fmt: skip


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A validated frame: the columns used by ``rows`` with the validator's dtypes."""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    data = {c: [row.get(c) for row in rows] for c in columns}
    out = pl.DataFrame(data, schema={c: _SCHEMA[c] for c in columns})
    if "__row" not in out.columns:
        out = out.with_columns((pl.int_range(0, out.height, dtype=pl.Int64) + 2).alias("__row"))
    return out


def nik(district: str, birth: dt.date, sex: str = "L", serial: int = 1) -> str:
    return nik_module.make_nik(district.replace(".", "")[:6], birth, sex, serial)


def worker_row(serial: int, **fields: Any) -> dict[str, Any]:
    birth = fields.pop("tanggal_lahir", dt.date(1980, 1, 1) + dt.timedelta(days=serial))
    sex = fields.pop("jenis_kelamin", "L")
    row = {
        "nik": nik(DESA_SMD, birth, sex, serial),
        "nama": f"Pekerja {serial}",
        "tanggal_lahir": birth,
        "jenis_kelamin": sex,
        "kode_wilayah": DESA_SMD,
        "alamat": f"Jl. Uji {serial}",
        "pekerjaan": "nelayan",
        "penghasilan_bulanan": 1_500_000,
        "desil": 2,
        "nik_status": "valid",
    }
    row.update(fields)
    return row


def snapshot(model: Any) -> list[dict[str, Any]]:
    return list(model.objects.order_by("id").values())


def problems(result: loaders.LoadResult) -> list[tuple[int, str, str, str]]:
    return [(r["row"], r["column"], r["severity"], r["problem"]) for r in result.issues.to_dicts()]


# --- workers: create, idempotence, update ------------------------------------------------------


def test_create_workers_with_derived_columns_and_one_summary_audit_entry():
    rows = frame([
        worker_row(1, nama="H. Muhammad  Yusuf", pekerjaan="Nelayan Tangkap"),
        worker_row(2, jenis_kelamin="P", pekerjaan="ojol", tanggal_lahir=dt.date(1990, 5, 4)),
        worker_row(3, pekerjaan="BHL", kode_wilayah=DESA_BPP),
    ])  # fmt: skip
    before = AuditEntry.objects.count()

    result = load("workers", rows, context=PROVINCE)

    assert (result.created, result.updated, result.unchanged, result.rejected) == (3, 0, 0, 0)
    yusuf, siti, third = Worker.objects.order_by("id")
    assert yusuf.name_search == "h muhammad yusuf"
    assert (yusuf.desa_id, yusuf.kecamatan_id, yusuf.kabkota_id) == (DESA_SMD, "64.72.01", "64.72")
    assert (yusuf.occupation, siti.occupation, third.occupation) == (
        "nelayan",
        "ojek",
        "buruh_harian_lepas",
    )
    assert third.kabkota_id == "64.71"
    assert siti.sex == "P" and siti.birth_date == dt.date(1990, 5, 4)
    assert {w.status for w in (yusuf, siti, third)} == {"diusulkan"}
    assert {w.proposer_id for w in (yusuf, siti, third)} == {"64"}
    assert yusuf.source == "uji" and yusuf.monthly_income == 1_500_000 and yusuf.poverty_decile == 2
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [e.action for e in entries] == ["import"]
    assert entries[0].detail["created"] == 3 and entries[0].object_type == "registry.worker"


def test_reloading_the_same_frame_changes_nothing():
    rows = frame([worker_row(i) for i in range(1, 6)])
    load("workers", rows, context=PROVINCE)
    before, audits = snapshot(Worker), AuditEntry.objects.count()

    again = load("workers", rows, context=PROVINCE)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert snapshot(Worker) == before  # updated_at included
    new_entries = list(AuditEntry.objects.order_by("id")[audits:])
    assert [e.action for e in new_entries] == ["import"]  # the summary only


def test_updated_file_updates_in_place_with_field_level_audit():
    load("workers", frame([worker_row(i) for i in range(1, 4)]), context=PROVINCE)
    ids = list(Worker.objects.order_by("id").values_list("id", flat=True))
    changed = frame([
        worker_row(1, nama="Pekerja Satu", pekerjaan="petani sawit"),
        worker_row(2, penghasilan_bulanan=2_000_000),
        worker_row(3),
    ])  # fmt: skip
    audits = AuditEntry.objects.count()

    result = load("workers", changed, context=LoadContext(proposer_code="64", source="uji ulang"))

    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert list(Worker.objects.order_by("id").values_list("id", flat=True)) == ids
    first = Worker.objects.get(id=ids[0])
    assert (first.name, first.name_search, first.occupation) == (
        "Pekerja Satu",
        "pekerja satu",
        "petani",
    )
    assert first.source == "uji ulang"
    assert Worker.objects.get(id=ids[2]).source == "uji"  # unchanged rows keep their source
    entries = list(AuditEntry.objects.order_by("id")[audits:])
    assert [e.action for e in entries] == ["update", "update", "import"]
    by_id = {e.object_id: e for e in entries[:2]}
    assert by_id[str(ids[0])].changes == {
        "name": ["Pekerja 1", "Pekerja Satu"],
        "occupation": ["nelayan", "petani"],
        "source": ["uji", "uji ulang"],
    }
    assert by_id[str(ids[1])].changes["monthly_income"] == [1_500_000, 2_000_000]
    assert by_id[str(ids[1])].object_repr.startswith("Pekerja 2 (")
    assert "******" in by_id[str(ids[1])].object_repr  # the NIK is masked
    summary = entries[-1]
    assert summary.detail["updated"] == 2 and summary.detail["unchanged"] == 1
    assert {e.detail["batch"] for e in entries} == {summary.detail["batch"]}


def test_columns_missing_from_the_file_are_left_alone():
    load("workers", frame([worker_row(1), worker_row(2)]), context=PROVINCE)
    before = snapshot(Worker)
    slim = frame([worker_row(1), worker_row(2)]).drop(
        "alamat", "penghasilan_bulanan", "desil", "pekerjaan"
    )

    result = load("workers", slim, context=PROVINCE)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert snapshot(Worker) == before


def test_dry_run_reports_counts_and_stores_nothing():
    load("workers", frame([worker_row(1)]), context=PROVINCE)
    before, audits = snapshot(Worker), AuditEntry.objects.count()
    rows = frame([worker_row(1, nama="Diganti"), worker_row(2)])

    result = load("workers", rows, context=LoadContext(proposer_code="64", dry_run=True))

    assert (result.created, result.updated, result.unchanged, result.dry_run) == (1, 1, 0, True)
    assert snapshot(Worker) == before
    assert AuditEntry.objects.count() == audits


# --- all or nothing ---------------------------------------------------------------------------


def _fail_after(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    original = getattr(loaders._Writer, method)

    def run_then_fail(self: Any, *args: Any, **kwargs: Any) -> Any:
        original(self, *args, **kwargs)
        raise RuntimeError("gagal di tengah impor")

    monkeypatch.setattr(loaders._Writer, method, run_then_fail)


@pytest.mark.parametrize("step", ["audit_changes", "update", "insert"])
def test_an_error_midway_leaves_the_tables_exactly_as_before(monkeypatch, step):
    load("workers", frame([worker_row(1), worker_row(2)]), context=PROVINCE)
    before, audits = snapshot(Worker), snapshot(AuditEntry)
    _fail_after(monkeypatch, step)
    rows = frame([worker_row(1, nama="Berubah"), worker_row(2), worker_row(3), worker_row(4)])

    with pytest.raises(RuntimeError, match="gagal di tengah"):
        load("workers", rows, context=PROVINCE)

    assert snapshot(Worker) == before
    assert snapshot(AuditEntry) == audits
    monkeypatch.undo()
    # The connection is still usable and a retry works.
    result = load("workers", rows, context=PROVINCE)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 1)


@pytest.mark.django_db(transaction=True)
def test_an_error_midway_rolls_back_a_real_transaction(monkeypatch):
    load("workers", frame([worker_row(1)]), context=PROVINCE)
    before, audits = snapshot(Worker), AuditEntry.objects.count()
    _fail_after(monkeypatch, "insert")

    with pytest.raises(RuntimeError):
        load("workers", frame([worker_row(1, nama="Berubah"), worker_row(2)]), context=PROVINCE)

    assert transaction.get_autocommit()
    assert snapshot(Worker) == before
    assert AuditEntry.objects.count() == audits


# --- scope, regions, occupations, NIKs -----------------------------------------------------------


def test_operator_rows_outside_their_kabkota_are_rejected(op_samarinda):
    context = LoadContext(
        user=op_samarinda, proposer_code="64.72", source="uji", scope_kabkota="64.72"
    )
    rows = frame([worker_row(1), worker_row(2, kode_wilayah=DESA_BPP)])

    result = load("workers", rows, context=context)

    assert (result.created, result.rejected) == (1, 1)
    assert problems(result) == [
        (3, "kode_wilayah", "ditolak", "Di luar wilayah kewenangan Anda (Kota Samarinda)")
    ]
    assert list(Worker.objects.values_list("kabkota_id", "proposer_id")) == [("64.72", "64.72")]
    summary = AuditEntry.objects.filter(action="import").latest("id")
    assert summary.actor == op_samarinda and summary.detail["rejected"] == 1


def test_an_unknown_code_is_named_once_not_also_outside_the_operators_kabkota(op_samarinda):
    context = LoadContext(
        user=op_samarinda, proposer_code="64.72", source="uji", scope_kabkota="64.72"
    )
    rows = frame([worker_row(1, kode_wilayah="64.72.99.9999")])

    result = load("workers", rows, context=context)

    assert result.rejected == 1
    assert problems(result) == [(2, "kode_wilayah", "ditolak", "Kode wilayah tidak dikenal")]


def test_operator_cannot_propose_for_another_office(op_samarinda):
    context = LoadContext(user=op_samarinda, proposer_code="64", scope_kabkota="64.72")
    with pytest.raises(PermissionDenied):
        load("workers", frame([worker_row(1)]), context=context)


def test_region_codes_desa_accepted_kecamatan_and_kabkota_flagged_others_rejected():
    rows = frame([
        worker_row(1),
        worker_row(2, kode_wilayah="64.72.01"),
        worker_row(3, kode_wilayah="64.72"),
        worker_row(4, kode_wilayah="64.72.99.9999"),
        worker_row(5, kode_wilayah="64"),
        worker_row(6, kode_wilayah="73.08"),
        worker_row(7, kode_wilayah="6472011001"),
    ])  # fmt: skip

    result = load("workers", rows, context=PROVINCE)

    assert (result.created, result.rejected, result.flagged) == (4, 3, 2)
    stored = {w.name: (w.desa_id, w.kecamatan_id, w.kabkota_id) for w in Worker.objects.all()}
    assert stored == {
        "Pekerja 1": (DESA_SMD, "64.72.01", "64.72"),
        "Pekerja 2": (None, "64.72.01", "64.72"),
        "Pekerja 3": (None, None, "64.72"),
        "Pekerja 7": (DESA_SMD, "64.72.01", "64.72"),
    }
    found = {(row, severity) for row, _c, severity, _p in problems(result)}
    assert found == {
        (3, "ditandai"),
        (4, "ditandai"),
        (5, "ditolak"),
        (6, "ditolak"),
        (7, "ditolak"),
    }


def test_regions_resolved_from_names_case_insensitively_and_ambiguity_rejected():
    rows = frame([
        worker_row(1, kode_wilayah=None, desa="SIDOMULYO", kecamatan="kec. anggana"),
        worker_row(2, kode_wilayah=None, desa="Kelurahan Sidomulyo",
                   kabupaten_kota="Kota Samarinda"),
        worker_row(3, kode_wilayah=None, desa="Sidomulyo"),
        worker_row(4, kode_wilayah=None, desa="Desa Entah Berantah", kabupaten_kota="Samarinda"),
        worker_row(5, kode_wilayah=None, kecamatan="Anggana", kabupaten_kota="Kukar"),
        worker_row(6, kode_wilayah=None, desa="Sidomulyo", kabupaten_kota="Gotham"),
    ])  # fmt: skip

    result = load("workers", rows, context=PROVINCE)

    stored = {w.name: (w.desa_id, w.kecamatan_id, w.kabkota_id) for w in Worker.objects.all()}
    assert stored == {
        "Pekerja 1": ("64.02.04.2007", "64.02.04", "64.02"),
        "Pekerja 2": ("64.72.04.1003", "64.72.04", "64.72"),
        "Pekerja 5": (None, "64.02.04", "64.02"),
    }
    by_row = {row: (column, severity, text) for row, column, severity, text in problems(result)}
    column, severity, text = by_row[4]
    assert (column, severity) == ("desa", "ditolak") and "ambigu" in text
    for code in ("64.02.04.2007", "64.02.12.2010", "64.08.08.2004", "64.72.04.1003"):
        assert code in text
    assert by_row[5][:2] == ("desa", "ditolak") and "tidak ditemukan" in by_row[5][2]
    assert by_row[6][:2] == ("kecamatan", "ditandai")
    assert by_row[7] == (
        "kabupaten_kota",
        "ditolak",
        "Kabupaten/kota 'Gotham' tidak dikenal di Kalimantan Timur",
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NELAYAN", "nelayan"), ("nelayan tangkap", "nelayan"), ("Petani Sawit", "petani"),
        ("pekebun", "petani"), ("buruh harian", "buruh_harian_lepas"),
        ("BHL", "buruh_harian_lepas"),
        ("ojol", "ojek"), ("Ojek Online", "ojek"), ("PKL", "pedagang_kaki_lima"),
        ("pedagang keliling", "pedagang_kaki_lima"), ("Juru Parkir", "tukang_parkir"),
        ("TKBM", "buruh_pelabuhan"), ("marbot", "pekerja_keagamaan"),
        ("Guru Ngaji", "pekerja_keagamaan"), ("buruh kebun sawit", "buruh_tani"),
        ("kuli bangunan", "tukang_bangunan"), ("nelayan_", "nelayan"),
        ("pedagang_kaki_lima", "pedagang_kaki_lima"),
        ("Pekerja rumah tangga", "pekerja_rumah_tangga"),
    ],
)  # fmt: skip
def test_occupation_synonyms(text, code):
    assert classify(text) == (code, True)


def test_unknown_occupation_is_stored_as_lainnya_and_flagged():
    assert classify("astronaut") == ("lainnya", False)
    assert classify("") == ("lainnya", True)
    result = load("workers", frame([worker_row(1, pekerjaan="Astronaut")]), context=PROVINCE)
    assert Worker.objects.get().occupation == "lainnya"
    assert problems(result) == [
        (2, "pekerjaan", "ditandai", "Pekerjaan tidak dikenali: dicatat sebagai 'Lainnya'")
    ]
    assert (result.created, result.flagged) == (1, 1)


def test_damaged_niks_are_stored_with_their_status_and_never_as_valid():
    rows = frame([
        worker_row(1, nik="6.47201E+15", nik_status="rusak"),
        worker_row(2, nik="647201170885000", nik_status="valid"),  # 15 digits: not valid
        worker_row(3, nik=None, nik_status="kosong", nama="Tanpa NIK"),
        worker_row(4, nik="", nik_status="kosong", nama="Tanpa NIK",
                   tanggal_lahir=dt.date(1970, 1, 1)),
    ])  # fmt: skip

    result = load("workers", rows, context=PROVINCE)

    assert result.created == 4
    stored = {(w.nik, w.nik_status) for w in Worker.objects.all()}
    assert stored == {("6.47201E+15", "rusak"), ("647201170885000", "tidak_valid"), ("", "kosong")}
    assert not Worker.objects.filter(nik_status="valid").exists()
    # Their fallback key (name, birth date, NIK text) makes the re-load idempotent.
    again = load("workers", rows, context=PROVINCE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_sex_comes_from_a_valid_nik_when_missing():
    woman = worker_row(1, jenis_kelamin="P")
    woman["jenis_kelamin"] = None
    load("workers", frame([woman]), context=PROVINCE)
    assert Worker.objects.get().sex == "P"


def test_duplicates_inside_the_file_are_rejected_after_the_first():
    first = worker_row(1)
    rows = frame([first, worker_row(2), {**first, "nama": "Salinan"}])
    result = load("workers", rows, context=PROVINCE)
    assert (result.created, result.rejected) == (2, 1)
    assert problems(result) == [(4, "nik", "ditolak", "Data ganda dalam file: sama dengan baris 2")]
    assert not Worker.objects.filter(name="Salinan").exists()


def test_same_nik_from_province_and_regency_are_two_proposals():
    rows = frame([worker_row(1)])
    load("workers", rows, context=PROVINCE)
    result = load("workers", rows, context=LoadContext(proposer_code="64.72"))
    assert result.created == 1
    assert sorted(Worker.objects.values_list("proposer_id", flat=True)) == ["64", "64.72"]


@given(st.lists(st.text(max_size=30), max_size=40))
@settings(max_examples=60, deadline=None)
def test_vectorised_search_key_equals_the_reference(names):
    series = pl.Series("n", names, dtype=pl.String)
    assert search_key_series(series).to_list() == [search_key(n) for n in names]


def test_vectorised_search_key_on_real_spellings():
    names = [
        "H. Muhammad  Yusuf",
        "Bahrúddin",
        "ＡＢＣ",
        "O'Neil-Smith",
        " Siti\tAminah ",
        "Ñoño",
        None,
    ]
    assert search_key_series(pl.Series(names)).to_list() == [search_key(n or "") for n in names]


# --- participants --------------------------------------------------------------------------------


def participant_row(serial: int, **fields: Any) -> dict[str, Any]:
    birth = dt.date(1985, 1, 1) + dt.timedelta(days=serial)
    row = {
        "nik": nik(DESA_SMD, birth, "L", serial),
        "nama": f"Peserta {serial}",
        "tanggal_lahir": birth,
        "jenis_kelamin": "L",
        "segmen": "BPU",
        "status": "AKTIF",
        "npp": None,
        "kode_wilayah": DESA_SMD,
        "tanggal_kepesertaan": dt.date(2024, 1, 1),
        "program": "JKK,JKM",
        "upah": 1_000_000,
        "pembayar": "pemerintah",
        "nik_status": "valid",
    }
    row.update(fields)
    return row


def test_participants_load_update_and_natural_key(petugas_bpjs):
    rows = frame([
        participant_row(1),
        participant_row(1, segmen="PU", npp="NPP0001", pembayar="pemberi_kerja", upah=4_000_000),
        participant_row(2, kode_wilayah="73.08"),
        participant_row(3, nik="6.47201E+15", nik_status="rusak"),
    ])  # fmt: skip
    context = LoadContext(user=petugas_bpjs, source="BPJS Jan 2026")

    result = load("participants", rows, context=context)

    assert (result.created, result.rejected) == (4, 0)
    bpu = Participant.objects.get(segment="BPU", name="Peserta 1")
    assert (bpu.region_id, bpu.kabkota_id, bpu.npp, bpu.programmes) == (
        DESA_SMD,
        "64.72",
        "",
        "JKK,JKM",
    )
    assert bpu.name_search == "peserta 1" and bpu.source == "BPJS Jan 2026"
    outside = Participant.objects.get(name="Peserta 2")
    assert (outside.region_id, outside.kabkota_id) == ("73.08", "73.08")
    assert Participant.objects.get(name="Peserta 3").nik_status == "rusak"

    again = load("participants", rows, context=context)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)

    moved = rows.with_columns(
        pl.when(pl.col("__row") == 2)
        .then(pl.lit("NONAKTIF"))
        .otherwise(pl.col("status"))
        .alias("status")
    )
    audits = AuditEntry.objects.count()
    result = load("participants", moved, context=context)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    entry = AuditEntry.objects.filter(action="update").latest("id")
    assert entry.changes == {"status": ["AKTIF", "NONAKTIF"]}
    assert entry.object_type == "matching.participant" and entry.actor == petugas_bpjs
    assert AuditEntry.objects.count() == audits + 2


def test_participants_outside_operator_scope_are_rejected(op_balikpapan):
    context = LoadContext(user=op_balikpapan, scope_kabkota="64.71")
    rows = frame([participant_row(1), participant_row(2, kode_wilayah=DESA_BPP)])
    result = load("participants", rows, context=context)
    assert (result.created, result.rejected) == (1, 1)
    assert Participant.objects.get().kabkota_id == "64.71"


# --- companies and employers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kota Samarinda", "64.72"), ("Samarinda", "64.72"), ("Kab. Paser", "64.01"),
        ("PASER", "64.01"), ("Kabupaten Paser", "64.01"), ("Kutai Kartanegara", "64.02"),
        ("Kukar", "64.02"), ("KAB. KUTAI TIMUR", "64.08"), ("Penajam Paser Utara", "64.09"),
        ("PPU", "64.09"), ("Kota Balikpapan", "64.71"), ("64.74", "64.74"), ("6474", "64.74"),
        ("Mahakam Ulu", "64.11"),
    ],
)  # fmt: skip
def test_company_kabkota_from_code_or_name(text, code):
    result = load(
        "companies", frame([{"nama": "PT Uji", "kabupaten_kota": text}]), context=PROVINCE
    )
    assert result.created == 1
    assert Company.objects.get().kabkota_id == code


def test_unknown_company_kabkota_is_rejected():
    rows = frame([
        {"nama": "PT Uji", "kabupaten_kota": "Gotham"},
        {"nama": "CV Dua", "kabupaten_kota": "Jakarta Selatan"},
    ])  # fmt: skip
    result = load("companies", rows, context=PROVINCE)
    assert (result.created, result.rejected) == (0, 2)
    assert {p[1:3] for p in problems(result)} == {("kabupaten_kota", "ditolak")}


def test_companies_natural_keys_upgrades_and_idempotence():
    rows = frame([
        {"nama": "PT. Maju Jaya Tbk", "nib": "1234567890123", "npwp": "01.234.567.8-901.000",
         "kabupaten_kota": "Samarinda", "skala_usaha": "besar", "jumlah_pekerja": 250},
        {"nama": "CV Sumber Rejeki", "nib": None, "npwp": "02.345.678.9-012.000",
         "kabupaten_kota": "Balikpapan"},
        {"nama": "UD Berkah", "nib": None, "npwp": None, "kabupaten_kota": "Bontang"},
    ])  # fmt: skip
    result = load("companies", rows, context=PROVINCE)
    assert result.created == 3
    maju = Company.objects.get(nib="1234567890123")
    assert (maju.name_key, maju.npwp, maju.size_class) == ("maju jaya", "012345678901000", "besar")
    assert Company.objects.get(name_key="berkah").kabkota_id == "64.74"

    again = load("companies", rows, context=PROVINCE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    # A later file: NIBs appear for the other two, the first lacks its NPWP, names vary.
    later = frame([
        {"nama": "PT Maju Jaya", "nib": "1234567890123", "npwp": None,
         "kabupaten_kota": "Kota Samarinda"},
        {"nama": "CV. Sumber Rejeki", "nib": "9999999999999", "npwp": "023456789012000",
         "kabupaten_kota": "Balikpapan"},
        {"nama": "U.D. Berkah", "nib": "8888888888888", "npwp": None, "kabupaten_kota": "Bontang"},
    ])  # fmt: skip
    result = load("companies", later, context=PROVINCE)
    assert (result.created, result.updated) == (0, 3)
    assert Company.objects.count() == 3
    assert Company.objects.get(nib="1234567890123").npwp == "012345678901000"  # never blanked
    assert Company.objects.get(nib="9999999999999").name == "CV. Sumber Rejeki"
    assert Company.objects.get(nib="8888888888888").name_key == "berkah"
    assert load("companies", later, context=PROVINCE).unchanged == 3


def test_company_duplicates_in_file_and_operator_scope(op_samarinda):
    rows = frame([
        {"nama": "PT A", "nib": "111", "kabupaten_kota": "Samarinda"},
        {"nama": "PT A lagi", "nib": "111", "kabupaten_kota": "Samarinda"},
        {"nama": "PT B", "nib": "222", "kabupaten_kota": "Balikpapan"},
    ])  # fmt: skip
    context = LoadContext(user=op_samarinda, scope_kabkota="64.72")
    result = load("companies", rows, context=context)
    assert (result.created, result.rejected) == (1, 2)
    assert list(Company.objects.values_list("name", flat=True)) == ["PT A"]


def test_employers_by_npp_with_update_audit():
    rows = frame([
        {"npp": "NN000001", "nama": "PT Kaltim Sejahtera", "npwp": "01.111.111.1-111.000",
         "kabupaten_kota": "Kukar", "tenaga_kerja_terdaftar": 120, "program": "JKK,JKM,JHT,JP",
         "rata_rata_upah": 3_500_000},
        {"npp": "NN000002", "nama": "CV Mahakam", "kabupaten_kota": "Gotham"},
    ])  # fmt: skip
    result = load("employers", rows, context=PROVINCE)
    assert (result.created, result.flagged) == (2, 1)
    first = Employer.objects.get(npp="NN000001")
    assert (first.kabkota_id, first.name_key, first.npwp) == (
        "64.02",
        "kaltim sejahtera",
        "011111111111000",
    )
    assert Employer.objects.get(npp="NN000002").kabkota_id is None

    grown = rows.with_columns(pl.col("tenaga_kerja_terdaftar").fill_null(0) + 10)
    result = load("employers", grown, context=PROVINCE)
    assert (result.updated, result.unchanged) == (2, 0)
    entry = AuditEntry.objects.filter(action="update", object_id=str(first.id)).get()
    assert entry.changes == {"workforce_registered": [120, 130]}
    assert entry.object_repr == "PT Kaltim Sejahtera (NN000001)"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="tidak dikenal"):
        load("pets", frame([worker_row(1)]), context=PROVINCE)


def test_text_that_looks_like_null_and_empty_text_survive_staging():
    rows = frame([worker_row(1, nama="\\N", alamat=""), worker_row(2, alamat="\\N")])
    load("workers", rows, context=PROVINCE)
    stored = dict(Worker.objects.values_list("nik", "address"))
    assert sorted(stored.values()) == ["", "\\N"]
    assert Worker.objects.filter(name="\\N").exists()


def test_empty_frame_loads_nothing():
    result = load("workers", frame([worker_row(1)]).head(0), context=PROVINCE)
    assert (result.created, result.updated, result.unchanged, result.rejected) == (0, 0, 0, 0)
    assert AuditEntry.objects.filter(action="import").count() == 1
