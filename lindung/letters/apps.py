from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "lindung.letters"
    label = "letters"
    verbose_name = _("Surat dinas")
    default_auto_field = "django.db.models.BigAutoField"
