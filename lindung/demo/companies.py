"""Seeded demo companies (licensing/labour reports) and BPJS employers, as two Polars frames.

:func:`generate_companies` is a pure function of ``(n, seed)``, vectorised with NumPy and Polars
(loops run only over small tables). Columns carry the file headers the import loaders read
(``nama``, ``nib``, ``kabupaten_kota``…), so the frames go through
``lindung.imports.loaders.load`` like an uploaded file. Columns starting with ``_`` are the truth
(for tests and benchmarks) and are dropped by :func:`load_demo_companies`.

What makes it realistic:

* kab/kota in proportion to population; sectors by kab/kota (coal in Kutai Kartanegara, Kutai
  Timur, Berau and Paser; palm oil inland; oil and gas services in Balikpapan and Bontang; shops,
  hotels and restaurants in the cities); legal form by sector (shops are often CV or UD);
* size classes by sector and headcounts within the class (mikro 1–4, kecil 5–19, menengah 20–99,
  besar 100+); NIB missing for ~12% (older licences), NPWP for ~18%;
* about 70% of companies are registered with BPJS (more among large ones). Their employer rows
  spell the name the BPJS way: "PT. X", "X, PT", "PERSEROAN TERBATAS X", capitals, two words
  swapped, an address written out ("Jalan", "Nomor") or missing, and sometimes no NPWP;
  ~4% are registered in another kab/kota (head office);
* injected non-compliance among the registered (``_pelanggaran``): fewer workers registered
  (PDS tenaga kerja), wages below every Kaltim UMK 2025/2026 (PDS upah), a programme the size
  class requires left out (PDS program).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from lindung.regions import reference

SECTORS = ("tambang", "sawit", "konstruksi", "ritel", "hotel", "restoran", "logistik", "migas")
KBLI = {
    "tambang": "05100",
    "sawit": "01262",
    "konstruksi": "41011",
    "ritel": "47111",
    "hotel": "55110",
    "restoran": "56101",
    "logistik": "49431",
    "migas": "09100",
}
# fmt: off
#: Sector weights by kab/kota:  tbg  swt  kon  rit  htl  rst  log  mig
SECTOR_WEIGHTS: dict[str, tuple[float, ...]] = {
    "64.01": (14, 22, 18, 20, 4, 12, 6, 4),   # Paser
    "64.02": (22, 18, 16, 18, 4, 10, 6, 6),   # Kutai Kartanegara
    "64.03": (22, 20, 14, 18, 8, 10, 6, 2),   # Berau
    "64.07": (20, 26, 14, 20, 3, 10, 5, 2),   # Kutai Barat
    "64.08": (26, 26, 14, 16, 4, 8, 4, 2),    # Kutai Timur
    "64.09": (8, 18, 26, 20, 5, 12, 8, 3),    # Penajam Paser Utara (IKN works)
    "64.11": (10, 30, 16, 24, 4, 12, 4, 0),   # Mahakam Ulu
    "64.71": (4, 2, 18, 28, 10, 18, 12, 8),   # Balikpapan
    "64.72": (8, 3, 18, 30, 9, 18, 10, 4),    # Samarinda
    "64.74": (10, 4, 16, 24, 7, 16, 8, 15),   # Bontang
}
#: Size class weights (mikro, kecil, menengah, besar) by sector.
SIZE_WEIGHTS: dict[str, tuple[float, ...]] = {
    "tambang": (5, 25, 40, 30), "sawit": (5, 20, 40, 35), "konstruksi": (25, 40, 25, 10),
    "ritel": (55, 30, 12, 3), "hotel": (25, 40, 28, 7), "restoran": (55, 33, 10, 2),
    "logistik": (25, 40, 27, 8), "migas": (5, 25, 40, 30),
}
#: Legal form weights (PT, CV, UD) by sector.
FORM_WEIGHTS: dict[str, tuple[float, ...]] = {
    "tambang": (95, 5, 0), "sawit": (90, 8, 2), "konstruksi": (55, 43, 2), "ritel": (25, 35, 40),
    "hotel": (75, 20, 5), "restoran": (20, 40, 40), "logistik": (70, 27, 3), "migas": (97, 3, 0),
}
# fmt: on
SIZES = ("mikro", "kecil", "menengah", "besar")
SIZE_RANGE = {"mikro": (1, 4), "kecil": (5, 19), "menengah": (20, 99), "besar": (100, 2500)}
#: Share of companies registered with BPJS, by size class (≈ 70% overall).
REGISTERED = {"mikro": 0.5, "kecil": 0.7, "menengah": 0.85, "besar": 0.95}
PROGRAMMES = {
    "mikro": "JKK,JKM",
    "kecil": "JKK,JKM,JHT",
    "menengah": "JKK,JKM,JHT,JP",
    "besar": "JKK,JKM,JHT,JP",
}

PLACES = (
    "Borneo", "Mahakam", "Etam", "Kaltim", "Khatulistiwa", "Tepian", "Samudra", "Benua", "Kutai",
    "Bumi", "Nusantara", "Mulawarman", "Lamin", "Pesut", "Enggang", "Mandau", "Bontang",
    "Balikpapan", "Sangatta", "Tenggarong", "Berau", "Paser", "Karang", "Delta", "Equator",
)  # fmt: skip
QUALIFIERS = (
    "Jaya", "Abadi", "Lestari", "Makmur", "Sejahtera", "Prima", "Mandiri", "Perkasa", "Utama",
    "Sukses", "Berkah", "Karya", "Mitra", "Anugerah", "Cahaya", "Sinar", "Indah", "Sentosa",
    "Gemilang", "Bersama", "Permai", "Raya", "Agung", "Harapan", "Citra", "Putra", "Bintang",
)  # fmt: skip
SECTOR_WORDS = {
    "tambang": ("Coal", "Batubara", "Mining", "Tambang", "Resources", "Energi", "Minerals"),
    "sawit": ("Sawit", "Agro", "Plantation", "Perkebunan", "Palm", "Agrindo", "Kebun"),
    "konstruksi": ("Konstruksi", "Bangun", "Teknik", "Kontraktor", "Beton", "Infrastruktur"),
    "ritel": ("Mart", "Swalayan", "Toko", "Niaga", "Dagang", "Grosir", "Elektronik"),
    "hotel": ("Hotel", "Resort", "Inn", "Penginapan", "Guest House"),
    "restoran": ("Restoran", "Kuliner", "Rumah Makan", "Bakery", "Cafe", "Seafood"),
    "logistik": ("Logistik", "Pelayaran", "Transport", "Ekspedisi", "Angkutan", "Cargo"),
    "migas": ("Petro", "Migas", "Oilfield Services", "Offshore", "Petroleum", "Gas"),
}
STREETS = (
    "Jenderal Sudirman", "Ahmad Yani", "Pangeran Antasari", "M.T. Haryono", "Mulawarman",
    "Juanda", "Soekarno-Hatta", "Gatot Subroto", "D.I. Panjaitan", "Pahlawan", "Imam Bonjol",
    "Cendana", "KH. Wahid Hasyim", "Pramuka", "Kusuma Bangsa", "Letjen Suprapto", "Poros",
    "Slamet Riyadi", "Diponegoro", "Siliwangi", "Bhayangkara", "Cipto Mangunkusumo",
    "Gunung Lingai",
)  # fmt: skip

#: Violations injected among registered employers: shares (independent draws).
P_WORKFORCE, P_WAGE, P_PROGRAMME = 0.22, 0.12, 0.15
#: Wages: compliant ones above every Kaltim UMK 2025/2026 (max Rp 4.39 m, Berau 2026),
#: under-reported ones below every UMP/UMK (min Rp 3.58 m, UMP 2025).
WAGE_OK = (4_450_000, 9_500_000)
WAGE_LOW = (2_900_000, 3_500_000)

COMPANY_COLUMNS = (
    "nama", "nib", "npwp", "alamat", "kabupaten_kota", "kbli", "skala_usaha", "jumlah_pekerja",
    "_sektor", "_id",
)  # fmt: skip
EMPLOYER_COLUMNS = (
    "npp", "nama", "npwp", "alamat", "kabupaten_kota", "tenaga_kerja_terdaftar", "program",
    "rata_rata_upah", "_company_id", "_pelanggaran", "_variasi",
)  # fmt: skip


def _pick(rng: np.random.Generator, options: tuple[str, ...], n: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), n)]


def _by_group(
    rng: np.random.Generator,
    groups: np.ndarray,
    weights: dict[str, tuple[float, ...]],
    options: tuple[str, ...],
) -> np.ndarray:
    """One option per row, drawn with the weights of the row's group."""
    out = np.empty(len(groups), dtype=object)
    for group, w in weights.items():
        idx = np.flatnonzero(groups == group)
        if idx.size:
            p = np.asarray(w, dtype=float)
            out[idx] = np.asarray(options, dtype=object)[
                rng.choice(len(options), idx.size, p=p / p.sum())
            ]
    return out


