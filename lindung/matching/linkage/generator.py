"""Labelled benchmark data for record linkage: proposals (LEFT) against participants (RIGHT).

:func:`generate_pair` builds people with :func:`lindung.demo.generator.generate_workers`, puts a
share of them on both sides (``overlap``), adds *hard negatives* — distinct people who look alike
— and damages each side's records the way real lists are damaged. ``person_id`` is the truth:
two records link iff they share it.

Hard negatives (each derived from a person who is on both sides, and put on one side only):

* ``twin``: same birth date, same NIK kecamatan, serial ±1–2, same family name, other given name;
* ``father``: same name and NIK kecamatan, born 22–35 years earlier;
* ``namesake``: same name, birth date and sex, NIK from another kecamatan;
* ``neighbour``: same kecamatan, birth date and sex, serial ±1–2, an unrelated name.

Record damage (rates per side in :class:`SideDamage`): NIK one-digit typo, adjacent swap, Excel
scientific notation, zeroed 16th digit, blank, a relative's NIK used by mistake; name spelling
variants (Muhammad/M./Moh.), old spelling (Soeparman), titles and degrees added or dropped,
middle name abbreviated or dropped, tokens reordered, a dropped letter, capitals; birth dates in
mixed formats (``17-08-1985``, ``17/08/1985``, ``1985-08-17``, ``17 Agustus 1985``) and some
typos; sex left blank; the person moved to another kab/kota (address region differs from the
NIK's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import polars as pl

from lindung.demo import generator as demo
from lindung.demo import names as N

__all__ = ["LinkageData", "SideDamage", "generate_pair"]

COLUMNS = ("id", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "kode_wilayah", "person_id")
_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember")  # fmt: skip


@dataclass(frozen=True)
class SideDamage:
    """Share of a side's records given each defect (NIK defects exclude each other)."""

    nik_typo: float = 0.02
    nik_swap: float = 0.015
    nik_scientific: float = 0.01
    nik_zeroed: float = 0.01
    nik_blank: float = 0.02
    nik_relative: float = 0.005
    name_variant: float = 0.12
    name_old: float = 0.03
    name_title: float = 0.06
    name_abbrev: float = 0.04
    name_drop: float = 0.03
    name_reorder: float = 0.02
    name_typo: float = 0.03
    name_caps: float = 0.15
    date_typo: float = 0.02
    date_blank: float = 0.01
    sex_blank: float = 0.02
    moved: float = 0.06

    def scaled(self, factor: float) -> SideDamage:
        return SideDamage(**{k: v * factor for k, v in self.__dict__.items()})


@dataclass
class LinkageData:
    left: pl.DataFrame
    right: pl.DataFrame
    #: every (left_id, right_id) of the same person
    truth: pl.DataFrame
    #: person_id → kind of hard negative it is ("twin", "father", …), for analysis
    negatives: pl.DataFrame = field(default_factory=pl.DataFrame)


def _variant_families() -> dict[str, list[str]]:
    families: dict[str, list[str]] = {}
    for base, weighted in N.SPELLING_VARIANTS.items():
        spellings = [base, *(w for w, _ in weighted if w != base)]
        for s in spellings:
            families.setdefault(s.lower(), spellings)
    return families


_FAMILIES = _variant_families()
_TITLES = ("H.", "Hj.", "Haji", "Hajjah", "Dr.", "Drs.", "Ir.")
_DEGREES = ("S.Pd.", "S.E.", "S.H.", "A.Md.", "M.Si.", "S.Pd.I.", "S.Sos.", "S.Ag.")


def _swap_nik(nik: str, rng: np.random.Generator) -> str:
    for _ in range(5):
        i = int(rng.integers(0, 15))
        if nik[i] != nik[i + 1]:
            return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2 :]
    return _typo_nik(nik, rng)


def _typo_nik(nik: str, rng: np.random.Generator) -> str:
    i = int(rng.integers(0, 16))
    return nik[:i] + str((int(nik[i]) + int(rng.integers(1, 10))) % 10) + nik[i + 1 :]


def _scientific(nik: str) -> str:
    return f"{int(nik):.5E}".replace("E+", "E+").rstrip() if nik else nik


