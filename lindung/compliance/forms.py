from __future__ import annotations

from django import forms

from lindung.compliance.cases import CaseResponse


class CaseResponseForm(forms.ModelForm):
    class Meta:
        model = CaseResponse
        fields = ["kind", "note", "evidence"]
        widgets = {
            "kind": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        }
