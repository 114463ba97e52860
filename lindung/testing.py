"""The shared test base: named personas per role and a worker factory.

Imported by the root ``conftest.py``; tests ask for ``op_samarinda`` or ``pimpinan`` instead of
creating ad-hoc users, so a reader always knows which role a test speaks for.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import Client

from lindung import nik as nik_module
from lindung.accounts.models import ApiToken, User
from lindung.accounts.personas import PERSONAS, ensure_persona
from lindung.regions.models import Region
from lindung.registry.models import Worker

PASSWORD = "test-pass-Lindung-1"
_serials = itertools.count(1)


def persona_user(username: str) -> User:
    return ensure_persona(PERSONAS[username], PASSWORD)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def streamed_body(response: HttpResponseBase) -> bytes:
    """The whole body of a streamed response (CSV exports), failing if it was not streamed."""
    assert isinstance(response, StreamingHttpResponse), f"{type(response).__name__} is not streamed"
    return response.getvalue()


def api_client_headers(user: User) -> dict[str, str]:
    _token, plain = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def make_worker(kabkota: str = "64.72", **fields: Any) -> Worker:
    """A valid worker living in the first desa of ``kabkota``, with a consistent NIK."""
    desa = Region.objects.filter(level=Region.Level.DESA, code__startswith=kabkota + ".").first()
    assert desa is not None, f"no desa under {kabkota}: reference data missing"
    birth = fields.pop("birth_date", dt.date(1985, 8, 17))
    sex = fields.pop("sex", "L")
    district = desa.code.rsplit(".", 1)[0].replace(".", "")
    defaults: dict[str, Any] = {
        "nik": nik_module.make_nik(district, birth, sex, next(_serials)),
        "name": "Budi Santoso",
        "birth_date": birth,
        "sex": sex,
        "desa": desa,
        "occupation": "nelayan",
        "monthly_income": 1_500_000,
        "poverty_decile": 2,
        "proposer_id": kabkota,
        "source": "uji",
    }
    defaults.update(fields)
    return Worker.objects.create(**defaults)


#: Apps whose data migrations seed reference rows that code relies on (contribution rules, UMP/UMK
#: and thresholds, escalation rules, letter templates). Regions have their own loader.
SEEDED_APPS = ("compliance", "letters", "subsidy")


def reload_seed_data() -> None:
    """Run the seeding data migrations again, in migration order.

    A transactional test ends with a flush of every table, which also removes what data
    migrations put there; the next transactional test would find no premium rules or letter
    templates. The seed functions only use ``apps.get_model`` and the current models match the
    latest migration, so they run against the live app registry.
    """
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    graph = MigrationLoader(connection).graph
    plan: list[tuple[str, str]] = []
    for leaf in graph.leaf_nodes():
        plan += [node for node in graph.forwards_plan(leaf) if node not in plan]
    for app_label, name in plan:
        if app_label not in SEEDED_APPS:
            continue
        for operation in graph.nodes[app_label, name].operations:
            if isinstance(operation, RunPython):
                operation.code(apps, None)  # type: ignore[arg-type]  # live registry, no DDL
