"""Coverage by NIK: the answer a kab/kota system gets, its scope, masking and audit trail."""

from __future__ import annotations

import pytest

from lindung.api.tests.world import MEMBER_SINCE
from lindung.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _lookups(user) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    return list(
        AuditEntry.objects.filter(actor=user, action=AuditEntry.Action.VIEW_NIK).order_by("id")
    )


def test_covered_worker_answer(client, world, headers):
    response = client.get(f"/api/v1/coverage/{world.covered.nik}", **headers["op.samarinda"])
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "bpu_mandiri"
    assert body["covered"] is True
    assert body["segment"] == "BPU"
    assert body["since"] == MEMBER_SINCE.isoformat()
    assert body["reason"] == "NIK dan nama sama"
    assert [p["worker_id"] for p in body["proposals"]] == [world.covered.pk]


def test_unmatched_worker_answer(client, world, headers):
    body = client.get(f"/api/v1/coverage/{world.unmatched.nik}", **headers["admin"]).json()
    assert body["status"] == "belum_dicocokkan"
    assert body["covered"] is False
    assert body["since"] is None and body["segment"] is None


def test_samarinda_token_cannot_read_balikpapan_coverage(client, world, headers, op_samarinda):
    response = client.get(f"/api/v1/coverage/{world.balikpapan.nik}", **headers["op.samarinda"])
    assert response.status_code == 404
    assert "tidak ditemukan" in response.json()["detail"]
    # the attempt itself is on record, without the full NIK
    [entry] = _lookups(op_samarinda)
    assert entry.object_id == ""
    assert entry.detail["found"] == 0
    assert world.balikpapan.nik not in str(entry.detail)
    # while the Balikpapan operator does get an answer
    other = client.get(f"/api/v1/coverage/{world.balikpapan.nik}", **headers["op.balikpapan"])
    assert other.json()["status"] == "belum"


def test_lookup_is_audited_with_the_worker(client, world, headers, op_samarinda):
    client.get(f"/api/v1/coverage/{world.covered.nik}", **headers["op.samarinda"])
    [entry] = _lookups(op_samarinda)
    assert entry.object_id == str(world.covered.pk)
    assert entry.actor_label == "op.samarinda"
    assert entry.detail == {"via": "api", "lookup": "coverage"}


@pytest.mark.parametrize("persona", ["pimpinan", "bpjs", "admin", "op.samarinda"])
def test_no_role_gets_a_full_nik_back(client, world, headers, persona):
    body = client.get(f"/api/v1/coverage/{world.covered.nik}", **headers[persona]).content
    assert world.covered.nik.encode() not in body
    assert world.covered.masked_nik.encode() in body


@pytest.mark.parametrize(
    ("nik", "words"),
    [
        ("6.47201E+15", "notasi ilmiah"),
        ("64720112345", "16 digit"),
        ("6472016808850000", "nomor urut"),
    ],
)
def test_invalid_nik_is_422_in_indonesian(client, world, headers, nik, words):
    response = client.get(f"/api/v1/coverage/{nik}", **headers["admin"])
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("NIK «")
    assert words in body["detail"].lower()
    assert body["errors"][0]["loc"] == ["path", "nik"]


def test_summary_counts_within_scope(client, world, headers):
    body = client.get("/api/v1/coverage/", **headers["op.samarinda"]).json()
    assert [r["kabkota"] for r in body["rows"]] == ["64.72"]
    row = body["rows"][0]
    assert (row["workers"], row["bpu_mandiri"], row["belum_dicocokkan"]) == (2, 1, 1)
    assert row["terlindungi"] == 1 and row["belum_terlindungi"] == 0
    everything = client.get("/api/v1/coverage/", **headers["pimpinan"]).json()
    assert everything["total"]["workers"] == 3
    assert everything["total"]["belum"] == 1
    only = client.get("/api/v1/coverage/?kabkota=64.71", **headers["pimpinan"]).json()
    assert [r["kabkota"] for r in only["rows"]] == ["64.71"]
    assert (
        client.get("/api/v1/coverage/?kabkota=64.71", **headers["op.samarinda"]).json()["rows"]
        == []
    )


def test_summary_refuses_a_malformed_kabkota(client, world, headers):
    response = client.get("/api/v1/coverage/?kabkota=samarinda", **headers["admin"])
    assert response.status_code == 422
    assert "kabkota" in response.json()["detail"]
