"""Fixtures shared by every test: one persona per role (see lindung/testing.py)."""

from __future__ import annotations

import pytest

from lindung import testing


def _uses_transactions(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    in_marker = bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    return in_marker or bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _audit_triggers(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Keep the append-only triggers in place, except around Django's post-test table flush.

    Transactional tests end with a flush of every table; the audit triggers would refuse it. The
    triggers are lifted just before that flush and restored at the start of the next test.
    """
    if request.node.get_closest_marker("django_db") is None and not (
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    ):
        yield
        return
    from django.db import connection

    from lindung.audit.db import create_triggers, drop_triggers

    transactional = _uses_transactions(request)
    request.getfixturevalue("transactional_db" if transactional else "db")
    create_triggers(connection)
    if transactional:
        from lindung.regions.services import load_reference_regions

        load_reference_regions()  # the previous test's flush removed the reference data
        testing.reload_seed_data()
    yield
    if transactional:
        drop_triggers(connection)


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
