"""Linkage settings files (``lindung link --config FILE``): TOML or JSON, same keys.

Top-level keys are :class:`~lindung.matching.linkage.engine.LinkSettings` fields (``threshold``,
``expected_overlap``, ``one_to_one``, ``levels``); a ``columns`` list declares another list
shape (:mod:`lindung.matching.linkage.schema`), e.g. ``bench/febrl4.toml``.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from lindung.matching.linkage.engine import LinkSettings

__all__ = ["load_settings", "read_config"]


def read_config(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        data = json.loads(text)
    else:
        data = tomllib.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: pengaturan harus berupa objek/tabel")
    return data


def load_settings(path: str | Path) -> LinkSettings:
    return LinkSettings.from_dict(read_config(path))
