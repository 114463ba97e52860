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


#: What "Sumber data" means for each kind: a worker list names its programme of origin.
SOURCE_HINTS: dict[str, Any] = {
    ImportKind.WORKERS: _("mis. DTKS 2025, P3KE 2024, Usulan Desa"),
    ImportKind.PARTICIPANTS: _("mis. Ekstrak kepesertaan BPJS Ketenagakerjaan Kaltim"),
    ImportKind.COMPANIES: _("mis. OSS, Wajib Lapor Ketenagakerjaan"),
    ImportKind.EMPLOYERS: _("mis. Ekstrak pemberi kerja BPJS Ketenagakerjaan Kaltim"),
}


def allowed_kinds(user: Any) -> list[tuple[str, str | Promise]]:
    return [(k.value, k.label) for k, cap in KIND_CAPABILITY.items() if can(user, cap)]


class UploadForm(forms.Form):
    """The fields follow the chosen kind: only a worker list has a proposing office.

    The kind comes from the posted data, else from ``kind`` (the page's ``?kind=``), else it is
    the user's first allowed kind; an unknown or forbidden kind falls back the same way.
    """

    kind = forms.ChoiceField(label=_("Jenis data"))
    file = forms.FileField(
        label=_("File (CSV, XLSX atau Parquet)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.parquet"}),
    )
    proposer = forms.ModelChoiceField(
        label=_("Instansi pengusul"), queryset=Region.objects.none(), required=False
    )
    source = forms.CharField(label=_("Sumber data"), max_length=100, required=False)

    def __init__(self, *args: Any, user: User, kind: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        choices = allowed_kinds(user)
        cast(forms.ChoiceField, self.fields["kind"]).choices = choices
        allowed = [value for value, _label in choices]
        wanted = self.data.get("kind") if self.is_bound else kind
        self.chosen_kind: str = wanted if wanted in allowed else (allowed[0] if allowed else "")
        self.fields["kind"].initial = self.chosen_kind
        self.fields["source"].help_text = SOURCE_HINTS.get(self.chosen_kind, "")
        if self.chosen_kind != ImportKind.WORKERS:
            del self.fields["proposer"]
            return
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
