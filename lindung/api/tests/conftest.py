from __future__ import annotations

import pytest

from lindung.api.tests import world as world_module
from lindung.testing import api_client_headers


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(op_samarinda, op_balikpapan, petugas_bpjs):  # type: ignore[no-untyped-def]
    return world_module.build(op_samarinda, op_balikpapan, petugas_bpjs)


@pytest.fixture
def headers(admin_provinsi, op_samarinda, op_balikpapan, petugas_bpjs, pimpinan):  # type: ignore[no-untyped-def]
    """Bearer headers per persona name, one token each."""
    users = {
        "admin": admin_provinsi,
        "op.samarinda": op_samarinda,
        "op.balikpapan": op_balikpapan,
        "bpjs": petugas_bpjs,
        "pimpinan": pimpinan,
    }
    return {name: api_client_headers(user) for name, user in users.items()}
