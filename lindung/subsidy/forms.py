"""The premium calculator form on /iuran/."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.subsidy.models import Payer, Sector

BPU_PROGRAMMES = [("JKK", "JKK"), ("JKM", "JKM"), ("JHT", _("JHT (sukarela)"))]


class PremiumForm(forms.Form):
    income = forms.IntegerField(
        label=_("Penghasilan dilaporkan per bulan (Rp)"),
        min_value=0,
        max_value=1_000_000_000,
        initial=1_000_000,
    )
    package = forms.MultipleChoiceField(
        label=_("Program"),
        choices=BPU_PROGRAMMES,
        initial=["JKK", "JKM"],
        widget=forms.CheckboxSelectMultiple,
    )
    payer = forms.ChoiceField(label=_("Pembayar iuran"), choices=Payer.choices)
    sector = forms.ChoiceField(label=_("Sektor"), choices=Sector.choices, initial=Sector.OTHER)
    on = forms.DateField(
        label=_("Tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
