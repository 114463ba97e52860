"""Where Splink runs. ``duckdb`` (in-process, default); ``spark`` plugs in later through the
same :class:`Backend` protocol (Splink's ``SparkAPI``; see docs/decisions/0006)."""

from __future__ import annotations

import logging
from typing import Any, Protocol

import polars as pl

__all__ = ["Backend", "DuckDBBackend", "get_backend"]

#: Columns returned by :meth:`Backend.predict`, besides the Splink ``gamma_*`` columns.
OUTPUT = ("left_id", "right_id", "match_probability", "name_sim", "name_sorted_l")


class Backend(Protocol):
    def predict(
        self, left: pl.DataFrame, right: pl.DataFrame, settings: dict[str, Any], threshold: float
    ) -> pl.DataFrame: ...


class DuckDBBackend:
    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads

    def predict(
        self, left: pl.DataFrame, right: pl.DataFrame, settings: dict[str, Any], threshold: float
    ) -> pl.DataFrame:
        import duckdb
        from splink import DuckDBAPI, Linker

        con = duckdb.connect()
        if self.threads:
            con.execute(f"SET threads = {int(self.threads)}")
        db_api = DuckDBAPI(connection=con)
        # Keep the threshold low enough for the confirmation rules to see rejected neighbours.
        l_sdf = db_api.register(left.to_arrow(), table_name="linkage_left")
        r_sdf = db_api.register(right.to_arrow(), table_name="linkage_right")
        linker = Linker([l_sdf, r_sdf], settings, log_level=logging.WARNING)
        predictions = linker.inference.predict(threshold_match_probability=min(threshold, 0.5))
        table = predictions.physical_name
        sql = f"""
            SELECT unique_id_l AS left_id, unique_id_r AS right_id, match_probability,
                   jaro_winkler_similarity(name_phon_l, name_phon_r) AS name_sim,
                   name_sorted_l, gamma_nik, gamma_name, gamma_dob, gamma_sex, gamma_kabkota
            FROM {table}
            WHERE source_dataset_l <> source_dataset_r
        """
        frame = con.sql(sql).pl()
        con.close()
        assert isinstance(frame, pl.DataFrame)
        # Splink keeps link_only pairs in (left, right) dataset order when names sort that way.
        return frame


def get_backend(engine: str) -> Backend:
    if engine == "duckdb":
        return DuckDBBackend()
    if engine == "spark":
        raise NotImplementedError(
            "engine='spark' belum tersedia: rencananya memakai splink SparkAPI (lihat ADR 0006)"
        )
    raise ValueError(f"engine tidak dikenal: {engine!r}")
