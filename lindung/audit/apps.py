from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lindung.audit"
    verbose_name = _("Log audit")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_record_login, dispatch_uid="lindung-audit-login")


def _record_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from lindung.audit.models import AuditEntry
    from lindung.audit.services import acting_as, record

    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    with acting_as(user, ip=ip):
        record(AuditEntry.Action.LOGIN, user)