def _damage_name(name: str, sex: str, kinds: list[str], rng: np.random.Generator) -> str:
    tokens = name.split()
    if not tokens:
        return name
    for kind in kinds:
        if kind == "name_variant":
            idx = [i for i, t in enumerate(tokens) if t.lower() in _FAMILIES]
            if idx:
                i = idx[int(rng.integers(0, len(idx)))]
                options = [s for s in _FAMILIES[tokens[i].lower()] if s != tokens[i]]
                if options and not (i == len(tokens) - 1 and options[0].endswith(".")):
                    tokens[i] = options[int(rng.integers(0, len(options)))]
            elif tokens[0] in ("Muhammad", "Muhamad") and len(tokens) > 1:
                tokens[0] = "M."
        elif kind == "name_old":
            tokens = [demo.old_spelling(t) for t in tokens]
        elif kind == "name_title":
            has_title = tokens[0].rstrip(".").lower() in ("h", "hj", "haji", "hajjah", "dr", "drs")
            has_degree = "," in name or (tokens[-1].endswith(".") and len(tokens[-1]) > 3)
            if has_title or has_degree:
                if has_title and len(tokens) > 1:
                    tokens = tokens[1:]
                if has_degree and len(tokens) > 1:
                    tokens = tokens[:-1]
                    tokens[-1] = tokens[-1].rstrip(",")
            elif rng.random() < 0.7:
                tokens = ["H." if sex == "L" else "Hj.", *tokens]
            else:
                tokens[-1] = tokens[-1] + ","
                tokens.append(_DEGREES[int(rng.integers(0, len(_DEGREES)))])
        elif kind == "name_abbrev" and len(tokens) >= 3:
            i = int(rng.integers(1, len(tokens) - 1))
            if len(tokens[i]) > 2:
                tokens[i] = tokens[i][0] + "."
        elif kind == "name_drop" and len(tokens) >= 3:
            del tokens[int(rng.integers(1, len(tokens) - 1))]
        elif kind == "name_reorder" and len(tokens) >= 2 and not tokens[0].endswith("."):
            tokens = [tokens[-1], *tokens[:-1]]
        elif kind == "name_typo":
            i = int(rng.integers(0, len(tokens)))
            t = tokens[i]
            if len(t) > 4:
                j = int(rng.integers(1, len(t) - 1))
                tokens[i] = t[:j] + t[j + 1 :]
        elif kind == "name_caps":
            tokens = [t.upper() for t in tokens]
    return " ".join(tokens)


def _format_date(d: date | None, style: int) -> str:
    if d is None:
        return ""
    if style == 0:
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if style == 1:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == 2:
        return d.isoformat()
    if style == 3:
        return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    return f"{d.day}/{d.month}/{d.year}"


def _date_typo(d: date, rng: np.random.Generator) -> date:
    u = rng.random()
    try:
        if u < 0.35 and d.day <= 12 and d.day != d.month:
            return date(d.year, d.day, d.month)  # day and month swapped
        if u < 0.7:
            return d + timedelta(days=int(rng.choice([-1, 1])))
        return d.replace(year=d.year + int(rng.choice([-1, 1, -10, 10])))
    except ValueError:
        return d + timedelta(days=1)


