"""Upload forms for BPJS files."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

ACCEPT = ".csv,.xlsx,.txt"


def _checked_size(upload: object) -> object:
    limit = settings.LINDUNG_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", 0) or 0
    if size > limit:
        raise forms.ValidationError(
            _("File %(size)s MB melebihi batas %(limit)s MB.")
            % {"size": round(size / 1024**2, 1), "limit": round(limit / 1024**2)}
        )
    return upload


class AnswerForm(forms.Form):
    file = forms.FileField(
        label=_("File jawaban BPJS (CSV atau Excel)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self) -> object:
        return _checked_size(self.cleaned_data["file"])


class InvoiceForm(forms.Form):
    month = forms.DateField(
        label=_("Bulan tagihan"),
        input_formats=["%Y-%m", "%m-%Y", "%m/%Y"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    file = forms.FileField(
        label=_("File tagihan BPJS (CSV atau Excel)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    stated_total = forms.IntegerField(
        label=_("Total tertulis di tagihan (Rp, boleh kosong)"), required=False, min_value=0
    )

    def clean_file(self) -> object:
        return _checked_size(self.cleaned_data["file"])

    def clean_month(self) -> dt.date:
        month: dt.date = self.cleaned_data["month"]
        return dt.date(month.year, month.month, 1)
