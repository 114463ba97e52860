from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "lindung.compliance"
    verbose_name = _("Kepatuhan pemberi kerja")

    def ready(self) -> None:
        from lindung.audit.services import track
        from lindung.compliance.models import Company, Employer

        track(Company, exclude=("name_key", "created_at", "updated_at"))
        track(Employer, exclude=("name_key", "created_at", "updated_at"))
