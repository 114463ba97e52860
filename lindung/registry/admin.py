from django.contrib import admin

from lindung.accounts.access import scoped
from lindung.registry.models import Worker


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_nik", "nik_status", "sex", "kabkota", "occupation", "status"]
    list_filter = ["kabkota", "occupation", "status", "nik_status", "sex"]
    search_fields = ["=nik", "name_search"]
    raw_id_fields = ["desa", "kecamatan"]
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False
    list_select_related = ["kabkota"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return scoped(request.user, super().get_queryset(request))
