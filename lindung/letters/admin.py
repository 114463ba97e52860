from __future__ import annotations

from django import forms
from django.contrib import admin

from lindung.letters.data import PlaceholderError, check_placeholders
from lindung.letters.models import (
    LetterBatch,
    Letterhead,
    LetterSequence,
    LetterTemplate,
    OutgoingLetter,
)


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = [
            "kind",
            "name",
            "version",
            "active",
            "subject",
            "sifat",
            "lampiran",
            "addressee",
            "place",
            "body",
            "deadline_days",
            "signer_position",
            "signer_name",
            "signer_rank",
            "signer_nip",
            "copies_to",
            "sequence",
        ]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        texts = [
            str(data.get(f) or "")
            for f in ("subject", "addressee", "place", "body", "lampiran", "sifat", "copies_to")
        ]
        try:
            check_placeholders(str(data.get("name") or "?"), *texts)
        except PlaceholderError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    form = LetterTemplateForm
    list_display = ["name", "kind", "version", "active", "updated_at"]
    list_filter = ["kind", "active"]


@admin.register(LetterSequence)
class LetterSequenceAdmin(admin.ModelAdmin):
    list_display = ["name", "pattern", "year", "next_number"]


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    list_display = ["instansi", "kota", "active", "updated_at"]


@admin.register(LetterBatch)
class LetterBatchAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "progress", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    exclude = ["request"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(OutgoingLetter)
class OutgoingLetterAdmin(admin.ModelAdmin):
    list_display = ["number", "date", "kind", "addressee", "subject"]
    list_filter = ["kind", "date"]
    search_fields = ["number", "addressee"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