def _companies(n: int, rng: np.random.Generator) -> pl.DataFrame:
    kabs = reference.kaltim_kabkota()
    pop = np.array([k.population_2025 for k in kabs], dtype=float)
    m = int(n * 1.4) + 50  # oversample, then keep distinct names
    kab_idx = rng.choice(len(kabs), m, p=pop / pop.sum())
    kab_code = np.array([k.code for k in kabs], dtype=object)[kab_idx]
    kab_name = np.array([k.name for k in kabs], dtype=object)[kab_idx]
    sector = _by_group(rng, kab_code, SECTOR_WEIGHTS, SECTORS)
    form = _by_group(rng, sector, FORM_WEIGHTS, ("PT", "CV", "UD"))
    size = _by_group(rng, sector, SIZE_WEIGHTS, SIZES)
    sector_word = np.empty(m, dtype=object)
    for s, words in SECTOR_WORDS.items():
        idx = np.flatnonzero(sector == s)
        sector_word[idx] = _pick(rng, words, idx.size)
    place, q1, q2 = _pick(rng, PLACES, m), _pick(rng, QUALIFIERS, m), _pick(rng, QUALIFIERS, m)
    shape = rng.random(m)
    frame = pl.DataFrame(
        {
            "form": form.tolist(),
            "place": place.tolist(),
            "q1": q1.tolist(),
            "q2": q2.tolist(),
            "sw": sector_word.tolist(),
            "shape": shape,
            "kabupaten_kota": kab_name.tolist(),
            "_kab": kab_code.tolist(),
            "_sektor": sector.tolist(),
            "skala_usaha": size.tolist(),
        }
    )
    core = (
        pl.when(pl.col("shape") < 0.35)
        .then(pl.concat_str("place", "q1", "sw", separator=" "))
        .when(pl.col("shape") < 0.6)
        .then(pl.concat_str("q1", "q2", "sw", separator=" "))
        .when(pl.col("shape") < 0.8)
        .then(pl.concat_str("place", "q1", "q2", separator=" "))
        .otherwise(pl.concat_str("sw", "place", "q1", separator=" "))
    )
    frame = (
        frame.with_columns(core.alias("core"))
        .filter(pl.col("q1") != pl.col("q2"))
        .unique(["core", "_kab"], keep="first", maintain_order=True)
        .head(n)
    )
    n = frame.height
    lo = np.array([SIZE_RANGE[s][0] for s in frame["skala_usaha"]])
    hi = np.array([SIZE_RANGE[s][1] for s in frame["skala_usaha"]])
    # log-uniform inside the class: many small, few big
    employees = np.floor(np.exp(rng.uniform(np.log(lo), np.log(hi + 1)))).astype(np.int64)
    ids = np.arange(n)
    nib = np.char.zfill((rng.permutation(n) * 7919 + 1_200_000_000_000).astype(str), 13)
    npwp_base = rng.permutation(10 * n)[:n] + 10_000_000
    npwp = np.char.add(np.char.zfill(npwp_base.astype(str), 9), "721000")
    has_nib = rng.random(n) > 0.12
    has_npwp = rng.random(n) > 0.18
    street = _pick(rng, STREETS, n)
    number = rng.integers(1, 250, n)
    return frame.with_columns(
        pl.concat_str(pl.col("form"), pl.lit(" "), pl.col("core")).alias("nama"),
        pl.Series("nib", np.where(has_nib, nib, "").tolist()),
        pl.Series("npwp", np.where(has_npwp, npwp, "").tolist()),
        pl.Series("alamat", [f"Jl. {s} No. {k}" for s, k in zip(street, number, strict=True)]),
        pl.col("_sektor").replace_strict(KBLI).alias("kbli"),
        pl.Series("jumlah_pekerja", employees),
        pl.Series("_id", ids),
    ).select(*COMPANY_COLUMNS, "_kab")


