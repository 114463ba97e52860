"""Where Splink runs: ``duckdb`` (in-process, default) or ``spark`` (Splink's ``SparkAPI``; a
local ``local[2]`` session by default, any cluster through ``LINDUNG_SPARK_MASTER``; see
docs/linkage-spark.md). Both take the prepared Polars frames and the Splink settings dict and give
back the cross-dataset predictions as a Polars frame, with the columns of ``select``.

The comparison SQL differs per backend only in function names (:mod:`.sql`); blocking,
comparisons, m/u and everything after Splink are the same code.
"""

from __future__ import annotations

import itertools
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import polars as pl

from lindung.matching.linkage.sql import DIALECTS, Dialect

__all__ = ["Backend", "DuckDBBackend", "SparkBackend", "get_backend", "spark_session"]

#: A callback that trains m/u on the Splink linker before prediction (generic schemas).
Trainer = Callable[[Any], None]


class Backend(Protocol):
    dialect: Dialect

    def predict(
        self,
        left: pl.DataFrame,
        right: pl.DataFrame,
        settings: dict[str, Any],
        threshold: float,
        select: Sequence[str],
        train: Trainer | None = None,
    ) -> pl.DataFrame: ...


def _sql(select: Sequence[str], table: str) -> str:
    return f"SELECT {', '.join(select)} FROM {table} WHERE source_dataset_l <> source_dataset_r"


class DuckDBBackend:
    dialect = DIALECTS["duckdb"]

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads

    def predict(
        self,
        left: pl.DataFrame,
        right: pl.DataFrame,
        settings: dict[str, Any],
        threshold: float,
        select: Sequence[str],
        train: Trainer | None = None,
    ) -> pl.DataFrame:
        import duckdb
        from splink import DuckDBAPI, Linker

        con = duckdb.connect()
        if self.threads:
            con.execute(f"SET threads = {int(self.threads)}")
        db_api = DuckDBAPI(connection=con)
        l_sdf = db_api.register(left.to_arrow(), table_name="linkage_left")
        r_sdf = db_api.register(right.to_arrow(), table_name="linkage_right")
        linker = Linker([l_sdf, r_sdf], settings, log_level=logging.WARNING)
        if train:
            train(linker)
        # Keep the threshold low enough for the confirmation rules to see rejected neighbours.
        predictions = linker.inference.predict(threshold_match_probability=min(threshold, 0.5))
        frame = con.sql(_sql(select, predictions.physical_name)).pl()
        con.close()
        assert isinstance(frame, pl.DataFrame)
        # Splink keeps link_only pairs in (left, right) dataset order ("linkage_left" sorts first).
        return frame


_SPARK_LOCK = threading.Lock()
_RUNS = itertools.count(1)
_SPARK: Any = None


def spark_session() -> Any:
    """The process's SparkSession (created once; later calls reuse it).

    Local by default: ``local[2]``, 4 shuffle partitions, 4 GB driver memory, UI off, bound to
    127.0.0.1. Environment overrides: ``LINDUNG_SPARK_MASTER`` (``local[*]``, ``yarn``,
    ``spark://…``, ``k8s://…``), ``LINDUNG_SPARK_SHUFFLE_PARTITIONS``,
    ``LINDUNG_SPARK_DRIVER_MEMORY``. An existing active session (``spark-submit``, a notebook)
    is reused as is; it must have been started with Splink's similarity jar in ``spark.jars``.
    """
    global _SPARK
    with _SPARK_LOCK:
        if _SPARK is not None:
            return _SPARK
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        if active is not None:
            _SPARK = active
            return _SPARK
        from splink.backends.spark import similarity_jar_location

        master = os.environ.get("LINDUNG_SPARK_MASTER", "local[2]")
        builder = (
            SparkSession.builder.master(master)
            .appName("lindung-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.driver.memory", os.environ.get("LINDUNG_SPARK_DRIVER_MEMORY", "4g"))
            .config(
                "spark.sql.shuffle.partitions",
                os.environ.get("LINDUNG_SPARK_SHUFFLE_PARTITIONS", "4"),
            )
            .config("spark.default.parallelism", "4")
            .config("spark.sql.adaptive.enabled", "true")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
        )
        if master.startswith("local"):
            builder = builder.config("spark.driver.host", "127.0.0.1").config(
                "spark.driver.bindAddress", "127.0.0.1"
            )
        # py4j logs "closing down" at interpreter exit, after pytest/tqdm closed the streams.
        logging.getLogger("py4j").setLevel(logging.ERROR)
        spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")
        checkpoints = os.environ.get("LINDUNG_SPARK_CHECKPOINT_DIR") or tempfile.mkdtemp(
            prefix="lindung-spark-"
        )
        spark.sparkContext.setCheckpointDir(checkpoints)
        _SPARK = spark
        return spark


class SparkBackend:
    """Splink on Spark. ``break_lineage``: ``persist`` (in memory, local default) or ``parquet``
    (to the checkpoint dir; what a cluster run wants, ``LINDUNG_SPARK_BREAK_LINEAGE``)."""

    dialect = DIALECTS["spark"]

    def __init__(self, session: Any = None, break_lineage: str | None = None) -> None:
        self.session = session
        self.break_lineage = break_lineage or os.environ.get(
            "LINDUNG_SPARK_BREAK_LINEAGE", "persist"
        )

    def predict(
        self,
        left: pl.DataFrame,
        right: pl.DataFrame,
        settings: dict[str, Any],
        threshold: float,
        select: Sequence[str],
        train: Trainer | None = None,
    ) -> pl.DataFrame:
        from splink import Linker
        from splink.backends.spark import SparkAPI

        spark = self.session or spark_session()
        partitions = int(spark.conf.get("spark.sql.shuffle.partitions"))
        db_api = SparkAPI(
            spark_session=spark,
            break_lineage_method=self.break_lineage,
            num_partitions_on_repartition=max(1, partitions),
        )
        # Temp views live as long as the session: a fresh pair of names per run ("left" still
        # sorts before "right", which keeps the predictions in (left, right) order).
        run = next(_RUNS)
        l_sdf = db_api.register(left.to_arrow(), table_name=f"linkage_left_{run}")
        r_sdf = db_api.register(right.to_arrow(), table_name=f"linkage_right_{run}")
        linker = Linker([l_sdf, r_sdf], settings, log_level=logging.WARNING)
        if train:
            train(linker)
        predictions = linker.inference.predict(threshold_match_probability=min(threshold, 0.5))
        result = spark.sql(_sql(select, predictions.physical_name))
        frame = pl.from_arrow(result.toArrow())
        assert isinstance(frame, pl.DataFrame)
        # Free what Splink persisted for this run (the session lives on).
        spark.catalog.clearCache()
        for name in (f"linkage_left_{run}", f"linkage_right_{run}"):
            spark.catalog.dropTempView(name)
        return frame


def get_backend(engine: str) -> Backend:
    if engine == "duckdb":
        return DuckDBBackend()
    if engine == "spark":
        return SparkBackend()
    raise ValueError(f"engine tidak dikenal: {engine!r}")
