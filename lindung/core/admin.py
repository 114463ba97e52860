"""Admin building blocks shared by the apps."""

from __future__ import annotations

from django.contrib import admin

from lindung.accounts.access import scoped


class ScopedReadOnlyAdmin(admin.ModelAdmin):
    """Records written by imports or runs: listed and shown within the user's region, never
    added or edited by hand (deletion stays with the default permissions)."""

    show_full_result_count = False

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return scoped(request.user, super().get_queryset(request))

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
