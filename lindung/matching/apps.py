from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "lindung.matching"
    verbose_name = _("Kepesertaan BPJS Ketenagakerjaan")

    def ready(self) -> None:
        from lindung.audit.services import track
        from lindung.matching.models import MatchRun, Participant, ReviewDecision

        track(Participant, exclude=("name_search", "imported_at", "updated_at"))
        # Coverage rows are rewritten in bulk by every run (one audited MatchRun update with the
        # counts); the people's decisions are audited one by one, merges explicitly (views).
        track(MatchRun, exclude=("progress", "stage", "created_at"))
        track(ReviewDecision, exclude=("at",))
