"""Seeded, realistic demo registry of vulnerable workers, as one Polars DataFrame.

:func:`generate_workers` is a pure function of ``(n, seed, options)``: no database, no clock, no
global random state. It is the data source of the demo, of tests, and of the benchmarks of the
million-row import and the record-linkage engine, so everything is vectorised with NumPy and
Polars (loops run only over small tables: kab/kota, name groups, spelling variants).

What makes it realistic (see ``lindung/demo/names.py`` for the names):

* kab/kota drawn in proportion to their 2025 population; desa/kelurahan within the kab/kota,
  kelurahan (towns) weighted more than desa;
* ages 18–70, mostly 25–60; sex, occupation and income depend on the kab/kota and on each other;
* the NIK agrees with birth date and sex and carries the kecamatan of *first registration*:
  usually where the person lives, ~12% elsewhere in Kaltim, ~5% in another province (the
  regency of the person's name group, e.g. Bone for Bugis, Jember for Javanese);
* ~1% of people are proposed twice, by the province and by their kab/kota, with small
  differences (name spelling, address, source): same ``person_id``, never the same
  (``proposer_id``, ``nik``) twice;
* with ``damage=True``, ~3% of rows carry the defects of real spreadsheets (scientific notation,
  zeroed 16th digit, blank or mistyped NIKs, stray spaces and capitals in names). The
  ``nik_status`` column is what :func:`lindung.nik.check_series` says about each NIK, and the
  ``damage`` column records what was done (the truth, for tests and benchmarks).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import NamedTuple

import numpy as np
import polars as pl

from lindung import nik as nik_module
from lindung.demo import names as N
from lindung.regions import reference

#: Reference date for ages: fixed, so that a seed gives the same data on every day.
AS_OF = date(2026, 1, 1)
#: Proposing office of the province (Region code).
PROVINCE = reference.KALTIM

#: Columns of the frame, in order. All but ``person_id`` and ``damage`` map to ``Worker`` fields.
COLUMNS = (
    "nik",
    "nik_status",
    "name",
    "birth_date",
    "sex",
    "address",
    "desa_id",
    "kecamatan_id",
    "kabkota_id",
    "occupation",
    "monthly_income",
    "poverty_decile",
    "proposer_id",
    "source",
    "status",
    "person_id",
    "damage",
)


@dataclass(frozen=True)
class DamageRates:
    """Share of rows given each defect when ``damage=True`` (about 3% of rows in all).

    NIK defects exclude each other; name defects too; a row can have one of each.
    """

    nik_scientific: float = 0.006  # "6.47201E+15": Excel's scientific notation
    nik_zeroed: float = 0.005  # 16th digit replaced by 0 (Excel keeps 15 significant digits)
    nik_blank: float = 0.007  # no NIK at all
    nik_typo: float = 0.005  # one digit mistyped, or two neighbours swapped
    name_spaces: float = 0.004  # doubled, leading or trailing spaces
    name_caps: float = 0.004  # ALL CAPS

    @property
    def nik_total(self) -> float:
        return self.nik_scientific + self.nik_zeroed + self.nik_blank + self.nik_typo

    @property
    def name_total(self) -> float:
        return self.name_spaces + self.name_caps


@dataclass(frozen=True)
class Profile:
    """Shares that shape the registry (defaults are the realistic ones)."""

    duplicate_rate: float = 0.01  # rows that repeat a person under the other proposer
    province_proposer: float = 0.20  # rows proposed by the province rather than the kab/kota
    nik_elsewhere_kaltim: float = 0.12  # NIK first issued in another kecamatan of Kaltim
    nik_other_province: float = 0.05  # NIK first issued outside Kaltim
    male: float = 0.62
    natural_variant: float = 1.0  # scale of spelling variants across people (Muhamad, M.)
    old_spelling: float = 0.3  # people born before 1973 in Java-origin groups: "Soeparman"


SOURCES: tuple[tuple[str, float], ...] = (
    ("DTKS 2025", 38),
    ("P3KE 2024", 24),
    ("Regsosek 2022", 18),
    ("Usulan Desa", 20),  # "Usulan Kelurahan" where the person lives in a kelurahan
)
STATUSES: tuple[tuple[str, float], ...] = (
    ("diusulkan", 82),
    ("terverifikasi", 15),
    ("ditolak", 2),
    ("nonaktif", 1),
)
#: Proposals are aimed at the poorest: decile 1 (poorest 10%) is the most frequent.
DECILE_WEIGHTS = (18, 16, 14, 12, 10, 9, 7, 6, 5, 3)

# Occupation mix by kab/kota: fishermen on the coast (Bontang, Balikpapan, Berau, Paser, PPU,
# the Mahakam delta of Kukar), farmers and plantation labour inland (Kutai Barat, Mahakam Ulu,
# Kutai Timur), traders, ojek and day labour in the cities.
_OCC_KEYS = (
    "nelayan",
    "petani",
    "buruh_tani",
    "buruh_harian_lepas",
    "pedagang_kaki_lima",
    "ojek",
    "sopir",
    "tukang_parkir",
    "buruh_pelabuhan",
    "tukang_bangunan",
    "pekerja_rumah_tangga",
    "pengrajin",
    "pekerja_keagamaan",
    "pemulung",
    "peternak",
    "lainnya",
)
# fmt: off
OCCUPATION_WEIGHTS: dict[str, tuple[float, ...]] = {
    #        nel  pet  btn  bhl  pkl  ojk  sop  prk  pel  tkg  prt  pgr  kgm  pml  ptk  lain
    "64.01": (9,  14,  16,  10,  9,   6,   3,   2,   2,   7,   4,   3,   4,   1,   3,   7),
    "64.02": (7,  18,  14,  12,  10,  7,   3,   2,   2,   7,   3,   3,   4,   1,   3,   4),
    "64.03": (14, 12,  12,  10,  10,  7,   3,   2,   4,   7,   4,   3,   4,   1,   2,   5),
    "64.07": (2,  34,  16,  9,   7,   5,   2,   1,   0.5, 6,   2,   5,   4,   0.5, 3,   3),
    "64.08": (5,  20,  20,  11,  9,   7,   3,   2,   2,   7,   3,   2,   4,   1,   2,   2),
    "64.09": (10, 16,  12,  11,  9,   7,   3,   2,   3,   8,   4,   3,   4,   1,   3,   4),
    "64.11": (4,  42,  8,   8,   5,   3,   1,   0.5, 0.5, 6,   2,   6,   4,   0.5, 3,   6),
    "64.71": (6,  2,   2,   14,  18,  15,  6,   6,   6,   10,  7,   2,   3,   3,   1,   0),
    "64.72": (2,  2,   2,   16,  20,  16,  6,   6,   4,   10,  7,   3,   4,   3,   1,   5),
    "64.74": (14, 3,   3,   12,  16,  12,  4,   4,   5,   9,   6,   2,   4,   2,   1,   3),
}
# fmt: on
#: Multipliers applied to the kab/kota weights for men (all others 1) and for women.
MALE_OCCUPATION_FACTOR: dict[str, float] = {"pekerja_rumah_tangga": 0.1, "pengrajin": 0.6}
FEMALE_OCCUPATION_FACTOR: dict[str, float] = {
    "nelayan": 0.1,
    "petani": 0.6,
    "buruh_tani": 0.9,
    "buruh_harian_lepas": 0.6,
    "pedagang_kaki_lima": 1.8,
    "ojek": 0.05,
    "sopir": 0.03,
    "tukang_parkir": 0.15,
    "buruh_pelabuhan": 0.03,
    "tukang_bangunan": 0.04,
    "pekerja_rumah_tangga": 5.0,
    "pengrajin": 2.5,
    "pekerja_keagamaan": 1.2,
    "pemulung": 0.9,
    "peternak": 0.5,
    "lainnya": 1.2,
}
#: Income level of each occupation relative to the decile's median.
OCCUPATION_INCOME_FACTOR: dict[str, float] = {
    "nelayan": 1.05,
    "petani": 0.95,
    "buruh_tani": 0.85,
    "buruh_harian_lepas": 0.95,
    "pedagang_kaki_lima": 1.05,
    "ojek": 1.25,
    "sopir": 1.35,
    "tukang_parkir": 0.85,
    "buruh_pelabuhan": 1.2,
    "tukang_bangunan": 1.3,
    "pekerja_rumah_tangga": 0.8,
    "pengrajin": 0.9,
    "pekerja_keagamaan": 0.75,
    "pemulung": 0.7,
    "peternak": 1.0,
    "lainnya": 1.0,
}
INCOME_MIN, INCOME_MAX, INCOME_STEP = 500_000, 4_500_000, 50_000

#: Name groups that are mostly Muslim (the haji title H./Hj. is possible), with the share.
MUSLIM_SHARE: dict[str, float] = {
    "jawa": 0.95,
    "bugis": 0.99,
    "banjar": 0.99,
    "kutai": 0.98,
    "madura": 1.0,
    "sunda": 0.98,
    "makassar": 0.98,
    "minang": 0.99,
    "batak": 0.3,
    "dayak_benuaq": 0.2,
}

#: Regencies of first registration for migrants whose name group has no home outside Kaltim.
MIGRANT_REGENCIES: tuple[tuple[str, float], ...] = (
    ("73.08", 4),
    ("73.71", 3),
    ("35.09", 3),
    ("35.07", 2),
    ("33.01", 2),
    ("63.71", 3),
    ("63.03", 2),
    ("76.04", 2),
    ("53.07", 1),
    ("74.04", 1),
    ("72.01", 1),
    ("52.03", 1),
)


# --- reference tables ----------------------------------------------------------------------------


class _Regions(NamedTuple):
    kabkota: tuple[str, ...]  # "64.01", …
    population: np.ndarray  # per kab/kota
    districts: tuple[str, ...]  # "64.01.01", …
    district_kk: np.ndarray  # kab/kota index of each district
    villages: tuple[str, ...]  # "64.01.01.2009", …
    village_names: tuple[str, ...]
    village_district: np.ndarray  # district index of each village
    village_kk: np.ndarray  # kab/kota index of each village
    village_urban: np.ndarray  # kelurahan (…1xxx) rather than desa (…2xxx)


@cache
def _regions() -> _Regions:
    kabkota = reference.kaltim_kabkota()
    kk_codes = tuple(k.code for k in kabkota)
    kk_index = {c: i for i, c in enumerate(kk_codes)}
    districts = reference.kaltim_districts()
    d_codes = tuple(d.code for d in districts)
    d_index = {c: i for i, c in enumerate(d_codes)}
    villages = reference.kaltim_villages()
    v_district = np.array([d_index[v.district_code] for v in villages], dtype=np.int32)
    district_kk = np.array([kk_index[d.regency_code] for d in districts], dtype=np.int32)
    return _Regions(
        kabkota=kk_codes,
        population=np.array([k.population_2025 for k in kabkota], dtype=np.float64),
        districts=d_codes,
        district_kk=district_kk,
        villages=tuple(v.code for v in villages),
        village_names=tuple(v.name for v in villages),
        village_district=v_district,
        village_kk=district_kk[v_district],
        village_urban=np.array([v.code.split(".")[3].startswith("1") for v in villages]),
    )


class _Pool(NamedTuple):
    idx: np.ndarray  # vocabulary indices
    p: np.ndarray  # probabilities (sum 1)


class _Vocab(NamedTuple):
    words: list[str]
    positions: dict[str, int]
    groups: tuple[str, ...]
    # pools[(group, slot, sex)], slot in first/middle/last/family/prefix; family has sex "*"
    pools: dict[tuple[str, str, str], _Pool]
    variants: dict[int, _Pool]  # canonical index → its spelling variants
    needs_second: np.ndarray  # index → the name does not stand alone (Siti, Muhammad)
    canonical: np.ndarray  # index → index of the canonical spelling (itself when none)
    old: np.ndarray  # index → index of the pre-1972 spelling (itself when unchanged)
    new: np.ndarray  # index → index of the modern spelling (inverse of ``old``)


_OLD_MAP = dict(N.OLD_SPELLING)
_OLD_RE = re.compile("|".join(sorted(_OLD_MAP, key=len, reverse=True)), re.IGNORECASE)


def old_spelling(word: str) -> str:
    """``"Suparman"`` → ``"Soeparman"``, ``"Joko"`` → ``"Djoko"``, ``"Yusuf"`` → ``"Joesoef"``."""

    def swap(match: re.Match[str]) -> str:
        found = match.group()
        old = _OLD_MAP[found.lower()]
        return old[0].upper() + old[1:] if found[0].isupper() else old

    return _OLD_RE.sub(swap, word)


def _pool(vocab_index: dict[str, int], words: list[str], weighted: N.Weighted) -> _Pool:
    merged: dict[str, float] = {}
    for word, weight in weighted:  # a name may appear in a shared pool and a group's own list
        merged[word] = merged.get(word, 0.0) + float(weight)
    for word in merged:
        if word not in vocab_index:
            vocab_index[word] = len(words)
            words.append(word)
    p = np.array(list(merged.values()), dtype=np.float64)
    return _Pool(np.array([vocab_index[w] for w in merged], dtype=np.int32), p / p.sum())


@cache
def _vocab() -> _Vocab:
    words: list[str] = []
    index: dict[str, int] = {}
    pools: dict[tuple[str, str, str], _Pool] = {}
    for name, group in N.GROUPS.items():
        for sex in ("L", "P"):
            for slot in ("first", "middle", "last", "prefix"):
                weighted = group[slot][sex]  # type: ignore[literal-required]
                if weighted:
                    pools[(name, slot, sex)] = _pool(index, words, weighted)
        if group["family"]:
            pools[(name, "family", "*")] = _pool(index, words, group["family"])
        for sex in ("L", "P"):
            alone_ok = tuple(item for item in group["first"][sex] if item[0] not in N.NEEDS_SECOND)
            pools[(name, "second", sex)] = _pool(index, words, alone_ok)
    variants = {}
    for base, weighted in N.SPELLING_VARIANTS.items():
        pool = _pool(index, words, weighted)
        variants[index[base]] = pool
    canonical = np.arange(len(words), dtype=np.int32)
    for base_idx, pool in variants.items():
        canonical[pool.idx] = base_idx
    # Old spellings of every word (and the way back).
    modern = list(words)
    size = len(modern)
    old_pairs = []
    for i, word in enumerate(modern):
        old = old_spelling(word)
        if old not in index:
            index[old] = len(words)
            words.append(old)
        old_pairs.append((i, index[old]))
    canonical = np.concatenate([canonical, np.arange(size, len(words), dtype=np.int32)])
    old_of = np.arange(len(words), dtype=np.int32)
    new_of = np.arange(len(words), dtype=np.int32)
    for i, j in old_pairs:
        if j != i:
            old_of[i] = j
            if new_of[j] == j:
                new_of[j] = i
    needs_second = np.array([w in N.NEEDS_SECOND for w in words], dtype=bool)
    return _Vocab(
        words, index, tuple(N.GROUPS), pools, variants, needs_second, canonical, old_of, new_of
    )


def _weights(weighted: Sequence[tuple[str, float]]) -> tuple[list[str], np.ndarray]:
    keys = [k for k, _ in weighted]
    p = np.array([w for _, w in weighted], dtype=np.float64)
    return keys, p / p.sum()


def _draw(rng: np.random.Generator, pool: _Pool, size: int) -> np.ndarray:
    return pool.idx[rng.choice(len(pool.idx), size=size, p=pool.p)]


def _regency_district_cap(regency: str) -> int:
    """Plausible number of kecamatan: towns (``xx.7x``) have few, regencies a dozen or more."""
    return 4 if regency.split(".")[1].startswith("7") else 12


# --- the generator -------------------------------------------------------------------------------


def generate_workers(
    n: int,
    seed: int,
    *,
    damage: bool = True,
    rates: DamageRates | None = None,
    profile: Profile | None = None,
    as_of: date = AS_OF,
) -> pl.DataFrame:
    """``n`` proposal rows (``COLUMNS``), the same for the same arguments on any machine and day.

    ``person_id`` (1…) identifies the real person behind a row: rows of one person proposed by
    both the province and the kab/kota share it. ``damage`` is null for clean rows, otherwise a
    comma-separated list of the defects applied (``nik_scientific``, ``nik_zeroed``,
    ``nik_blank``, ``nik_typo``, ``name_spaces``, ``name_caps``).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    rates = rates or DamageRates()
    profile = profile or Profile()
    rng = np.random.default_rng(seed)
    regions = _regions()
    vocab = _vocab()

    n_dup = min(round(n * profile.duplicate_rate), n // 2)
    m = n - n_dup  # distinct people

    # --- where they live ---------------------------------------------------------------------
    n_villages = len(regions.villages)
    v_weight = np.where(regions.village_urban, 3.0, 1.0)
    kk_weight_sum = np.bincount(
        regions.village_kk, weights=v_weight, minlength=len(regions.kabkota)
    )
    v_p = regions.population[regions.village_kk] * v_weight / kk_weight_sum[regions.village_kk]
    village = rng.choice(n_villages, size=m, p=v_p / v_p.sum()).astype(np.int32)
    district = regions.village_district[village]
    kk = regions.village_kk[village]

    # --- who they are ------------------------------------------------------------------------
    male = rng.random(m) < profile.male
    age = rng.normal(42.0, 10.5, m)
    outside = (age < 18.0) | (age >= 71.0)  # ~1.5%: redrawn uniformly, no spike at 18 or 70
    age[outside] = rng.uniform(18.0, 71.0, int(outside.sum()))
    as_of_days = (np.datetime64(as_of, "D") - np.datetime64("1970-01-01", "D")).astype(np.int64)
    birth_days = as_of_days - np.floor(age * 365.2425).astype(np.int64) - 1
    birth = pl.Series("birth_date", birth_days.astype(np.int32)).cast(pl.Date)
    b_year = birth.dt.year().to_numpy().astype(np.int64)
    b_month = birth.dt.month().to_numpy().astype(np.int64)
    b_day = birth.dt.day().to_numpy().astype(np.int64)

    group = np.zeros(m, dtype=np.int32)
    for k, code in enumerate(regions.kabkota):
        rows = np.flatnonzero(kk == k)
        keys, p = _weights(N.GROUP_MIX_BY_KABKOTA[code])
        group[rows] = np.array([vocab.groups.index(g) for g in keys])[
            rng.choice(len(keys), size=len(rows), p=p)
        ]

    first, middle, last, prefix = (np.full(m, -1, dtype=np.int32) for _ in range(4))
    haji = np.zeros(m, dtype=bool)
    for g, gname in enumerate(vocab.groups):
        spec = N.GROUPS[gname]
        for sex_code, sex_mask in (("L", male), ("P", ~male)):
            rows = np.flatnonzero((group == g) & sex_mask)
            size = len(rows)
            if not size:
                continue
            first[rows] = _draw(rng, vocab.pools[(gname, "first", sex_code)], size)
            if (gname, "middle", sex_code) in vocab.pools:
                chosen = rows[rng.random(size) < spec["p_middle"]]
                middle[chosen] = _draw(rng, vocab.pools[(gname, "middle", sex_code)], len(chosen))
            u = rng.random(size)
            if (gname, "family", "*") in vocab.pools:
                chosen = rows[u < spec["p_family"]]
                last[chosen] = _draw(rng, vocab.pools[(gname, "family", "*")], len(chosen))
            if (gname, "last", sex_code) in vocab.pools:
                chosen = rows[
                    (u >= spec["p_family"]) & (rng.random(size) < spec["p_last"][sex_code])
                ]
                last[chosen] = _draw(rng, vocab.pools[(gname, "last", sex_code)], len(chosen))
            if (gname, "prefix", sex_code) in vocab.pools:
                chosen = rows[rng.random(size) < spec["p_prefix"]]
                prefix[chosen] = _draw(rng, vocab.pools[(gname, "prefix", sex_code)], len(chosen))
            share = MUSLIM_SHARE.get(gname, 0.02)
            p_haji = np.select([age[rows] >= 45, age[rows] >= 30], [0.07, 0.015], 0.002) * share
            haji[rows] = rng.random(size) < p_haji
    # No "Fajar Noor Noor": a part equal to another is left out.
    canon = vocab.canonical
    middle[(middle >= 0) & ((canon[middle] == canon[first]) | (canon[middle] == canon[last]))] = -1
    last[(last >= 0) & (canon[last] == canon[first])] = -1
    # "Siti" or "Muhammad" alone is not a name: add a second given name (Siti Aminah).
    trailing = np.where(middle >= 0, middle, first)
    alone = (last < 0) & vocab.needs_second[trailing]
    for g, gname in enumerate(vocab.groups):
        for sex_code, sex_mask in (("L", male), ("P", ~male)):
            rows = np.flatnonzero(alone & (group == g) & sex_mask)
            if len(rows):
                last[rows] = _draw(rng, vocab.pools[(gname, "second", sex_code)], len(rows))
    # Spelling variants across people (Muhamad, M., Noor) for given names.
    for slot in (first, middle):
        for base_idx, pool in vocab.variants.items():
            rows = np.flatnonzero(slot == base_idx)
            if len(rows):
                change = rows[rng.random(len(rows)) < profile.natural_variant]
                slot[change] = _draw(rng, pool, len(change))
    # Old spelling for older people of Java-origin groups: Soeparman, Djoko, Noer.
    old_groups = [g for g, name in enumerate(vocab.groups) if N.GROUPS[name]["old_spelling"]]
    oldies = np.isin(group, old_groups) & (b_year < 1973) & (rng.random(m) < profile.old_spelling)
    for slot in (first, middle, last):
        sel = oldies & (slot >= 0)
        slot[sel] = vocab.old[slot[sel]]

    # --- what they do and earn ---------------------------------------------------------------
    occupation = np.zeros(m, dtype=np.int32)
    male_factor = np.array([MALE_OCCUPATION_FACTOR.get(o, 1.0) for o in _OCC_KEYS])
    female_factor = np.array([FEMALE_OCCUPATION_FACTOR[o] for o in _OCC_KEYS])
    for k, code in enumerate(regions.kabkota):
        base = np.array(OCCUPATION_WEIGHTS[code], dtype=np.float64)
        for sex_mask, w in ((male, base * male_factor), (~male, base * female_factor)):
            rows = np.flatnonzero((kk == k) & sex_mask)
            occupation[rows] = rng.choice(len(_OCC_KEYS), size=len(rows), p=w / w.sum())
    # Religious workers (guru ngaji, marbot) and some honorary teachers hold a degree.
    keagamaan = _OCC_KEYS.index("pekerja_keagamaan")
    p_degree = np.where(occupation == keagamaan, 0.06, 0.006)
    degree_keys, degree_p = _weights(N.DEGREES)
    degree = np.where(
        rng.random(m) < p_degree, rng.choice(len(degree_keys), size=m, p=degree_p), -1
    )
    degree_comma = rng.random(m) < 0.6

    decile = rng.choice(10, size=m, p=np.array(DECILE_WEIGHTS) / sum(DECILE_WEIGHTS)) + 1
    occ_factor = np.array([OCCUPATION_INCOME_FACTOR[o] for o in _OCC_KEYS])[occupation]
    median = 850_000 * np.exp(0.16 * (decile - 1)) * occ_factor
    income = median * np.exp(rng.normal(0.0, 0.22, m))
    income = np.clip(np.round(income / INCOME_STEP) * INCOME_STEP, INCOME_MIN, INCOME_MAX)
    income = income.astype(np.int64)

    source_keys, source_p = _weights(SOURCES)
    source = rng.choice(len(source_keys), size=m, p=source_p)
    usulan = source == source_keys.index("Usulan Desa")
    decile_missing = usulan & (rng.random(m) < 0.6)
    income_missing = usulan & (rng.random(m) < 0.15)
    status_keys, status_p = _weights(STATUSES)
    status = rng.choice(len(status_keys), size=m, p=status_p)
    by_province = rng.random(m) < profile.province_proposer

    # --- NIK: kecamatan of first registration + birth date + serial --------------------------
    district6 = np.array([int(reference.digits(d)) for d in regions.districts], dtype=np.int64)
    nik_district = district6[district]
    migrant = np.array([N.GROUPS[g]["migrant"] for g in vocab.groups])[group]
    scale = float(migrant.mean()) if m else 1.0
    p_other = np.minimum(profile.nik_other_province * migrant / max(scale, 1e-9), 0.5)
    u = rng.random(m)
    other_prov = u < p_other
    elsewhere = ~other_prov & (rng.random(m) < profile.nik_elsewhere_kaltim / (1 - p_other))
    # Elsewhere in Kaltim: half in another kecamatan of the same kab/kota, half anywhere.
    same_kk = elsewhere & (rng.random(m) < 0.5)
    for k in range(len(regions.kabkota)):
        rows = np.flatnonzero(same_kk & (kk == k))
        choices = np.flatnonzero(regions.district_kk == k)
        nik_district[rows] = district6[choices[rng.integers(0, len(choices), len(rows))]]
    rows = np.flatnonzero(elsewhere & ~same_kk)
    d_p = (
        regions.population[regions.district_kk]
        / np.bincount(regions.district_kk)[regions.district_kk]
    )
    nik_district[rows] = district6[rng.choice(len(district6), size=len(rows), p=d_p / d_p.sum())]
    # Another province: the home regencies of the person's name group.
    for g, gname in enumerate(vocab.groups):
        rows = np.flatnonzero(other_prov & (group == g))
        if not len(rows):
            continue
        home = N.GROUPS[gname]["home"] or MIGRANT_REGENCIES
        keys, p = _weights(home)
        regency = np.array([int(reference.digits(r)) for r in keys], dtype=np.int64)
        cap = np.array([_regency_district_cap(r) for r in keys], dtype=np.int64)
        pick = rng.choice(len(keys), size=len(rows), p=p)
        nik_district[rows] = (
            regency[pick] * 100 + 1 + rng.integers(0, 1 << 30, len(rows)) % cap[pick]
        )

    dd = b_day + np.where(male, 0, 40)
    prefix12 = ((nik_district * 100 + dd) * 100 + b_month) * 100 + b_year % 100
    # Serials are small: most people are among the first few hundred registered with the same
    # kecamatan and birth date. Make them unique per prefix, keeping them as small as they were.
    serial = np.where(
        rng.random(m) < 0.55,
        rng.geometric(0.15, m),
        1 + np.floor(rng.exponential(70.0, m)).astype(np.int64),
    )
    serial = np.clip(serial, 1, 9999)
    serial = _unique_serials(prefix12, serial)
    nik_int = prefix12 * 10_000 + serial

    # --- duplicates: the same person proposed by the other office ----------------------------
    dup_of = np.sort(rng.choice(m, size=n_dup, replace=False)) if n_dup else np.zeros(0, np.int64)
    take = np.concatenate([np.arange(m), dup_of])
    is_dup = np.zeros(n, dtype=bool)
    is_dup[m:] = True

    address = _addresses(rng, regions, village, take, is_dup)

    def rows_of(a: np.ndarray) -> np.ndarray:
        return a[take]

    first, middle, last, prefix = map(rows_of, (first, middle, last, prefix))
    haji, degree, degree_comma = map(rows_of, (haji, degree, degree_comma))
    village, district, kk = map(rows_of, (village, district, kk))
    male, occupation, decile, income = map(rows_of, (male, occupation, decile, income))
    decile_missing, income_missing = rows_of(decile_missing), rows_of(income_missing)
    source, status, by_province = map(rows_of, (source, status, by_province))
    nik_int = rows_of(nik_int)
    birth = birth.gather(take)

    # The second proposal differs a little: other office, other source, status, income.
    dup = np.flatnonzero(is_dup)
    by_province[dup] = ~by_province[dup]
    source[dup] = rng.choice(len(source_keys), size=n_dup, p=source_p)
    status[dup] = status_keys.index("diusulkan")
    jitter = rng.random(n_dup) < 0.4
    income[dup] = np.clip(
        income[dup] + np.where(jitter, rng.integers(-4, 5, n_dup) * INCOME_STEP, 0),
        INCOME_MIN,
        INCOME_MAX,
    )
    decile[dup] = np.clip(
        decile[dup] + np.where(rng.random(n_dup) < 0.2, rng.integers(-1, 2, n_dup), 0), 1, 10
    )
    # ...and the name as typed by another clerk.
    kind = rng.choice(7, size=n_dup, p=[0.3, 0.2, 0.1, 0.12, 0.1, 0.1, 0.08])
    # 1: another spelling of the first name (Muhammad → M.)
    rows = dup[kind == 1]
    base = vocab.canonical[first[rows]]
    for base_idx, pool in vocab.variants.items():
        sel = rows[base == base_idx]
        first[sel] = _draw(rng, pool, len(sel))
    # 2: old ↔ new spelling (Java-origin groups, people born before 1973)
    rows = dup[kind == 2]
    rows = rows[np.isin(group[take[rows]], old_groups) & (b_year[take[rows]] < 1973)]
    for slot in (first, middle, last):
        cur = slot[rows]
        ok = cur >= 0
        swapped = np.where(vocab.old[cur[ok]] != cur[ok], vocab.old[cur[ok]], vocab.new[cur[ok]])
        slot[rows[ok]] = swapped
    # 3: middle or last name left out (never leaving "Siti" or "M." alone)
    rows = dup[kind == 3]
    first_alone_ok = ~vocab.needs_second[vocab.canonical[first[rows]]]
    drop_middle = (middle[rows] >= 0) & ((last[rows] >= 0) | first_alone_ok)
    drop_last = ~drop_middle & (last[rows] >= 0) & (middle[rows] < 0) & first_alone_ok
    middle[rows[drop_middle]] = -1
    last[rows[drop_last]] = -1
    # 4: haji title dropped, or added for a Muslim
    rows = dup[kind == 4]
    muslim = np.array([MUSLIM_SHARE.get(g, 0.0) >= 0.9 for g in vocab.groups])[group[take[rows]]]
    haji[rows] = ~haji[rows] & muslim
    # 5: ALL CAPS, 6: a letter dropped (applied on the text below)
    upper_dup = np.zeros(n, dtype=bool)
    typo_dup = np.zeros(n, dtype=bool)
    upper_dup[dup[kind == 5]] = True
    typo_dup[dup[kind == 6]] = True

    # --- text columns ------------------------------------------------------------------------
    words = pl.Series("w", vocab.words, dtype=pl.String)

    def text(idx: np.ndarray) -> pl.Series:
        return words.gather(pl.Series(np.where(idx >= 0, idx, 0)).cast(pl.UInt32)).set(
            pl.Series(idx < 0), None
        )

    sex_col = pl.Series(["P", "L"]).gather(male.astype(np.uint32))
    degree_text = pl.Series([*degree_keys, ""], dtype=pl.String).gather(
        pl.Series(np.where(degree >= 0, degree, len(degree_keys))).cast(pl.UInt32)
    )
    frame = pl.DataFrame(
        {
            "haji": pl.Series([None, None, N.HAJI["P"], N.HAJI["L"]], dtype=pl.String).gather(
                (haji.astype(np.uint32) << 1) | male.astype(np.uint32)
            ),
            "prefix": text(prefix),
            "first": text(first),
            "middle": text(middle),
            "last": text(last),
            "degree": degree_text,
            "degree_comma": degree_comma,
            "upper_dup": upper_dup,
            "typo_dup": typo_dup,
            "typo_u": rng.random(n),
        }
    )
    name = pl.concat_str(
        ["haji", "prefix", "first", "middle", "last"], separator=" ", ignore_nulls=True
    )
    name = (
        pl.when(pl.col("degree") == "")
        .then(name)
        .when(pl.col("degree_comma"))
        .then(pl.concat_str([name, pl.lit(", "), pl.col("degree")]))
        .otherwise(pl.concat_str([name, pl.lit(" "), pl.col("degree")]))
    )
    frame = frame.select(name.alias("name"), "upper_dup", "typo_dup", "typo_u")
    length = pl.col("name").str.len_chars()
    cut = (pl.col("typo_u") * (length - 2)).floor().cast(pl.Int64) + 1
    names = frame.select(
        pl.when(pl.col("upper_dup"))
        .then(pl.col("name").str.to_uppercase())
        .when(pl.col("typo_dup") & (length > 4))
        .then(pl.col("name").str.slice(0, cut) + pl.col("name").str.slice(cut + 1))
        .otherwise(pl.col("name"))
        .alias("name")
    ).to_series()

    proposer = pl.Series(list(regions.kabkota), dtype=pl.String).gather(
        pl.Series(kk).cast(pl.UInt32)
    )
    proposer = proposer.set(pl.Series(by_province), PROVINCE)
    occ_series = pl.Series(list(_OCC_KEYS), dtype=pl.String).gather(
        pl.Series(occupation).cast(pl.UInt32)
    )
    source_text = pl.Series(source_keys, dtype=pl.String).gather(pl.Series(source).cast(pl.UInt32))
    urban_row = regions.village_urban[village]
    source_text = source_text.set(
        pl.Series(urban_row & (source == source_keys.index("Usulan Desa"))), "Usulan Kelurahan"
    )

    df = pl.DataFrame(
        {
            "nik": pl.Series(nik_int).cast(pl.String),
            "name": names,
            "birth_date": birth,
            "sex": sex_col,
            "address": address,
            "desa_id": pl.Series(list(regions.villages), dtype=pl.String).gather(
                pl.Series(village).cast(pl.UInt32)
            ),
            "kecamatan_id": pl.Series(list(regions.districts), dtype=pl.String).gather(
                pl.Series(district).cast(pl.UInt32)
            ),
            "kabkota_id": pl.Series(list(regions.kabkota), dtype=pl.String).gather(
                pl.Series(kk).cast(pl.UInt32)
            ),
            "occupation": occ_series,
            "monthly_income": pl.Series(income, dtype=pl.Int64).set(
                pl.Series(income_missing), None
            ),
            "poverty_decile": pl.Series(decile, dtype=pl.Int16).set(
                pl.Series(decile_missing), None
            ),
            "proposer_id": proposer,
            "source": source_text,
            "status": pl.Series(status_keys, dtype=pl.String).gather(
                pl.Series(status).cast(pl.UInt32)
            ),
            "person_id": pl.Series(take + 1, dtype=pl.Int64),
            "nik_true": pl.Series(nik_int).cast(pl.String),
        }
    )
    df = _damage(df, rng, rates) if damage else df.with_columns(damage=pl.lit(None, pl.String))

    # Rows in a random order (duplicates are not next to their original), then NIK status.
    df = df.gather(pl.Series(rng.permutation(n)).cast(pl.UInt32)) if n else df
    status_frame = nik_module.check_series(df["nik"])
    return df.with_columns(nik_status=status_frame["nik_status"]).select(COLUMNS)


def _unique_serials(prefix12: np.ndarray, serial: np.ndarray) -> np.ndarray:
    """Smallest change that makes ``(prefix12, serial)`` unique: within each prefix, sorted
    serials become strictly increasing (``s_i ← max(s_i, s_{i-1} + 1)``)."""
    n = len(serial)
    if n == 0:
        return serial
    order = np.lexsort((serial, prefix12))
    p, s = prefix12[order], serial[order]
    starts = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
    group = np.cumsum(np.r_[True, p[1:] != p[:-1]]) - 1
    rank = np.arange(n) - starts[group]
    # s_i - rank_i, running max within each group: offset groups so one global max suffices.
    span = 2 * n + 10_000
    shifted = (s - rank + n) + group * span
    fixed = np.maximum.accumulate(shifted) - group * span - n + rank
    if fixed.max() > 9999:
        raise ValueError("too many people share a kecamatan and birth date for 4-digit serials")
    out = np.empty_like(serial)
    out[order] = fixed
    return out


def _addresses(
    rng: np.random.Generator,
    regions: _Regions,
    village: np.ndarray,
    take: np.ndarray,
    is_dup: np.ndarray,
) -> pl.Series:
    """Town addresses ("Jl. Pangeran Antasari Gg. 3 No. 12 RT 007") in kelurahan, village ones
    ("Dusun II RT 02", "RT 05 Desa Batu Kajang") in desa.

    ``village`` holds one entry per person and ``take`` the person of each row: the address is
    written once per person; a second proposal of the same person writes it a little differently.
    """
    m = len(village)
    streets, street_p = _weights(N.STREETS)
    alleys, alley_p = _weights(N.ALLEYS)
    hamlets, hamlet_p = _weights(N.HAMLETS)
    urban = regions.village_urban[village]
    street = pl.Series(streets).gather(rng.choice(len(streets), m, p=street_p))
    rt = pl.Series(
        np.where(
            urban,
            np.minimum(1 + np.floor(rng.exponential(12.0, m)), 99),
            np.minimum(1 + np.floor(rng.exponential(6.0, m)), 40),
        ).astype(np.int64)
    ).cast(pl.String)

    town_rows = np.flatnonzero(urban)
    k = len(town_rows)
    alley_kind = rng.random(k)  # < .3 named alley, < .55 numbered, else none
    alley_name = pl.Series(alleys).gather(rng.choice(len(alleys), k, p=alley_p))
    alley_no = pl.Series(rng.integers(1, 25, k)).cast(pl.String)
    has_house = rng.random(k) < 0.8
    house = pl.Series(rng.integers(1, 150, k)).cast(pl.String)
    town = pl.DataFrame(
        {
            "street": street.gather(town_rows),
            "kind": alley_kind,
            "alley": alley_name,
            "alley_no": alley_no,
            "has_house": has_house,
            "house": house,
            "rt": rt.gather(town_rows).str.zfill(3),
        }
    ).select(
        pl.concat_str(
            [
                pl.lit("Jl. "),
                "street",
                pl.when(pl.col("kind") < 0.3)
                .then(pl.lit(" Gg. ") + pl.col("alley"))
                .when(pl.col("kind") < 0.55)
                .then(pl.lit(" Gg. ") + pl.col("alley_no"))
                .otherwise(pl.lit("")),
                pl.when("has_house").then(pl.lit(" No. ") + pl.col("house")).otherwise(pl.lit("")),
                pl.lit(" RT "),
                "rt",
            ]
        ).alias("a")
    )

    rural_rows = np.flatnonzero(~urban)
    k = len(rural_rows)
    rural_kind = rng.random(k)  # < .6 dusun, < .85 RT + desa, else a road
    hamlet = pl.Series(hamlets).gather(rng.choice(len(hamlets), k, p=hamlet_p))
    rural = pl.DataFrame(
        {
            "kind": rural_kind,
            "hamlet": hamlet,
            "village": pl.Series(list(regions.village_names)).gather(village[rural_rows]),
            "street": street.gather(rural_rows),
            "rt": rt.gather(rural_rows).str.zfill(2),
        }
    ).select(
        pl.when(pl.col("kind") < 0.6)
        .then(pl.concat_str([pl.lit("Dusun "), "hamlet", pl.lit(" RT "), "rt"]))
        .when(pl.col("kind") < 0.85)
        .then(pl.concat_str([pl.lit("RT "), "rt", pl.lit(" Desa "), "village"]))
        .otherwise(pl.concat_str([pl.lit("Jl. "), "street", pl.lit(" RT "), "rt"]))
        .alias("a")
    )

    per_person = (
        pl.Series("address", [""] * m, dtype=pl.String)
        if m
        else pl.Series("address", [], dtype=pl.String)
    )
    if len(town_rows):
        per_person = per_person.scatter(town_rows, town["a"])
    if len(rural_rows):
        per_person = per_person.scatter(rural_rows, rural["a"])
    address = per_person.gather(take)

    # A second clerk writes the same address a little differently.
    dup_rows = np.flatnonzero(is_dup)
    if not len(dup_rows):
        return address
    u = rng.random(len(dup_rows))
    a = pl.col("a")
    varied = pl.DataFrame(
        {"a": address.gather(dup_rows), "u": u, "rt": rng.integers(1, 10, len(dup_rows))}
    ).select(
        pl.when(pl.col("u") < 0.25)
        .then(a.str.replace(r"RT 0*", "RT. "))
        .when(pl.col("u") < 0.45)
        .then(
            a.str.replace("Jl. ", "Jalan ", literal=True).str.replace(
                " Gg. ", " Gang ", literal=True
            )
        )
        .when(pl.col("u") < 0.6)
        .then(a.str.to_uppercase())
        .when(pl.col("u") < 0.7)
        .then(a.str.replace(r" No\. [0-9]+", ""))
        .when(pl.col("u") > 0.9)  # moved, or another RT typed
        .then(a.str.replace(r"RT [0-9]+$", "") + pl.lit("RT ") + pl.col("rt").cast(pl.String))
        .otherwise(a)
    )
    return address.scatter(dup_rows, varied.to_series())


_NIK_DAMAGE = ("nik_scientific", "nik_zeroed", "nik_blank", "nik_typo")
_NAME_DAMAGE = ("name_spaces", "name_caps")


def _damage(df: pl.DataFrame, rng: np.random.Generator, rates: DamageRates) -> pl.DataFrame:
    """Spreadsheet defects on about 3% of rows; then undo those that would give one proposer the
    same NIK twice (the registry's unique constraint; e.g. two people whose NIKs round to the
    same ``6.47201E+15``). Only the rows to damage are computed on."""
    n = df.height
    nik_p = np.array([getattr(rates, k) for k in _NIK_DAMAGE])
    name_p = np.array([getattr(rates, k) for k in _NAME_DAMAGE])
    if nik_p.sum() > 1 or name_p.sum() > 1:
        raise ValueError("damage rates must add up to at most 1")
    nik_kind = np.searchsorted(np.cumsum(nik_p), rng.random(n), side="right")  # 4 = none
    name_kind = np.searchsorted(np.cumsum(name_p), rng.random(n), side="right")  # 2 = none

    rows = np.flatnonzero(nik_kind < len(_NIK_DAMAGE))
    k = len(rows)
    sub = pl.DataFrame(
        {
            "nik": df["nik"].gather(rows),
            "proposer_id": df["proposer_id"].gather(rows),
            "kind": nik_kind[rows],
            "pos": rng.integers(0, 16, k),
            "bump": rng.integers(1, 10, k),
            "swap": rng.random(k) < 0.25,
            "comma": rng.random(k) < 0.15,  # Indonesian-locale Excel: 6,47201E+15
        }
    )
    nik = pl.col("nik")
    sub = sub.with_columns(digits=pl.lit(6, dtype=pl.Int64))
    scientific = _scientific(nik, pl.col("digits"), pl.col("comma"))
    # Excel's General format shows 6 significant digits in a default-width column, trailing
    # zeros dropped ("6.47201E+15", "6.4E+15"). Six digits are little more than the kecamatan
    # code, so many people of one proposer would look alike (and break the unique constraint):
    # those get the fewest more digits that tell them apart, as in a wider column.
    for _ in range(10):
        ranked = sub.select(
            pl.when(pl.col("kind") == 0)
            .then(pl.int_range(pl.len()).over("proposer_id", scientific, order_by="digits"))
            .otherwise(0)
            .alias("r")
        )["r"]
        if ranked.max() == 0:
            break
        bump = pl.Series(ranked > 0).cast(pl.Int64)
        sub = sub.with_columns(digits=(pl.col("digits") + bump).clip(6, 15))
    zeroed = nik.str.slice(0, 15) + pl.lit("0")
    pos = pl.col("pos")
    digit = nik.str.slice(pos, 1).cast(pl.Int64)
    substituted = pl.concat_str(
        [
            nik.str.slice(0, pos),
            ((digit + pl.col("bump")) % 10).cast(pl.String),
            nik.str.slice(pos + 1),
        ]
    )
    left = pl.min_horizontal(pos, pl.lit(14))
    swapped = pl.concat_str(
        [
            nik.str.slice(0, left),
            nik.str.slice(left + 1, 1),
            nik.str.slice(left, 1),
            nik.str.slice(left + 2),
        ]
    )
    typo = pl.when(pl.col("swap") & (swapped != nik)).then(swapped).otherwise(substituted)
    kind = pl.col("kind")
    damaged = sub.select(
        pl.when(kind == 0)
        .then(scientific)
        .when(kind == 1)
        .then(zeroed)
        .when(kind == 2)
        .then(pl.lit(""))
        .otherwise(typo)
        .alias("nik"),
        changed=pl.when(kind == 1).then(zeroed != nik).otherwise(pl.lit(True)),
    )
    labels = pl.Series(_NIK_DAMAGE, dtype=pl.String).gather(nik_kind[rows])
    nik_damage = pl.Series("nik_damage", [None] * n, dtype=pl.String)
    if k:
        # Zeroing a NIK that already ends in 0 changes nothing: not recorded as damage.
        changed = damaged["changed"].to_numpy()
        nik_damage = nik_damage.scatter(rows[changed], labels.filter(damaged["changed"]))
        df = df.with_columns(df["nik"].scatter(rows, damaged["nik"]))

    rows = np.flatnonzero(name_kind < len(_NAME_DAMAGE))
    k = len(rows)
    name = pl.col("name")
    sub = pl.DataFrame(
        {"name": df["name"].gather(rows), "kind": name_kind[rows], "space": rng.integers(0, 3, k)}
    )
    damaged_names = sub.select(
        pl.when(pl.col("kind") == 1)
        .then(name.str.to_uppercase())
        .when((pl.col("space") == 0) & name.str.contains(" ", literal=True))
        .then(name.str.replace(" ", "  ", literal=True))
        .when(pl.col("space") <= 1)
        .then(name + pl.lit(" "))
        .otherwise(pl.lit(" ") + name)
    ).to_series()
    name_damage = pl.Series("name_damage", [None] * n, dtype=pl.String)
    if k:
        labels = pl.Series(_NAME_DAMAGE, dtype=pl.String).gather(name_kind[rows])
        name_damage = name_damage.scatter(rows, labels)
        df = df.with_columns(df["name"].scatter(rows, damaged_names))

    df = _undo_duplicate_niks(df.with_columns(nik_damage, name_damage))
    return df.with_columns(
        damage=pl.concat_str(["nik_damage", "name_damage"], separator=",", ignore_nulls=True)
    ).with_columns(damage=pl.when(pl.col("damage") != "").then(pl.col("damage")))


def _scientific(nik: pl.Expr, digits: pl.Expr, comma: pl.Expr) -> pl.Expr:
    """A 16-digit NIK as Excel shows it with ``digits`` significant digits: 6.47201E+15."""
    scale = pl.lit(10, dtype=pl.Int64).pow(16 - digits)
    mantissa = ((nik.cast(pl.Int64, strict=False) + scale // 2) // scale).cast(pl.String)
    tail = mantissa.str.slice(1).str.strip_chars_end("0")
    point = pl.when(comma).then(pl.lit(",")).otherwise(pl.lit("."))
    return pl.concat_str(
        [
            mantissa.str.slice(0, 1),
            pl.when(tail != "").then(point + tail).otherwise(pl.lit("")),
            pl.lit("E+15"),
        ]
    )


def _undo_duplicate_niks(df: pl.DataFrame) -> pl.DataFrame:
    """Restore the true NIK on damaged rows that collide with another row of the same proposer.

    True NIKs are unique per proposer (one person is proposed at most once by each office), so
    only damaged rows can collide: with a row that holds its true NIK (which keeps it), or with
    each other (the first keeps it). Restoring can make a new collision with another damaged row:
    repeat until none is left. Works on the few damaged rows, with hash joins.
    """
    keys = ["proposer_id", "nik"]
    for _ in range(10):
        indexed = df.with_row_index("_i")
        damaged = indexed.filter(pl.col("nik_damage").is_not_null() & (pl.col("nik") != ""))
        clean = indexed.filter(pl.col("nik_damage").is_null()).select(keys)
        clashing = clean.join(damaged.select(keys), on=keys, how="semi")
        with_clean = damaged.join(clashing, on=keys, how="semi")["_i"]
        among = damaged.filter(pl.int_range(pl.len()).over(keys) > 0)["_i"]
        losers = pl.concat([with_clean, among]).unique()
        if losers.is_empty():
            return df
        revert = pl.Series(np.zeros(df.height, dtype=bool)).scatter(losers, True)
        df = df.with_columns(
            nik=pl.when(revert).then(pl.col("nik_true")).otherwise(pl.col("nik")),
            nik_damage=pl.when(revert).then(None).otherwise(pl.col("nik_damage")),
        )
    raise RuntimeError("could not make (proposer_id, nik) unique")
