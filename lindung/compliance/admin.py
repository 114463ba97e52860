from django.contrib import admin

from lindung.accounts.access import scoped
from lindung.compliance.models import Company, Employer


class _ImportedAdmin(admin.ModelAdmin):
    """Rows arrive by import only: the admin lists and shows them, scoped by region."""

    show_full_result_count = False
    list_select_related = ["kabkota"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return scoped(request.user, super().get_queryset(request))

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Company)
class CompanyAdmin(_ImportedAdmin):
    list_display = ["name", "nib", "npwp", "kabkota", "kbli", "size_class", "employees_reported"]
    list_filter = ["kabkota", "size_class"]
    search_fields = ["=nib", "=npwp", "name_key"]


@admin.register(Employer)
class EmployerAdmin(_ImportedAdmin):
    list_display = ["name", "npp", "npwp", "kabkota", "workforce_registered", "programmes"]
    list_filter = ["kabkota"]
    search_fields = ["=npp", "=npwp", "name_key"]
