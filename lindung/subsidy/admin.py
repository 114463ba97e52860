"""Admin for the versioned contribution rules: a new regulation is a new RuleSet, no code."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lindung.subsidy.models import Benefit, BpuRate, Discount, IncomeTier, PuRate, RuleSet


class BpuRateInline(admin.TabularInline):
    model = BpuRate
    extra = 0


class IncomeTierInline(admin.TabularInline):
    model = IncomeTier
    extra = 0
    classes = ["collapse"]


class DiscountInline(admin.StackedInline):
    model = Discount
    extra = 0


class PuRateInline(admin.TabularInline):
    model = PuRate
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "segment", "effective_from", "effective_to"]
    list_filter = ["segment"]
    search_fields = ["name", "legal_basis"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [BpuRateInline, DiscountInline, PuRateInline, IncomeTierInline]
    actions = ["copy_as_new_version"]

    @admin.action(description=_("Salin sebagai versi baru (mulai besok, periksa tanggalnya)"))
    def copy_as_new_version(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> None:
        """Copy a version with all its rows, so that a new regulation is edited, not retyped."""
        import datetime as dt

        from django.utils import timezone

        start = timezone.localdate() + dt.timedelta(days=1)
        with transaction.atomic():
            for original in queryset:
                children: dict[str, list[Any]] = {
                    "bpu_rates": list(original.bpu_rates.all()),
                    "tiers": list(original.tiers.all()),
                    "discounts": list(original.discounts.all()),
                    "pu_rates": list(original.pu_rates.all()),
                }
                while RuleSet.objects.filter(
                    segment=original.segment, effective_from=start
                ).exists():
                    start += dt.timedelta(days=1)
                copy = RuleSet.objects.create(
                    name=f"{original.name} (salinan)",
                    segment=original.segment,
                    effective_from=start,
                    legal_basis=original.legal_basis,
                    source=original.source,
                    notes=original.notes,
                )
                for rows in children.values():
                    for row in rows:
                        row.pk = None
                        row._state.adding = True
                        row.rule_set = copy
                        row.save()
                messages.success(request, _("Versi baru dibuat: %s") % copy)


@admin.register(Benefit)
class BenefitAdmin(admin.ModelAdmin):
    list_display = ["code", "programme", "description", "amount"]
    list_filter = ["programme"]
