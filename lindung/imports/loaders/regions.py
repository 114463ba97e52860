"""Region lookup: Kemendagri codes and the names people write ("Kab. Paser", "Kukar", "Ds. X").

Files name regions by hand, so one name may fit several desa or none. :class:`Regions` reads
the few thousand regions a load needs once, and answers per distinct spelling, never per row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from typing import NamedTuple

import polars as pl
from django.db.models import Q

from lindung.imports.loaders.common import FLAG, KALTIM, REJECT
from lindung.regions.models import Region
from lindung.registry.names import search_key

_DESA_PREFIXES = ("desa", "kelurahan", "kalurahan", "kel", "ds")
_KEC_PREFIXES = ("kecamatan", "kec")
_KAB_PREFIXES = ("kabupaten", "kab", "kotamadya", "kodya", "kota", "pemkab", "pemkot")

#: Short names of the Kaltim kab/kota used in files (keys as made by ``_region_key``).
KABKOTA_ALIASES: dict[str, str] = {
    "kukar": "64.02", "kutai kertanegara": "64.02", "kubar": "64.07", "kutim": "64.08",
    "ppu": "64.09", "penajam": "64.09", "pasir": "64.01", "mahulu": "64.11", "bpp": "64.71",
    "bpn": "64.71", "smd": "64.72",
}  # fmt: skip
_CODE_TEXT = re.compile(r"^[\d.\s]+$")


def _region_key(text: str, prefixes: Sequence[str] = ()) -> str:
    """Region name key: apostrophes dropped ("Long La'ai" = "Long Laai"), ``search_key``, and a
    leading level word ("desa", "kec.", "kab.") removed."""
    key = search_key(re.sub(r"['’`]", "", text))
    for prefix in prefixes:
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1 :]
    return key


class Place(NamedTuple):
    """Where a row's region names lead: the codes found, or the problem that stops it."""

    desa: str | None = None
    kecamatan: str | None = None
    kabkota: str | None = None
    column: str = ""
    problem: str = ""
    severity: str = ""


