"""Fixtures shared by every test: one persona per role (see lindung/testing.py)."""

from __future__ import annotations

import pytest

from lindung import testing


@pytest.fixture
def admin_provinsi(db):  # type: ignore[no-untyped-def]
    return testing.persona_user("admin")


@pytest.fixture
def op_samarinda(db):  # type: ignore[no-untyped-def]
    return testing.persona_user("op.samarinda")


@pytest.fixture
def op_balikpapan(db):  # type: ignore[no-untyped-def]
    return testing.persona_user("op.balikpapan")


@pytest.fixture
def petugas_bpjs(db):  # type: ignore[no-untyped-def]
    return testing.persona_user("bpjs")


@pytest.fixture
def pimpinan(db):  # type: ignore[no-untyped-def]
    return testing.persona_user("pimpinan")


@pytest.fixture
def worker_samarinda(db):  # type: ignore[no-untyped-def]
    return testing.make_worker("64.72", name="Siti Aminah", sex="P")


@pytest.fixture
def worker_balikpapan(db):  # type: ignore[no-untyped-def]
    return testing.make_worker("64.71", name="Yakobus Lerang")
