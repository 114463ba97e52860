from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidyConfig(AppConfig):
    name = "lindung.subsidy"
    verbose_name = _("Aturan iuran dan subsidi")

    def ready(self) -> None:
        from lindung.audit.services import track
        from lindung.subsidy.models import (
            Benefit,
            BpuRate,
            Discount,
            IncomeTier,
            PuRate,
            RuleSet,
        )

        track(RuleSet, exclude=("created_at", "updated_at"))
        for model in (BpuRate, IncomeTier, Discount, PuRate, Benefit):
            track(model)
