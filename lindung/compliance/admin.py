from django.contrib import admin

from lindung.accounts.access import scoped
from lindung.compliance.models import (
    Company,
    CompanyMatch,
    CompanyStatus,
    ComplianceSettings,
    Employer,
    MinimumWage,
    ProgrammeRequirement,
)
from lindung.core.admin import ScopedReadOnlyAdmin


@admin.register(Company)
class CompanyAdmin(ScopedReadOnlyAdmin):
    """Rows arrive by import only: listed and shown, scoped by region."""

    list_select_related = ["kabkota"]
    list_display = ["name", "nib", "npwp", "kabkota", "kbli", "size_class", "employees_reported"]
    list_filter = ["kabkota", "size_class"]
    search_fields = ["=nib", "=npwp", "name_key"]


@admin.register(Employer)
class EmployerAdmin(ScopedReadOnlyAdmin):
    """Rows arrive by import only: listed and shown, scoped by region."""

    list_select_related = ["kabkota"]
    list_display = ["name", "npp", "npwp", "kabkota", "workforce_registered", "programmes"]
    list_filter = ["kabkota"]
    search_fields = ["=npp", "=npwp", "name_key"]


# --- rules: data an admin edits ------------------------------------------------------------------


@admin.register(MinimumWage)
class MinimumWageAdmin(admin.ModelAdmin):
    list_display = ["year", "region", "amount", "legal_basis", "source"]
    list_filter = ["year"]
    list_select_related = ["region"]
    search_fields = ["region__name", "source", "legal_basis"]


@admin.register(ProgrammeRequirement)
class ProgrammeRequirementAdmin(admin.ModelAdmin):
    list_display = ["size_class", "programmes", "legal_basis"]


@admin.register(ComplianceSettings)
class ComplianceSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "auto_match_score",
        "review_min_score",
        "workforce_tolerance_pct",
        "workforce_tolerance_min",
        "wage_tolerance_pct",
    ]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return not ComplianceSettings.objects.exists()


# --- results: computed, read-only ----------------------------------------------------------------


@admin.register(CompanyMatch)
class CompanyMatchAdmin(ScopedReadOnlyAdmin):
    list_display = ["company", "employer", "score", "method", "decision", "reason"]
    list_filter = ["decision", "method"]
    list_select_related = ["company", "employer"]
    raw_id_fields = ["company", "employer", "decided_by"]


@admin.register(CompanyStatus)
class CompanyStatusAdmin(ScopedReadOnlyAdmin):
    list_display = ["company", "status", "computed_at"]
    list_filter = ["status"]
    list_select_related = ["company"]


from lindung.compliance.cases import Case, EscalationRule  # noqa: E402


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    list_display = ["stage", "days", "next_stage", "fixed_by_regulation", "legal_basis"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["company", "kabkota", "stage", "deadline", "paused", "outcome"]
    list_filter = ["stage", "kabkota", "paused"]
    list_select_related = ["company", "kabkota"]
    raw_id_fields = ["company"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return scoped(request.user, super().get_queryset(request))
