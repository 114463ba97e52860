from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "lindung.compliance"
    verbose_name = _("Kepatuhan pemberi kerja")

    def ready(self) -> None:
        from lindung.audit.services import track
        from lindung.compliance.models import (
            Company,
            CompanyMatch,
            ComplianceSettings,
            Employer,
            MinimumWage,
            ProgrammeRequirement,
        )

        track(Company, exclude=("name_key", "created_at", "updated_at"))
        track(Employer, exclude=("name_key", "created_at", "updated_at"))
        # rules an admin edits, and review decisions (matching runs write in bulk: one summary)
        track(MinimumWage)
        track(ProgrammeRequirement)
        track(ComplianceSettings)
        track(CompanyMatch, exclude=("created_at",))
        # case tracking: single changes by a person (letters advance cases in bulk: one summary)
        from lindung.compliance.cases import Case, CaseResponse, EscalationRule

        track(Case, exclude=("opened_at",))
        track(CaseResponse, exclude=("at", "evidence"))  # file name: in the case event
        track(EscalationRule)
