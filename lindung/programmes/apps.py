from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "lindung.programmes"
    verbose_name = _("Program bantuan iuran")

    def ready(self) -> None:
        from lindung.audit.services import track
        from lindung.programmes.models import Beneficiary, Programme

        # The selection summary is recorded by save_selection, once, with its counts.
        track(Programme, exclude=("created_at", "updated_at", "selection"))
        # Beneficiaries are written in bulk by a selection (one audited Programme change with the
        # counts); single changes (status, replacement) are audited one by one by the services.
        track(Beneficiary, exclude=("created_at", "updated_at"))
