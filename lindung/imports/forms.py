"""The upload form: which kind of data, which file, on whose behalf."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lindung.accounts.access import Capability, can, region_code
from lindung.accounts.models import User
from lindung.imports.models import ImportKind
from lindung.regions.models import Region

KIND_CAPABILITY = {
    ImportKind.WORKERS: Capability.IMPORT_WORKERS,
    ImportKind.PARTICIPANTS: Capability.UPLOAD_PARTICIPANTS,
    ImportKind.COMPANIES: Capability.IMPORT_COMPANIES,
    ImportKind.EMPLOYERS: Capability.IMPORT_COMPANIES,
}


def allowed_kinds(user: Any) -> list[tuple[str, str | Promise]]:
    return [(k.value, k.label) for k, cap in KIND_CAPABILITY.items() if can(user, cap)]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis data"))
    file = forms.FileField(
        label=_("File (CSV, XLSX atau Parquet)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.parquet"}),
    )
    proposer = forms.ModelChoiceField(
        label=_("Instansi pengusul"), queryset=Region.objects.none(), required=False
    )
    source = forms.CharField(
        label=_("Sumber data"), max_length=100, required=False,
        help_text=_("mis. DTKS 2025, P3KE 2024, Usulan Desa"),
    )  # fmt: skip

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        cast(forms.ChoiceField, self.fields["kind"]).choices = allowed_kinds(user)
        own = region_code(user)
        offices = Region.objects.filter(code__startswith="64").filter(
            level__in=[Region.Level.PROVINCE, Region.Level.KABKOTA]
        )
        proposer = cast(forms.ModelChoiceField, self.fields["proposer"])
        proposer.queryset = offices.filter(code=own) if own else offices
        self.fields["proposer"].initial = own or "64"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.LINDUNG_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Ukuran file %(size)s MB melebihi batas %(limit)s MB.")
                % {"size": round(upload.size / 1024**2, 1), "limit": round(limit / 1024**2)}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == ImportKind.WORKERS and not data.get("proposer"):
            self.add_error("proposer", _("Pilih instansi yang mengusulkan pekerja ini."))
        return data
