"""The batch form of /surat/: a letter kind and the companies checked in the picker table."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.accounts.access import scoped
from lindung.compliance.models import Company
from lindung.letters.models import LetterKind
from lindung.letters.sources import PickerFilter, candidates


class BatchForm(forms.Form):
    """Companies are checked one by one, or "all matching the filters" (more than the table
    shows). Posted ids are looked up only among the user's region: an operator cannot name a
    company of another kab/kota."""

    kind = forms.ChoiceField(label=_("Jenis surat"), choices=LetterKind.choices)
    companies = forms.ModelMultipleChoiceField(
        label=_("Perusahaan"),
        queryset=Company.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Perusahaan %(value)s tidak ditemukan di wilayah kerja Anda; muat ulang halaman."
            ),
            "invalid_pk_value": _("“%(pk)s” bukan nomor perusahaan yang sah."),
        },
    )
    all_matching = forms.BooleanField(label=_("Semua perusahaan hasil saringan"), required=False)

    def __init__(self, *args: Any, user: Any, picked: PickerFilter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.picked = picked
        self.chosen: list[Company] = []
        self.fields["companies"].queryset = scoped(user, Company.objects.select_related("kabkota"))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("all_matching"):
            if not self.picked.as_query():
                raise forms.ValidationError(
                    _(
                        "Saring dulu (kabupaten/kota, status, tahap kasus atau nama) sebelum "
                        "memilih semua hasil saringan."
                    )
                )
            self.chosen = list(candidates(self.user, self.picked))
            if not self.chosen:
                raise forms.ValidationError(
                    _("Tidak ada perusahaan yang cocok dengan saringan ini.")
                )
        elif "companies" in data:
            self.chosen = list(data["companies"])
            if not self.chosen:
                raise forms.ValidationError(
                    _(
                        "Centang paling sedikit satu perusahaan pada tabel, atau pilih semua "
                        "hasil saringan."
                    )
                )
        return data

    def selected(self) -> list[Company]:
        """The checked companies, or every company the filters match (in the user's region)."""
        return self.chosen
