"""Who may see what, and what official letters say, is recorded whenever it changes: a
programme's target kab/kota, a user's role and region, letter templates and headers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lindung.accounts.models import Role
from lindung.audit.models import AuditEntry
from lindung.audit.services import acting_as
from lindung.letters.models import LetterTemplate
from lindung.programmes.tests.conftest import programme
from lindung.regions.models import Region
from lindung.testing import client_for

pytestmark = pytest.mark.django_db


def _updates(obj) -> list[dict]:  # type: ignore[no-untyped-def]
    entries = AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
    )
    return [e.changes for e in entries.order_by("pk")]


def test_changing_a_programmes_target_kabkota_is_recorded(admin_provinsi):
    aimed = programme(targets=["64.72"])
    with acting_as(admin_provinsi):
        aimed.target_regions.add(Region.objects.get(code="64.71"))
        aimed.target_regions.remove(Region.objects.get(code="64.72"))
    assert _updates(aimed)[-2:] == [
        {"target_regions": [["64.72"], ["64.71", "64.72"]]},
        {"target_regions": [["64.71", "64.72"], ["64.71"]]},
    ]
    assert AuditEntry.objects.filter(actor=admin_provinsi, object_id=str(aimed.pk)).count() == 2


def test_moving_an_operator_to_another_kabkota_is_recorded(admin_provinsi, op_balikpapan):
    with acting_as(admin_provinsi):
        op_balikpapan.kabkota_id = "64.72"
        op_balikpapan.role = Role.OPERATOR
        op_balikpapan.save()
    assert _updates(op_balikpapan)[-1] == {"kabkota_id": ["64.71", "64.72"]}


def test_a_login_or_password_change_does_not_flood_the_log(client, pimpinan):
    before = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).count()
    pimpinan.set_password("kata-sandi-baru-2026")
    pimpinan.save()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).count() == before


def test_editing_a_letter_template_is_recorded(admin_provinsi):
    template = LetterTemplate.objects.order_by("pk").first()
    assert template is not None, "default letter templates are seeded by migrations"
    with acting_as(admin_provinsi):
        template.subject = "Imbauan kepesertaan (ubah)"
        template.save()
    assert "subject" in _updates(template)[-1]


def test_leaders_reports_are_recorded_and_a_missing_month_is_a_message(pimpinan):
    client = client_for(pimpinan)
    url = reverse("reporting:documents:archive")
    response = client.post(url, {"kind": "bulanan"}, follow=True)
    assert response.status_code == 200
    assert "tidak dikenali" in response.text
    client.post(url, {"kind": "ringkasan"})
    entry = AuditEntry.objects.filter(object_type="documents.reportfile").latest("pk")
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == pimpinan
