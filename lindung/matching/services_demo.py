"""Demo participants consistent with the demo registry, loaded through the participant importer.

:func:`demo_participants` reads the registry (``values_list``, no ORM objects) and builds a
BPJS TK participant file as BPJS would send it: about 60% of the registry's people are already
members (wage earners, construction workers, government/CSR-paid BPU, self-paid BPU, lapsed
memberships, some with an older second membership), plus people who are not in the registry at
all; every record carries the damage of real lists (NIK typos and Excel damage, blank NIKs,
capitals, titles, dropped middle names, birth-date slips, people who moved). Everything is
vectorised with NumPy/Polars and seeded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import polars as pl

from lindung import nik as nik_module
from lindung.demo.generator import generate_workers
from lindung.imports.loaders import LoadContext, LoadResult, load
from lindung.registry.models import NikStatus, Worker

__all__ = ["demo_participants", "load_demo_participants"]

#: Share of the registry's people who are members, and how (shares of those members).
COVERED = 0.6
KINDS = {  # kind: (share, segment, status, payer)
    "pu": (0.22, "PU", "AKTIF", "pemberi_kerja"),
    "jakon": (0.03, "JAKON", "AKTIF", "pemberi_kerja"),
    "program": (0.30, "BPU", "AKTIF", "pemerintah"),
    "csr": (0.03, "BPU", "AKTIF", "csr"),
    "mandiri": (0.22, "BPU", "AKTIF", "mandiri"),
    "lapsed": (0.20, "BPU", "NONAKTIF", "mandiri"),
}
#: Share of members with a second, older and lapsed, wage-earner membership.
SECOND_MEMBERSHIP = 0.05
#: People in the participant file who are not in the registry, relative to the members.
OUTSIDERS = 0.3


def _registry() -> pl.DataFrame:
    rows = (
        Worker.objects.filter(nik_status=NikStatus.VALID)
        .order_by("id")
        .values_list("nik", "name", "birth_date", "sex", "desa_id")
        .iterator(chunk_size=20_000)
    )
    schema = {"nik": pl.String, "nama": pl.String, "tanggal_lahir": pl.Date,
              "jenis_kelamin": pl.String, "kode_wilayah": pl.String}  # fmt: skip
    frame = pl.DataFrame(list(rows), schema=schema, orient="row")
    return frame.unique("nik", keep="first", maintain_order=True)


def _damage(df: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    n = df.height
    u = rng.random(n)
    nik = pl.col("nik")
    swapped = pl.concat_str(
        [nik.str.slice(0, 12), nik.str.slice(13, 1), nik.str.slice(12, 1), nik.str.slice(14, 2)]
    )
    name_u = rng.random(n)
    tokens = pl.col("nama").str.split(" ")
    date_u = rng.random(n)
    moved = rng.random(n) < 0.04
    regions = df["kode_wilayah"].to_numpy()
    shuffled = regions[rng.permutation(n)] if n else regions
    return (
        df.with_columns(
            u=pl.Series(u),
            name_u=pl.Series(name_u),
            date_u=pl.Series(date_u),
            kode_wilayah=pl.Series(np.where(moved, shuffled, regions), dtype=pl.String),
        )
        .with_columns(
            nik=pl.when(pl.col("u") < 0.015)
            .then(swapped)
            .when(pl.col("u") < 0.025)
            .then(pl.lit(""))
            .when(pl.col("u") < 0.03)
            .then(nik.str.slice(0, 15) + pl.lit("0"))
            .otherwise(nik),
            nama=pl.when(pl.col("name_u") < 0.12)
            .then(pl.col("nama").str.to_uppercase())
            .when((pl.col("name_u") < 0.15) & (pl.col("jenis_kelamin") == "L"))
            .then(pl.lit("H. ") + pl.col("nama"))
            .when((pl.col("name_u") < 0.18) & (tokens.list.len() >= 3))
            .then(tokens.list.first() + pl.lit(" ") + tokens.list.last())
            .otherwise(pl.col("nama")),
            tanggal_lahir=pl.when(pl.col("date_u") < 0.01)
            .then(pl.lit(None, pl.Date))
            .when(pl.col("date_u") < 0.02)
            .then(pl.col("tanggal_lahir") + pl.duration(days=1))
            .otherwise(pl.col("tanggal_lahir")),
        )
        .drop("u", "name_u", "date_u")
    )


def _with_kind(frame: pl.DataFrame, kind: np.ndarray) -> pl.DataFrame:
    """Segment, status and payer of each row's kind of membership (an index into KINDS)."""
    k = pl.Series(kind, dtype=pl.Int64)
    values = list(KINDS.values())
    return frame.with_columns(
        **{
            column: k.replace_strict(
                {i: v[pos] for i, v in enumerate(values)}, return_dtype=pl.String
            )
            for pos, column in ((1, "segmen"), (2, "status"), (3, "pembayar"))
        }
    )


def demo_participants(seed: int = 2026) -> pl.DataFrame:
    """A validated participant frame (the importer's canonical columns) for the demo registry."""
    rng = np.random.default_rng(seed + 4242)
    people = _registry()
    members = people.filter(pl.Series(rng.random(people.height) < COVERED))
    shares = np.array([share for share, *_ in KINDS.values()])
    kind = rng.choice(len(KINDS), size=members.height, p=shares / shares.sum())
    members = _with_kind(members, kind)
    second = members.filter(pl.Series(rng.random(members.height) < SECOND_MEMBERSHIP)).with_columns(
        segmen=pl.lit("PU"), status=pl.lit("NONAKTIF"), pembayar=pl.lit("pemberi_kerja")
    )
    n_out = round(members.height * OUTSIDERS)
    outsiders = (
        generate_workers(max(n_out, 1), seed + 99, damage=False)
        .head(n_out)
        .select(
            "nik",
            nama="name",
            tanggal_lahir="birth_date",
            jenis_kelamin="sex",
            kode_wilayah="desa_id",
        )
        .filter(~pl.col("nik").is_in(people["nik"].implode()))
    )
    out_kind = rng.choice(len(KINDS), size=outsiders.height, p=shares / shares.sum())
    outsiders = _with_kind(outsiders, out_kind)
    frame = pl.concat([members, second, outsiders], how="vertical_relaxed")
    frame = _damage(frame, rng)
    n = frame.height
    employer = pl.col("segmen").is_in(["PU", "JAKON"])
    npp = pl.Series(rng.integers(10_000_000, 99_999_999, size=n)).cast(pl.String)
    frame = frame.with_columns(
        npp=pl.when(employer).then(pl.lit("NPP") + npp),
        upah=pl.Series(rng.integers(15, 60, size=n) * 100_000),
        tanggal_kepesertaan=pl.lit(dt.date(2018, 1, 1))
        + pl.duration(days=pl.lit(pl.Series(rng.integers(0, 2900, size=n)))),
        program=pl.when(employer).then(pl.lit("JKK,JKM,JHT")).otherwise(pl.lit("JKK,JKM")),
    )
    checks = nik_module.check_series(frame["nik"])
    frame = frame.with_columns(nik=checks["nik"], nik_status=checks["nik_status"])
    first = pl.struct("nik", "segmen", "npp").is_first_distinct()
    frame = frame.filter((pl.col("nik_status") != NikStatus.VALID.value) | first)
    return frame.sample(fraction=1.0, shuffle=True, seed=seed)


def load_demo_participants(seed: int = 2026, user: Any = None) -> LoadResult:
    """Build and load the demo participants (idempotent: loading twice changes nothing)."""
    frame = demo_participants(seed)
    return load("participants", frame, context=LoadContext(user=user, source="Demo BPJS TK"))