def _damage_side(
    people: pl.DataFrame,
    rates: SideDamage,
    rng: np.random.Generator,
    relatives: dict[int, str],
    desa_pool: list[str],
    prefix: str,
) -> pl.DataFrame:
    n = people.height
    nik_kinds = ["nik_typo", "nik_swap", "nik_scientific", "nik_zeroed", "nik_blank",
                 "nik_relative"]  # fmt: skip
    p = np.array([getattr(rates, k) for k in nik_kinds])
    nik_kind = np.searchsorted(np.cumsum(p), rng.random(n), side="right")
    name_kinds = ["name_variant", "name_old", "name_title", "name_abbrev", "name_drop",
                  "name_reorder", "name_typo", "name_caps"]  # fmt: skip
    name_hits = {k: rng.random(n) < getattr(rates, k) for k in name_kinds}
    date_typo = rng.random(n) < rates.date_typo
    date_blank = rng.random(n) < rates.date_blank
    sex_blank = rng.random(n) < rates.sex_blank
    moved = rng.random(n) < rates.moved
    style = rng.choice(5, size=n, p=[0.45, 0.2, 0.2, 0.1, 0.05])

    niks, names, dates, sexes, desas = [], [], [], [], []
    rows = people.select("person_id", "nik", "name", "birth_date", "sex", "desa_id").iter_rows()
    for i, (pid, nik, name, born, sex, desa) in enumerate(rows):
        k = nik_kind[i]
        if k == 0:
            nik = _typo_nik(nik, rng)
        elif k == 1:
            nik = _swap_nik(nik, rng)
        elif k == 2:
            nik = _scientific(nik)
        elif k == 3:
            nik = nik[:15] + "0"
        elif k == 4:
            nik = ""
        elif k == 5:
            nik = relatives.get(pid) or (nik[:6] + f"{(int(nik[6:8]) + 3) % 28 + 1:02d}"
                                         + nik[8:10] + f"{(int(nik[10:12]) + 27) % 100:02d}"
                                         + f"{int(rng.integers(1, 40)):04d}")  # fmt: skip
        kinds = [k2 for k2 in name_kinds if name_hits[k2][i]]
        names.append(_damage_name(name, sex, kinds, rng) if kinds else name)
        if date_blank[i]:
            dates.append("")
        else:
            d = _date_typo(born, rng) if date_typo[i] else born
            dates.append(_format_date(d, int(style[i])))
        sexes.append("" if sex_blank[i] else sex)
        desas.append(desa_pool[int(rng.integers(0, len(desa_pool)))] if moved[i] else desa)
        niks.append(nik)
    return pl.DataFrame(
        {
            "id": [f"{prefix}{i + 1:07d}" for i in range(n)],
            "nik": niks,
            "nama": names,
            "tanggal_lahir": dates,
            "jenis_kelamin": sexes,
            "kode_wilayah": desas,
            "person_id": people["person_id"],
        }
    )


def _with_serial(nik: str, delta: int, taken: set[str]) -> str | None:
    serial = int(nik[12:])
    for d in (delta, -delta, delta + 1, -(delta + 1), delta + 2):
        s = serial + d
        if 1 <= s <= 9999:
            cand = nik[:12] + f"{s:04d}"
            if cand not in taken:
                return cand
    return None


