from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "lindung.letters"
    label = "letters"
    verbose_name = _("Surat dinas")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lindung.audit.services import track
        from lindung.letters.models import Letterhead, LetterSequence, LetterTemplate

        # The wording and header of official letters; the running number is recorded by the
        # letters that use it.
        track(Letterhead, exclude=("updated_at",))
        track(LetterTemplate, exclude=("updated_at",))
        track(LetterSequence, exclude=("next_number",))
