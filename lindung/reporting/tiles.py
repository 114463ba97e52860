"""A tile map of Kaltim's ten kab/kota, shaped roughly like the province.

No package on the registries this project may use ships Kaltim's regency boundaries (see
``docs/decisions``), so the map is a grid of equal tiles placed where each kab/kota lies: Berau
in the north-east, Mahakam Ulu in the west, Paser in the south. Each tile is coloured by the
share of its workers still unprotected and links to its drill-down.
"""

from __future__ import annotations

from dataclasses import dataclass

from lindung.reporting.aggregates import RegionRow

#: Kemendagri code → (column, row) on a 4 × 5 grid, north at the top.
POSITIONS: dict[str, tuple[int, int]] = {
    "64.03": (3, 1),  # Berau
    "64.11": (1, 2),  # Mahakam Ulu
    "64.08": (3, 2),  # Kutai Timur
    "64.74": (4, 2),  # Bontang
    "64.07": (2, 3),  # Kutai Barat
    "64.02": (3, 3),  # Kutai Kartanegara
    "64.72": (4, 3),  # Samarinda
    "64.09": (3, 4),  # Penajam Paser Utara
    "64.71": (4, 4),  # Balikpapan
    "64.01": (3, 5),  # Paser
}
#: Upper bounds of the colour classes (share of workers unprotected).
CLASSES = (0.2, 0.4, 0.6, 0.8)


@dataclass(frozen=True)
class Tile:
    row: RegionRow
    column: int
    line: int
    shade: str
    selected: bool


def shade(row: RegionRow) -> str:
    """``t0`` (under 20% unprotected) … ``t4`` (80% or more); ``tnone`` without workers."""
    if not row.counts.total:
        return "tnone"
    share = row.counts.uncovered_share
    return f"t{sum(share >= bound for bound in CLASSES)}"


def tile_map(rows: list[RegionRow], selected: str = "") -> list[Tile]:
    """Tiles of the kab/kota in ``rows`` that have a place on the map."""
    return [
        Tile(row, *POSITIONS[row.region.code], shade(row), selected.startswith(row.region.code))
        for row in rows
        if row.region.code in POSITIONS
    ]