def generate_pair(
    n_left: int,
    n_right: int,
    *,
    overlap: float = 0.6,
    hard_negatives: float = 0.06,
    seed: int = 0,
    left_damage: SideDamage | None = None,
    right_damage: SideDamage | None = None,
) -> LinkageData:
    """LEFT of ``n_left`` proposals and RIGHT of ``n_right`` participants, with the truth.

    ``overlap``: share of LEFT people who are also in RIGHT. ``hard_negatives``: share of the
    shared people given a look-alike (split evenly over twin/father/namesake/neighbour) that is
    put on one side only. RIGHT is damaged at half the rate of LEFT by default (the BPJS
    registry is cleaner than proposal lists).
    """
    rng = np.random.default_rng(seed + 7919)
    left_damage = left_damage or SideDamage()
    right_damage = right_damage or left_damage.scaled(0.5)
    n_both = min(round(n_left * overlap), n_right)
    n_hard = round(n_both * hard_negatives)
    n_people = n_left + n_right - n_both
    base = (
        demo.generate_workers(int(n_people * 1.03) + 10, seed, damage=False)
        .unique("person_id", keep="first", maintain_order=True)
        .head(n_people)
        .select("person_id", "nik", "name", "birth_date", "sex", "desa_id")
    )
    desa_pool = base["desa_id"].unique().sort().to_list()
    base = base.with_columns(person_id=pl.int_range(1, pl.len() + 1, dtype=pl.Int64))
    both = base.slice(0, n_both)
    left_only = base.slice(n_both, n_left - n_both)
    right_only = base.slice(n_left, n_right - n_both)

    # --- hard negatives -----------------------------------------------------------------------
    taken = set(base["nik"].to_list())
    kinds = ("twin", "father", "namesake", "neighbour")
    sources = both.sample(n_hard, seed=seed, shuffle=True) if n_hard else both.head(0)
    firsts = {s: base.filter(pl.col("sex") == s)["name"].str.split(" ").list.first().to_list()
              for s in ("L", "P")}  # fmt: skip
    other_names = {s: base.filter(pl.col("sex") == s)["name"].to_list() for s in ("L", "P")}
    districts = sorted({n[:6] for n in base["nik"].to_list()})
    new_rows = []
    relatives: dict[int, str] = {}
    next_id = n_people + 1
    for j, row in enumerate(sources.iter_rows(named=True)):
        kind = kinds[j % 4]
        nik, name, born, sex = row["nik"], row["name"], row["birth_date"], row["sex"]
        new_nik: str | None
        if kind == "twin":
            new_nik = _with_serial(nik, int(rng.integers(1, 3)), taken)
            tokens = name.split()
            given = firsts[sex][int(rng.integers(0, len(firsts[sex])))]
            if given == tokens[0]:
                given = firsts[sex][int(rng.integers(0, len(firsts[sex])))]
            new_name = " ".join([given, *tokens[1:]]) if len(tokens) > 1 else f"{given} {name}"
            new_born = born
        elif kind == "father":
            new_born = born.replace(
                year=born.year - int(rng.integers(22, 36)), day=min(born.day, 28)
            )
            sex = "L"
            new_nik = nik[:6] + f"{new_born.day:02d}{new_born.month:02d}{new_born.year % 100:02d}"
            new_nik += f"{int(rng.integers(1, 30)):04d}"
            new_name = name
        elif kind == "namesake":
            new_born = born
            district = districts[int(rng.integers(0, len(districts)))]
            new_nik = district + nik[6:12] + f"{int(rng.integers(1, 30)):04d}"
            new_name = name
        else:
            new_born = born
            new_nik = _with_serial(nik, int(rng.integers(1, 3)), taken)
            new_name = other_names[sex][int(rng.integers(0, len(other_names[sex])))]
        if new_nik is None or new_nik in taken or new_born.year < 1930:
            continue
        taken.add(new_nik)
        relatives[row["person_id"]] = new_nik
        new_rows.append(
            {"person_id": next_id, "nik": new_nik, "name": new_name, "birth_date": new_born,
             "sex": sex, "desa_id": row["desa_id"], "kind": kind, "side": int(rng.integers(0, 2))}
        )  # fmt: skip
        next_id += 1
    hard = pl.DataFrame(
        new_rows,
        schema={"person_id": pl.Int64, "nik": pl.String, "name": pl.String,
                "birth_date": pl.Date, "sex": pl.String, "desa_id": pl.String,
                "kind": pl.String, "side": pl.Int64},
    )  # fmt: skip
    cols = ["person_id", "nik", "name", "birth_date", "sex", "desa_id"]
    hard_left = hard.filter(pl.col("side") == 0).select(cols)
    hard_right = hard.filter(pl.col("side") == 1).select(cols)
    # Keep the side sizes: hard negatives replace people who are on one side only.
    left_people = pl.concat([both, left_only.head(max(0, left_only.height - hard_left.height)),
                             hard_left])  # fmt: skip
    right_people = pl.concat([both, right_only.head(max(0, right_only.height - hard_right.height)),
                              hard_right])  # fmt: skip
    left_people = left_people.sample(fraction=1.0, shuffle=True, seed=seed + 1)
    right_people = right_people.sample(fraction=1.0, shuffle=True, seed=seed + 2)

    left = _damage_side(left_people, left_damage, rng, relatives, desa_pool, "L")
    right = _damage_side(right_people, right_damage, rng, {}, desa_pool, "R")
    truth = (
        left.select("id", "person_id")
        .join(right.select("id", "person_id"), on="person_id", suffix="_r")
        .select(left_id="id", right_id="id_r")
    )
    return LinkageData(
        left=left.select(COLUMNS),
        right=right.select(COLUMNS),
        truth=truth,
        negatives=hard.select("person_id", "kind"),
    )
