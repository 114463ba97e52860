"""The docs page works offline, and no operation answers without a valid token."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from lindung.accounts.models import ApiToken
from lindung.api import api

pytestmark = pytest.mark.django_db

_URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


def test_docs_page_loads_nothing_from_another_host(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = _URL.findall(html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert not re.match(r"^(https?:)?//", asset), f"{asset} comes from another host"
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not shipped"
    assert '"validatorUrl": null' in html  # Swagger UI would otherwise call validator.swagger.io


def test_schema_documents_errors_and_token_auth(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "422"} <= set(operation["responses"]), (method, path)
            assert operation["security"] == [{"TokenAuth": []}], (method, path)


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    filled = {"nik": "6472015708850001"}
    found = []
    for path, operations in schema["paths"].items():
        url = re.sub(r"\{(\w+)\}", lambda m: filled.get(m.group(1), "1"), path)
        found += [(method, url) for method in operations]
    return found


@pytest.mark.parametrize(("method", "url"), _operations())
def test_every_operation_requires_a_token(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 401
    assert response.json() == {"detail": "Token API tidak ada, salah, atau sudah dicabut."}


def test_revoked_token_and_inactive_user_are_refused(client, worker_samarinda, op_samarinda):
    token, plain = ApiToken.issue(op_samarinda, "sistem kab")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    assert client.get("/api/v1/workers/", **auth).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    op_samarinda.is_active = False
    op_samarinda.save()
    assert client.get("/api/v1/workers/", **auth).status_code == 401
    op_samarinda.is_active = True
    op_samarinda.save()
    token.delete()
    assert client.get("/api/v1/workers/", **auth).status_code == 401


def test_role_without_the_capability_gets_403(client, petugas_bpjs):
    from lindung.testing import api_client_headers

    response = client.get("/api/v1/programmes/", **api_client_headers(petugas_bpjs))
    assert response.status_code == 403
    assert response.json() == {"detail": "Peran Anda tidak diizinkan."}


def test_bad_parameter_is_named_in_indonesian(client, admin_provinsi):
    from lindung.testing import api_client_headers

    response = client.get("/api/v1/imports/?after=abc", **api_client_headers(admin_provinsi))
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [{"loc": ["query", "after"], "msg": "«after» harus bilangan bulat."}]
