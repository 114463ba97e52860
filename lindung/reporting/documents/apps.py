from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Printed reports (monthly coverage, leadership brief, budget brief) and their archive."""

    name = "lindung.reporting.documents"
    label = "documents"
    verbose_name = _("Laporan tercetak")
