from django.contrib import admin

from lindung.accounts.access import scoped
from lindung.matching.models import Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    """Participants arrive by import only: the admin lists and shows them, scoped by region."""

    list_display = ["name", "masked_nik", "nik_status", "segment", "status", "npp", "kabkota"]
    list_filter = ["segment", "status", "payer", "nik_status", "kabkota"]
    search_fields = ["=nik", "=npp", "name_search"]
    show_full_result_count = False
    list_select_related = ["kabkota"]

    @admin.display(description="NIK")
    def masked_nik(self, obj: Participant) -> str:
        from lindung import nik

        return nik.mask(obj.nik)

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return scoped(request.user, super().get_queryset(request))

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
