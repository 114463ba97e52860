from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.accounts.access import region_code, scoped
from lindung.compliance.models import Company
from lindung.letters.models import LetterKind
from lindung.regions.models import Region


class BatchForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis surat"), choices=LetterKind.choices)
    companies = forms.ModelMultipleChoiceField(
        label=_("Perusahaan"),
        queryset=Company.objects.none(),
        required=False,
        help_text=_("Pilih perusahaan, atau kosongkan dan pilih kabupaten/kota."),
    )
    kabkota = forms.ModelChoiceField(
        label=_("Semua perusahaan di kabupaten/kota"),
        required=False,
        queryset=Region.objects.filter(level="kabkota", code__startswith="64."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["companies"].queryset = scoped(user, Company.objects.select_related("kabkota"))  # type: ignore[attr-defined]
        code = region_code(user)
        if code is not None:
            self.fields["kabkota"].queryset = Region.objects.filter(code=code)  # type: ignore[attr-defined]

    def selected(self) -> list[Company]:
        chosen = list(self.cleaned_data["companies"])
        kab = self.cleaned_data.get("kabkota")
        if not chosen and kab is not None:
            qs = scoped(self.user, Company.objects.select_related("kabkota"))
            chosen = list(qs.filter(kabkota=kab))
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("companies") and not data.get("kabkota"):
            raise forms.ValidationError(_("Pilih perusahaan atau kabupaten/kota."))
        return data
