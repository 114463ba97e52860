from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lindung.accounts import tokens
from lindung.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "kabkota", "is_active"]
    list_filter = ["role", "kabkota", "is_active"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Peran di Lindung"), {"fields": ("role", "kabkota", "office")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Peran di Lindung"), {"fields": ("role", "kabkota", "office")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Issue a token by adding one (its value is shown once), revoke it by deleting it."""

    list_display = ["name", "user", "created_at", "last_used_at"]
    list_filter = ["user__role"]
    fields = ["user", "name", "created_at", "last_used_at"]
    readonly_fields = ["created_at", "last_used_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        return [*self.readonly_fields, "user"] if obj else list(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        token, plain = tokens.issue(obj.user, obj.name)
        obj.pk, obj.digest, obj.created_at = token.pk, token.digest, token.created_at
        messages.warning(
            request,
            _("Token API: %(token)s — salin sekarang, token ini tidak akan ditampilkan lagi.")
            % {"token": plain},
        )

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        tokens.revoke(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.select_related("user"):
            tokens.revoke(token)
