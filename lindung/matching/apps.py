from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "lindung.matching"
    verbose_name = _("Kepesertaan BPJS Ketenagakerjaan")

    def ready(self) -> None:
        from lindung.audit.services import track
        from lindung.matching.models import Participant

        track(Participant, exclude=("name_search", "imported_at", "updated_at"))
