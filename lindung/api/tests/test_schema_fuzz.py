"""Schemathesis against the live schema, in process, as every persona.

Every operation gets a bounded number of generated requests, each sent once per persona; every
answer must be a documented status with a body that matches the declared schema and content
type, and never a server error. All operations run inside one test so the data set (rows in
two kab/kota, so lists are not empty and scoped-out ids exist) is built once.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lindung.wsgi import application

CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)
#: generated requests per operation (each sent as every persona)
EXAMPLES = 8

#: Loaded at import: the schema endpoint needs no database (schemathesis' fixture-based lazy
#: loader does not work with pytest 9).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _operations() -> list[APIOperation]:
    found = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # the schema itself is broken
        found.append(result.ok())
    return found


OPERATIONS = _operations()


def _fuzz(operation, tokens) -> None:  # type: ignore[no-untyped-def]
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:  # type: ignore[no-untyped-def]
        for auth in tokens.values():
            response = case.call(headers=auth)
            case.validate_response(response, checks=CHECKS)

    run()


@pytest.fixture
def _keep_connection():  # type: ignore[no-untyped-def]
    """Requests go through the real WSGI handler, whose end-of-request signal closes the
    database connection (and with it the test's transaction); Django's test client detaches
    that handler the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_connection")
def test_every_operation_conforms_to_the_schema(world, headers):  # type: ignore[no-untyped-def]
    tokens = {name: {"Authorization": h["HTTP_AUTHORIZATION"]} for name, h in headers.items()}
    assert len(OPERATIONS) >= 17
    for operation in OPERATIONS:
        _fuzz(operation, tokens)