def _name_variant(frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """The BPJS spelling of each company name (``_variasi`` says which change was made)."""
    n = frame.height
    roll = rng.random(n)
    words = pl.col("nama").str.splitn(" ", 2)
    form, core = words.struct.field("field_0"), words.struct.field("field_1")
    long_form = form.replace_strict(
        {"PT": "Perseroan Terbatas", "CV": "Persekutuan Komanditer", "UD": "Usaha Dagang"}
    )
    core_words = core.str.split(" ")
    swapped = pl.concat_str(
        core_words.list.get(1, null_on_oob=True),
        core_words.list.get(0),
        core_words.list.slice(2).list.join(" "),
        separator=" ",
    ).str.strip_chars()
    typo = core.str.replace(r"([aeiou])([a-z])([aeiou])", "$1$3")  # drop one inner consonant
    variant = (
        pl.when(pl.col("_r") < 0.35)
        .then(pl.lit("sama"))
        .when(pl.col("_r") < 0.50)
        .then(pl.lit("titik"))
        .when(pl.col("_r") < 0.62)
        .then(pl.lit("bentuk_di_belakang"))
        .when(pl.col("_r") < 0.72)
        .then(pl.lit("bentuk_panjang"))
        .when(pl.col("_r") < 0.82)
        .then(pl.lit("urutan"))
        .when(pl.col("_r") < 0.88)
        .then(pl.lit("salah_ketik"))
        .otherwise(pl.lit("kapital"))
    )
    name = (
        pl.when(pl.col("_variasi") == "titik")
        .then(pl.concat_str(form, pl.lit(". "), core))
        .when(pl.col("_variasi") == "bentuk_di_belakang")
        .then(pl.concat_str(core, pl.lit(", "), form))
        .when(pl.col("_variasi") == "bentuk_panjang")
        .then(pl.concat_str(long_form, pl.lit(" "), core))
        .when(pl.col("_variasi") == "urutan")
        .then(pl.concat_str(form, pl.lit(" "), swapped))
        .when(pl.col("_variasi") == "salah_ketik")
        .then(pl.concat_str(form, pl.lit(" "), typo))
        .otherwise(pl.col("nama"))
    )
    upper = pl.Series("_upper", rng.random(n) < 0.4)
    out = (
        frame.with_columns(pl.Series("_r", roll))
        .with_columns(variant.alias("_variasi"))
        .with_columns(name.alias("nama"), upper)
    )
    return out.with_columns(
        pl.when(pl.col("_upper") | (pl.col("_variasi") == "kapital"))
        .then(pl.col("nama").str.to_uppercase())
        .otherwise(pl.col("nama"))
        .alias("nama")
    ).drop("_r", "_upper")


def _employers(companies: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    n = companies.height
    p_reg = companies["skala_usaha"].replace_strict(REGISTERED).to_numpy()
    registered = rng.random(n) < p_reg
    emp = companies.filter(pl.Series(registered))
    m = emp.height
    emp = _name_variant(emp, rng)
    kabs = reference.kaltim_kabkota()
    elsewhere = rng.random(m) < 0.04
    other_kab = np.array([k.name for k in kabs], dtype=object)[rng.integers(0, len(kabs), m)]
    addr_roll = rng.random(m)
    workforce = emp["jumlah_pekerja"].to_numpy()
    v_work = rng.random(m) < P_WORKFORCE
    v_wage = rng.random(m) < P_WAGE
    v_prog = (rng.random(m) < P_PROGRAMME) & (emp["skala_usaha"] != "mikro").to_numpy()
    # PDS tenaga kerja: 25–75% of the workforce registered, and at least 3 fewer
    share = rng.uniform(0.25, 0.75, m)
    under = np.minimum(np.floor(workforce * share), workforce - 3).clip(min=0).astype(np.int64)
    registered_workers = np.where(v_work & (workforce >= 4), under, workforce)
    v_work = registered_workers < workforce
    wage = np.where(
        v_wage,
        rng.integers(WAGE_LOW[0], WAGE_LOW[1], m),
        rng.integers(WAGE_OK[0], WAGE_OK[1], m),
    )
    wage = (wage // 1000) * 1000
    full = emp["skala_usaha"].replace_strict(PROGRAMMES)
    cut = full.str.replace(r",JP$", "").str.replace(r",JHT$", "")
    programmes = pl.Series(np.where(v_prog, cut.to_numpy(), full.to_numpy()).tolist())
    v_prog = (programmes != full).to_numpy()
    violations = [
        ",".join(w for w, flag in (("tenaga_kerja", a), ("upah", b), ("program", c)) if flag)
        for a, b, c in zip(v_work, v_wage, v_prog, strict=True)
    ]
    npp = rng.permutation(10 * m)[:m] + 10_000_000
    address = (
        pl.when(pl.Series(addr_roll) < 0.15)
        .then(pl.lit(""))
        .when(pl.Series(addr_roll) < 0.35)
        .then(
            pl.col("alamat")
            .str.replace(r"^Jl\. ", "Jalan ")
            .str.replace(" No. ", " Nomor ", literal=True)
        )
        .when(pl.Series(addr_roll) < 0.45)
        .then(pl.col("alamat").str.to_uppercase())
        .otherwise(pl.col("alamat"))
    )
    no_npwp = pl.Series(rng.random(m) < 0.25)
    kab = np.where(elsewhere, other_kab, emp["kabupaten_kota"].to_numpy()).tolist()
    return emp.with_columns(
        pl.Series("npp", npp.astype(str)),
        pl.when(no_npwp).then(pl.lit("")).otherwise(pl.col("npwp")).alias("npwp"),
        address.alias("alamat"),
        pl.Series("kabupaten_kota", kab),
        pl.Series("tenaga_kerja_terdaftar", registered_workers),
        pl.Series("program", programmes),
        pl.Series("rata_rata_upah", wage),
        pl.col("_id").alias("_company_id"),
        pl.Series("_pelanggaran", violations),
    ).select(EMPLOYER_COLUMNS)  # fmt: skip


def generate_companies(n: int, seed: int = 2026) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(companies, employers) frames; ``_id`` / ``_company_id`` link an employer to its company."""
    rng = np.random.default_rng(seed)
    companies = _companies(n, rng)
    employers = _employers(companies, rng)
    return companies.drop("_kab"), employers


def load_demo_companies(n: int = 2_000, seed: int = 2026, user: Any = None) -> dict[str, int]:
    """Generate and load demo companies and employers through the import loaders."""
    from lindung.imports.loaders import LoadContext, load

    companies, employers = generate_companies(n, seed)
    source = f"Demo perusahaan (seed {seed})"
    done = {}
    for kind, frame in (("companies", companies), ("employers", employers)):
        visible = frame.select([c for c in frame.columns if not c.startswith("_")])
        result = load(kind, visible, context=LoadContext(user=user, source=source))
        done[kind] = result.created + result.updated + result.unchanged
    return done


def load_demo_companies_once(n: int = 2_000, seed: int = 2026, stdout: Any = None) -> None:
    """demo-setup's step: load demo companies unless there are some, then match and compute."""
    from django.core.management import call_command

    from lindung.audit.services import acting_as
    from lindung.compliance.models import Company

    if Company.objects.exists():
        if stdout is not None:
            stdout.write("Data perusahaan sudah ada; tidak dibuat ulang.")
    else:
        with acting_as(label="demo-setup"):
            load_demo_companies(n, seed)
    call_command("compliance_status", verbosity=0)