class Regions:
    """The regions a load needs, read once: Kaltim down to desa, every province and kab/kota."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.rows = rows
        self.names = {code: name for code, name, _level in rows}
        self.levels = {code: level for code, _name, level in rows}
        self.frame = pl.DataFrame(
            [(code, level) for code, _name, level in rows], schema=["code", "level"], orient="row"
        )

    @classmethod
    def load(cls) -> Regions:
        kaltim = Q(code=KALTIM) | Q(code__startswith=KALTIM + ".")
        rows = Region.objects.filter(kaltim | Q(level__in=("provinsi", "kabkota")))
        return cls(list(rows.values_list("code", "name", "level")))

    def _kaltim(self, level: str) -> dict[str, str]:
        return {c: n for c, n, lvl in self.rows if lvl == level and c.startswith(KALTIM + ".")}

    @cached_property
    def kaltim_kabkota(self) -> dict[str, str]:
        return self._kaltim("kabkota")

    @cached_property
    def _kabkota_keys(self) -> dict[str, str]:
        keys = {
            alias: code for alias, code in KABKOTA_ALIASES.items() if code in self.kaltim_kabkota
        }
        for code, name in self.kaltim_kabkota.items():
            keys[_region_key(name)] = keys[_region_key(name, _KAB_PREFIXES)] = code
        return keys

    def _index(self, level: str, prefixes: Sequence[str]) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for code, name in self._kaltim(level).items():
            index.setdefault(_region_key(name, prefixes), []).append(code)
        return index

    @cached_property
    def _kecamatan(self) -> dict[str, list[str]]:
        return self._index("kecamatan", _KEC_PREFIXES)

    @cached_property
    def _desa(self) -> dict[str, list[str]]:
        return self._index("desa", _DESA_PREFIXES)

    def kabkota_code(self, text: str | None) -> str | None:
        """The Kaltim kab/kota of a code ("64.72", "6472") or a name ("Kab. Paser", "Kukar")."""
        if text is None or not text.strip():
            return None
        if _CODE_TEXT.match(text):
            digits = re.sub(r"\D", "", text)
            code = f"{digits[:2]}.{digits[2:]}" if len(digits) == 4 else text.strip()
            return code if code in self.kaltim_kabkota else None
        keys = self._kabkota_keys
        return keys.get(_region_key(text)) or keys.get(_region_key(text, _KAB_PREFIXES))

    def describe(self, code: str) -> str:
        """ "Sidomulyo (Kec. Anggana, Kabupaten Kutai Kartanegara, 64.02.04.2007)"."""
        parts = code.split(".")
        where = [f"Kec. {self.names.get('.'.join(parts[:3]), '?')}"] if len(parts) > 3 else []
        where += [self.names.get(".".join(parts[:2]), ""), code]
        return f"{self.names.get(code, code)} ({', '.join(w for w in where if w)})"

    def resolve(self, desa: str, kecamatan: str, kabkota: str) -> Place:
        """The region named by a desa, kecamatan and kab/kota name (any of them may be "").

        One desa: accepted. Only a kecamatan or a kab/kota: accepted and flagged. Names that
        match nothing, or several regions, are rejected (ambiguity lists the candidates).
        """
        kab = self.kabkota_code(kabkota) if kabkota else None
        if kabkota and kab is None:
            return Place(
                column="kabupaten_kota",
                severity=REJECT,
                problem=f"Kabupaten/kota '{kabkota}' tidak dikenal di Kalimantan Timur",
            )
        kec_codes = (
            self._kecamatan.get(_region_key(kecamatan, _KEC_PREFIXES), []) if kecamatan else None
        )
        where = "".join(
            [f" di Kecamatan {kecamatan}" if kecamatan else "", f" ({kabkota})" if kabkota else ""]
        )
        if desa:
            return self._resolve_desa(desa, kec_codes, kab, where)
        if kec_codes is not None:
            return self._resolve_kecamatan(kecamatan, kec_codes, kab, where)
        if kab:
            return Place(
                None,
                None,
                kab,
                "kabupaten_kota",
                "Hanya kabupaten/kota yang diketahui: kecamatan dan desa/kelurahan dikosongkan",
                FLAG,
            )
        return Place(
            column="kode_wilayah",
            severity=REJECT,
            problem="Wilayah kosong: isi kode wilayah atau nama desa/kelurahan",
        )

    def _resolve_desa(
        self, desa: str, kec_codes: list[str] | None, kab: str | None, where: str
    ) -> Place:
        """A desa name, narrowed by the kecamatan and kab/kota when given."""
        found = self._desa.get(_region_key(desa, _DESA_PREFIXES), [])
        if kec_codes is not None:
            found = [c for c in found if c.rsplit(".", 1)[0] in kec_codes]
        if kab:
            found = [c for c in found if c.startswith(kab + ".")]
        if len(found) == 1:
            return Place(found[0], found[0][:8], found[0][:5])
        if not found:
            return Place(
                column="desa",
                severity=REJECT,
                problem=f"Desa/kelurahan '{desa}' tidak ditemukan di Kalimantan Timur{where}",
            )
        listed = "; ".join(self.describe(c) for c in found[:10])
        return Place(
            column="desa",
            severity=REJECT,
            problem=(
                f"Nama desa/kelurahan '{desa}' ambigu, ada {len(found)}: {listed}. "
                "Lengkapi kecamatan dan kabupaten/kota, atau isi kode wilayah."
            ),
        )

    def _resolve_kecamatan(
        self, kecamatan: str, kec_codes: list[str], kab: str | None, where: str
    ) -> Place:
        """A kecamatan without desa, narrowed by the kab/kota when given: flagged if found."""
        found = [c for c in kec_codes if not kab or c.startswith(kab + ".")]
        if len(found) == 1:
            return Place(
                None,
                found[0],
                found[0][:5],
                "kecamatan",
                "Hanya kecamatan yang diketahui: desa/kelurahan dikosongkan",
                FLAG,
            )
        if not found:
            return Place(
                column="kecamatan",
                severity=REJECT,
                problem=f"Kecamatan '{kecamatan}' tidak ditemukan di Kalimantan Timur{where}",
            )
        listed = "; ".join(self.describe(c) for c in found)
        return Place(
            column="kecamatan",
            severity=REJECT,
            problem=f"Nama kecamatan '{kecamatan}' ambigu: {listed}. Lengkapi kabupaten/kota.",
        )
