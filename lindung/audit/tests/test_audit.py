"""The audit log records changes (old and new values), exports and NIK views; it is append-only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from lindung.audit.models import AppendOnlyError, AuditEntry
from lindung.audit.services import acting_as
from lindung.testing import client_for, make_worker, streamed_body

pytestmark = pytest.mark.django_db


def test_change_records_old_and_new_values_and_actor(op_samarinda):
    with acting_as(op_samarinda):
        worker = make_worker("64.72", name="Suparman")
        worker.monthly_income = 2_000_000
        worker.save()
    created, updated = AuditEntry.objects.filter(
        object_type="registry.worker", object_id=str(worker.pk)
    ).order_by("id")
    assert created.action == "create"
    assert created.actor == op_samarinda
    assert updated.action == "update"
    assert updated.changes == {"monthly_income": [1_500_000, 2_000_000]}


def test_delete_is_recorded(admin_provinsi):
    worker = make_worker("64.72")
    pk = worker.pk
    with acting_as(admin_provinsi):
        worker.delete()
    entry = AuditEntry.objects.get(
        action="delete", object_type="registry.worker", object_id=str(pk)
    )
    assert entry.actor_label == "admin"
    assert entry.changes["name"] == ["Budi Santoso", None]


def test_full_nik_view_and_export_are_recorded(op_samarinda, worker_samarinda):
    client = client_for(op_samarinda)
    reveal = client.post(reverse("registry:worker-reveal-nik", args=[worker_samarinda.pk]))
    assert worker_samarinda.nik in reveal.text
    streamed_body(client.get(reverse("registry:worker-export") + "?q=siti"))
    view = AuditEntry.objects.get(action="view_nik")
    assert view.actor == op_samarinda and view.object_id == str(worker_samarinda.pk)
    export = AuditEntry.objects.get(action="export")
    assert export.detail == {"filter": {"q": "siti"}, "rows": 1, "full_nik": True}


def test_login_is_recorded(client, pimpinan):
    from lindung.testing import PASSWORD

    assert client.login(username="pimpinan", password=PASSWORD)
    assert AuditEntry.objects.filter(action="login", actor=pimpinan).exists()


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    entry = AuditEntry.objects.create(actor_label="x", action="export")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(actor_label="y")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_entries_cannot_be_changed_with_raw_sql():
    entry = AuditEntry.objects.create(actor_label="x", action="export")
    table = AuditEntry._meta.db_table
    for sql in (
        f"UPDATE {table} SET actor_label = 'y' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).actor_label == "x"


def test_audit_page_names_objects_and_fields_as_users_know_them(admin_provinsi):
    with acting_as(admin_provinsi):
        worker = make_worker("64.72", name="Suparman")
        worker.monthly_income = 2_000_000
        worker.save()
    text = client_for(admin_provinsi).get(reverse("audit:list")).text
    assert "registry.worker" not in text
    assert f"Pekerja rentan #{worker.pk}" in text
    assert "<b>penghasilan per bulan (Rp)</b>: 1500000 → 2000000" in text
