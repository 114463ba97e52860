"""The demo-data generator, its loader and the ``demo-data`` command."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from lindung import nik
from lindung.audit.models import AuditEntry
from lindung.demo.generator import AS_OF, COLUMNS, DamageRates, generate_workers, old_spelling
from lindung.demo.services import clear_demo_workers, load_workers, search_keys
from lindung.regions import reference
from lindung.registry.models import Worker
from lindung.registry.names import search_key

N = 20_000


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return generate_workers(N, 2026)


def clean(df: pl.DataFrame) -> pl.DataFrame:
    return df.filter(pl.col("damage").is_null())


def share(mask: pl.Series) -> float:
    return float(mask.sum()) / mask.len()


# --- the frame -----------------------------------------------------------------------------------


def test_same_seed_gives_the_same_frame():
    first = generate_workers(3_000, 11)
    assert first.equals(generate_workers(3_000, 11))
    assert not first.equals(generate_workers(3_000, 12))


def test_columns_and_types(frame):
    assert tuple(frame.columns) == COLUMNS
    assert frame.height == N
    assert frame.schema["birth_date"] == pl.Date
    assert frame["sex"].is_in(["L", "P"]).all()
    assert (
        frame.select(
            pl.exclude("monthly_income", "poverty_decile", "damage").null_count()
        ).sum_horizontal()[0]
        == 0
    )


def test_valid_niks_agree_with_birth_date_and_sex(frame):
    valid = frame.filter(pl.col("nik_status") == nik.NikStatus.VALID)
    disagree = []
    for value, born, sex, damage in valid.select("nik", "birth_date", "sex", "damage").iter_rows():
        parts = nik.parse(value)  # raises if a "valid" NIK does not parse
        decoded = nik.birth_date(value, year_hint=born.year)
        if decoded != born or parts.sex != sex:
            disagree.append(damage)
    # Only a mistyped NIK can disagree (a typo may still look valid).
    assert all(d is not None and "nik_typo" in d for d in disagree)
    # Undamaged rows are valid and rebuild exactly with make_nik.
    undamaged = clean(frame)
    assert (undamaged["nik_status"] == nik.NikStatus.VALID).all()
    for value, born, sex in undamaged.head(500).select("nik", "birth_date", "sex").iter_rows():
        assert nik.make_nik(value[:6], born, sex, int(value[12:])) == value


def test_nik_status_is_what_check_says(frame):
    sample = frame.sample(2_000, seed=1)
    for value, status in sample.select("nik", "nik_status").iter_rows():
        assert nik.check(value).status == status


def test_nik_region_of_first_registration(frame):
    rows = clean(frame)
    district = rows["kecamatan_id"].str.replace_all(".", "", literal=True)
    same = share(rows["nik"].str.slice(0, 6) == district)
    outside = share(rows["nik"].str.slice(0, 2) != reference.KALTIM)
    assert 0.78 < same < 0.88
    assert 0.03 < outside < 0.07
    assert rows["nik"].str.slice(0, 4).is_in(sorted(reference.regency_codes())).all()
    kaltim = rows.filter(pl.col("nik").str.starts_with(reference.KALTIM))
    assert kaltim["nik"].str.slice(0, 6).is_in(sorted(reference.kaltim_district_codes())).all()
    serials = rows["nik"].str.slice(12, 4).cast(pl.Int32)
    assert (serials >= 1).all() and share(serials <= 300) > 0.97


def test_kabkota_shares_track_population(frame):
    population = {k.code: k.population_2025 for k in reference.kaltim_kabkota()}
    total = sum(population.values())
    counts = dict(frame["kabkota_id"].value_counts().iter_rows())
    for code, people in population.items():
        expected = people / total
        assert abs(counts[code] / N - expected) < 0.2 * expected + 0.003, code
    ranked = sorted(counts, key=counts.__getitem__, reverse=True)
    assert set(ranked[:3]) == {"64.72", "64.02", "64.71"}  # Samarinda, Kukar, Balikpapan
    assert ranked[-1] == "64.11"  # Mahakam Ulu
    # Desa, kecamatan and kab/kota agree.
    assert (frame["desa_id"].str.slice(0, 8) == frame["kecamatan_id"]).all()
    assert (frame["kecamatan_id"].str.slice(0, 5) == frame["kabkota_id"]).all()


def test_people_look_like_the_registry(frame):
    age_days = (pl.lit(AS_OF) - pl.col("birth_date")).dt.total_days()
    ages = frame.select((age_days / 365.2425).alias("a"))["a"]
    assert ages.min() >= 18 and ages.max() < 71
    assert ages.is_between(25, 60).mean() > 0.8
    income = frame["monthly_income"].drop_nulls()
    assert income.min() >= 500_000 and income.max() <= 4_500_000
    assert (income % 50_000 == 0).all()
    assert frame["poverty_decile"].drop_nulls().is_between(1, 10).all()
    by_decile = frame.group_by("poverty_decile").agg(pl.col("monthly_income").median()).drop_nulls()
    assert by_decile.sort("poverty_decile")["monthly_income"].is_sorted()
    assert 0.75 < (frame["proposer_id"] != reference.KALTIM).mean() < 0.85
    assert (frame["status"] == "diusulkan").mean() > 0.7
    assert (
        frame["source"]
        .is_in(["DTKS 2025", "P3KE 2024", "Regsosek 2022", "Usulan Desa", "Usulan Kelurahan"])
        .all()
    )


def test_occupations_follow_the_region(frame):
    share = frame.group_by("kabkota_id").agg(
        fisher=(pl.col("occupation") == "nelayan").mean(),
        farmer=(pl.col("occupation") == "petani").mean(),
        ojek=(pl.col("occupation") == "ojek").mean(),
    )
    s = {row["kabkota_id"]: row for row in share.iter_rows(named=True)}
    assert s["64.74"]["fisher"] > 3 * s["64.07"]["fisher"]  # Bontang vs Kutai Barat
    assert s["64.11"]["farmer"] > 5 * s["64.72"]["farmer"]  # Mahakam Ulu vs Samarinda
    assert s["64.72"]["ojek"] > 2 * s["64.07"]["ojek"]


def test_names_and_spelling_variants(frame):
    names = frame["name"]
    assert (names.str.len_chars() > 0).all()
    assert names.str.starts_with("Muhammad ").sum() > names.str.starts_with("Muhamad ").sum() > 0
    for variant in ("M. ", "Moh. ", "Siti ", "Nur ", "H. ", "Hj. "):
        assert names.str.starts_with(variant).any(), variant
    assert not names.is_in(["Siti", "Muhammad", "M.", "Abdul"]).any()  # never alone
    assert names.str.contains("oe").any()  # pre-1972 spelling for older people (Soeparman)
    assert old_spelling("Suparman") == "Soeparman" and old_spelling("Joko") == "Djoko"


def test_damage_within_bounds(frame):
    damaged = frame["damage"].is_not_null().mean()
    assert 0.02 < damaged < 0.045
    kinds = frame["damage"].drop_nulls().str.split(",").explode().value_counts()
    counts = dict(kinds.iter_rows())
    for kind, rate in DamageRates().__dict__.items():
        assert 0.4 * rate * N < counts.get(kind, 0) < 1.6 * rate * N, kind
    by_kind = frame.filter(pl.col("damage").is_not_null())
    status = {k: set(by_kind.filter(pl.col("damage") == k)["nik_status"]) for k in counts}
    assert status["nik_scientific"] == {"rusak"}
    assert status["nik_blank"] == {"kosong"}
    caps = frame.filter(pl.col("damage") == "name_caps")["name"]
    assert (caps == caps.str.to_uppercase()).all()
    spaced = frame.filter(pl.col("damage") == "name_spaces")["name"]
    assert (spaced != spaced.str.strip_chars().str.replace_all("  +", " ")).all()


def test_without_damage():
    df = generate_workers(3_000, 5, damage=False)
    assert df["damage"].is_null().all()
    assert (df["nik_status"] == nik.NikStatus.VALID).all()


def test_same_person_proposed_twice_never_same_nik_twice_per_proposer(frame):
    twice = frame.filter(pl.col("person_id").is_duplicated())
    assert 0.015 < twice.height / N < 0.025  # ~1% of people, two rows each
    pairs = twice.group_by("person_id").agg(
        province=(pl.col("proposer_id") == reference.KALTIM).sum(),
        kabkota=pl.col("kabkota_id").n_unique(),
        born=pl.col("birth_date").n_unique(),
        sex=pl.col("sex").n_unique(),
    )
    assert (pairs["province"] == 1).all()  # one by the province, one by the kab/kota
    assert (
        (pairs["kabkota"] == 1).all() and (pairs["born"] == 1).all() and (pairs["sex"] == 1).all()
    )
    with_nik = frame.filter(pl.col("nik") != "")
    assert with_nik.select("proposer_id", "nik").is_duplicated().sum() == 0


def test_heavy_damage_still_keeps_proposer_nik_unique():
    rates = DamageRates(nik_scientific=0.3, nik_zeroed=0.2, nik_blank=0.0, nik_typo=0.3)
    df = generate_workers(5_000, 3, rates=rates)
    with_nik = df.filter(pl.col("nik") != "")
    assert with_nik.select("proposer_id", "nik").is_duplicated().sum() == 0
    assert df.filter(pl.col("damage") == "nik_scientific").height > 1_000


def test_search_keys_match_search_key():
    names = pl.Series(["  Hj. SITI  Nur'aini, S.Pd. ", "José da Costa", "M.\tYusuf", "", "Ñoño—Ü"])
    assert search_keys(names).to_list() == [search_key(v) for v in names]


# --- the database --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_workers_inserts_rows_with_one_audit_entry():
    df = generate_workers(2_000, 5)
    seen: list[int] = []
    assert load_workers(df, batch_size=700, seed=5, progress=seen.append) == 2_000
    assert seen == [700, 700, 600]
    assert Worker.objects.count() == 2_000
    first = df.row(0, named=True)
    worker = Worker.objects.select_related("kabkota", "desa").get(
        proposer_id=first["proposer_id"], name=first["name"], birth_date=first["birth_date"]
    )
    assert worker.kabkota_id == first["kabkota_id"] == str(worker.desa_id)[:5]
    assert worker.kabkota.name.startswith(("Kota", "Kabupaten"))
    assert worker.kecamatan_id == first["kecamatan_id"]
    assert worker.name_search == search_key(first["name"])
    assert worker.nik == first["nik"] and worker.nik_status == first["nik_status"]
    assert isinstance(worker.birth_date, date) and worker.created_at is not None
    for code, count in df["kabkota_id"].value_counts().iter_rows():
        assert Worker.objects.filter(kabkota_id=code).count() == count
    entries = AuditEntry.objects.filter(action="import", object_type="registry.worker")
    assert [e.detail for e in entries] == [{"source": "demo-data", "rows": 2_000, "seed": 5}]


@pytest.mark.django_db
def test_clear_demo_workers():
    load_workers(generate_workers(500, 6), seed=6)
    assert clear_demo_workers() == 500
    assert not Worker.objects.exists()
    assert AuditEntry.objects.filter(action="delete", detail__rows=500).count() == 1
    assert clear_demo_workers() == 0


@pytest.mark.django_db
def test_command_refuses_a_non_empty_registry_unless_replace(capsys, settings):
    settings.DEBUG = True  # --replace outside the demo mode also needs --force
    call_command("demo_data", workers=800, seed=1)
    assert Worker.objects.count() == 800
    assert "800 pekerja demo dimuat" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--replace"):
        call_command("demo_data", workers=300, seed=2)
    assert Worker.objects.count() == 800
    call_command("demo_data", workers=300, seed=2, replace=True)
    assert Worker.objects.count() == 300
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("demo_data", workers=300, seed=3, replace=True)
    call_command("demo_data", workers=200, seed=3, replace=True, force=True)
    assert Worker.objects.count() == 200
