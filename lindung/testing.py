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
