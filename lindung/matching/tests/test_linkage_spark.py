"""The Spark backend gives the same links as DuckDB (PySpark in local mode, one session).

Skipped only when no Java runtime is installed. Compares the sets of (left_id, right_id), not
scores: Spark's Jaro-Winkler (Splink's Scala jar) rounds a few pairs differently from DuckDB's.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from lindung.matching.linkage.engine import link
from lindung.matching.linkage.generator import generate_pair

HAS_JAVA = bool(shutil.which("java") or os.environ.get("JAVA_HOME"))
pytestmark = pytest.mark.skipif(
    not HAS_JAVA, reason="Java tidak terpasang: backend Spark (PySpark) butuh Java 17+"
)


@pytest.fixture(scope="session")
def spark():  # type: ignore[no-untyped-def]
    from lindung.matching.linkage.backends import spark_session

    return spark_session()  # one per test session; the backend reuses it


def pairs_of(frame: pl.DataFrame) -> set[tuple[str, str]]:
    return set(frame.select("left_id", "right_id").iter_rows())


def test_spark_links_equal_duckdb_links(spark) -> None:  # type: ignore[no-untyped-def]
    data = generate_pair(300, 600, seed=3)
    on_duckdb = link(data.left, data.right, engine="duckdb")
    on_spark = link(data.left, data.right, engine="spark")
    assert on_spark.summary["engine"] == "spark"
    assert on_duckdb.pairs.height >= 0.9 * data.truth.height
    assert pairs_of(on_spark.pairs) == pairs_of(on_duckdb.pairs)
    assert on_spark.pairs.columns == ["left_id", "right_id", "match_probability", "reason"]
    # Reasons come from the comparison levels, which are the same on both backends.
    by_pair = on_duckdb.pairs.join(on_spark.pairs, on=["left_id", "right_id"], suffix="_spark")
    same_reason = by_pair.filter(pl.col("reason") == pl.col("reason_spark")).height
    assert same_reason >= 0.98 * by_pair.height


def test_spark_declared_schema_equals_duckdb(spark) -> None:  # type: ignore[no-untyped-def]
    """A declared schema (no NIK/sex), with m trained by EM, also agrees across backends."""
    data = generate_pair(200, 400, seed=4)
    config = {
        "threshold": 0.5,
        "expected_overlap": 0.6,
        "train": False,
        "columns": [
            {"name": "nama", "type": "text"},
            {"name": "tanggal_lahir", "type": "date"},
            {"name": "nik", "type": "code"},
        ],
        "blocking": [["nik"], ["tanggal_lahir"]],
    }
    on_duckdb = link(data.left, data.right, settings=config, engine="duckdb")
    on_spark = link(data.left, data.right, settings=config, engine="spark")
    assert on_duckdb.pairs.height > 0.5 * data.truth.height
    assert pairs_of(on_spark.pairs) == pairs_of(on_duckdb.pairs)


def test_link_command_runs_on_spark(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    from django.core.management import call_command

    data = generate_pair(40, 80, seed=6)
    left, right, out = tmp_path / "l.csv", tmp_path / "r.csv", tmp_path / "o.csv"
    data.left.drop("person_id").write_csv(left)
    data.right.drop("person_id").write_csv(right)
    call_command("link", str(left), str(right), out=str(out), engine="spark", stdout=StringIO())
    expected = link(data.left.drop("person_id"), data.right.drop("person_id")).pairs
    assert pairs_of(
        pl.read_csv(out, schema_overrides={"left_id": pl.String, "right_id": pl.String})
    ) == pairs_of(expected)
