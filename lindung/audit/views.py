"""The audit log page for Admin Provinsi: newest first, filterable, keyset-paginated."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lindung.accounts.access import Capability, capability_required
from lindung.audit.models import AuditEntry

PAGE_SIZE = 100


@capability_required(Capability.VIEW_AUDIT)
def audit_list(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.all()
    action = request.GET.get("action", "")
    actor = request.GET.get("actor", "").strip()
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    before = request.GET.get("before", "")
    if before.isdigit():
        entries = entries.filter(id__lt=int(before))
    rows = list(entries.order_by("-id")[: PAGE_SIZE + 1])
    context = {
        "rows": rows[:PAGE_SIZE],
        "next_before": rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None,
        "actions": AuditEntry.Action.choices,
        "action": action,
        "actor": actor,
    }
    return render(request, "audit/audit_list.html", context)
