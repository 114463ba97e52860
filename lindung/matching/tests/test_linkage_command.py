"""``lindung link`` on tiny files with the import header aliases."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lindung.matching.linkage.generator import generate_pair


def test_link_command_writes_pairs_and_summary(tmp_path: Path) -> None:
    data = generate_pair(60, 120, seed=5)
    left = tmp_path / "usulan.csv"
    data.left.drop("person_id").rename(
        {
            "nik": "No. KTP",
            "nama": "Nama Lengkap",
            "tanggal_lahir": "Tgl. Lahir",
            "jenis_kelamin": "JK",
        }
    ).write_csv(left)
    right = tmp_path / "peserta.parquet"
    data.right.drop("person_id").write_parquet(right)
    config = tmp_path / "pengaturan.json"
    config.write_text(json.dumps({"threshold": 0.6}))
    out = tmp_path / "hasil.csv"
    stdout = StringIO()
    call_command("link", str(left), str(right), out=str(out), config=str(config), stdout=stdout)
    pairs = pl.read_csv(out)
    assert pairs.columns == ["left_id", "right_id", "match_probability", "reason"]
    tp = pairs.join(data.truth, on=["left_id", "right_id"]).height
    assert tp >= 0.95 * data.truth.height and tp >= 0.95 * pairs.height
    text = stdout.getvalue()
    assert "Usulan: 60" in text and "Belum terdaftar" in text and "detik" in text


def test_link_command_refuses_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("link", str(tmp_path / "x.csv"), str(tmp_path / "y.csv"), out="o.csv")
