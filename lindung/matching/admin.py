from django.contrib import admin

from lindung.accounts.access import scoped
from lindung.core.admin import ScopedReadOnlyAdmin
from lindung.matching.models import Coverage, MatchRun, Participant, ReviewDecision


@admin.register(Participant)
class ParticipantAdmin(ScopedReadOnlyAdmin):
    """Participants arrive by import only: the admin lists and shows them, scoped by region."""

    list_display = ["name", "masked_nik", "nik_status", "segment", "status", "npp", "kabkota"]
    list_filter = ["segment", "status", "payer", "nik_status", "kabkota"]
    search_fields = ["=nik", "=npp", "name_search"]
    list_select_related = ["kabkota"]

    @admin.display(description="NIK")
    def masked_nik(self, obj: Participant) -> str:
        from lindung import nik

        return nik.mask(obj.nik)


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "status", "kabkota", "created_by", "started_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in MatchRun._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Coverage)
class CoverageAdmin(ScopedReadOnlyAdmin):
    """Written by matching runs and the review page: read-only here."""

    list_display = ["worker", "status", "probability", "kabkota", "decided_by"]
    list_filter = ["status", "kabkota"]
    list_select_related = ["worker", "kabkota", "decided_by"]
    raw_id_fields = ["worker", "participant", "run", "decided_by"]


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    list_display = ["worker", "participant", "decision", "user", "at"]
    list_filter = ["decision"]
    raw_id_fields = ["worker", "participant", "user"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return scoped(request.user, super().get_queryset(request))
