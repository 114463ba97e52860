"""Each test starts with an empty cache: the dashboard caches answers per scope and summary
version, and a database rolled back between tests can repeat a version."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
