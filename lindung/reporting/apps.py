from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "lindung.reporting"
    verbose_name = _("Dasbor dan laporan")

    def ready(self) -> None:
        from lindung.reporting import signals

        signals.connect()
