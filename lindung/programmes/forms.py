"""Programme and scenario forms: every bad input gets an Indonesian message naming the field.

The checks that need the registry (rules that select nobody, a budget too small for one person,
an overlapping budget line of the same funder) run the same services the selection uses.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import polars as pl
from django import forms
from django.core.validators import BaseValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.core.formats import long_date, number, rupiah, thousands
from lindung.imports.values import parse_money
from lindung.programmes import services
from lindung.programmes.models import Package, Programme, QuotaMode
from lindung.programmes.selection import PRIORITIES
from lindung.regions.models import Region
from lindung.registry.models import Occupation

PRIORITY_SLOTS = 3
_NO_PRIORITY = [("", _("— tidak ada —"))]


def _kabkota() -> list[Region]:
    return list(Region.objects.filter(level=Region.Level.KABKOTA, code__startswith="64."))


_SIGN = re.compile(r"^((?:rp|idr)\.?\s*)?-\s*", re.IGNORECASE)
_BILLIONS = re.compile(r"^(.*\d)\s*(?:miliar|milyar)$", re.IGNORECASE)
_AMBIGUOUS_M = re.compile(r"\d\s*m$", re.IGNORECASE)
#: Words the live echo under a Rupiah field uses for 10³, 10⁶, 10⁹ and 10¹².
_UNITS = (_("ribu"), _("juta"), _("miliar"), _("triliun"))


def _money(text: str) -> int | None:
    value = parse_money(pl.Series([text], dtype=pl.String))[0][0]
    return None if value is None else int(value)


def parse_rupiah(text: str) -> int | None:
    """Rupiah as a clerk types it → whole Rupiah, or ``None`` when unreadable.

    The import's parser reads the amount (``Rp 3.000.000.000``, ``3000000000``,
    ``3,000,000,000``, ``1,5 jt``, ``750 rb``), so a form and an uploaded file agree. On top:
    ``3 miliar``/``1,25 milyar`` (read as that many thousand ``jt``, so the fraction survives)
    and a leading minus, returned negative so that the field's range check names the field.
    """
    text = text.strip()
    sign = _SIGN.match(text)
    if sign:
        text = (sign[1] or "") + text[sign.end() :]
    billions = _BILLIONS.match(text)
    value = _money(billions[1] + " jt") if billions else _money(text)
    if value is None:
        return None
    return (-1 if sign else 1) * value * (1_000 if billions else 1)


class RupiahInput(forms.TextInput):
    """A text box (a number box refuses "3.000.000.000") that shows its value grouped and,
    through ``programmes/rupiah.js``, echoes the amount below it while the clerk types."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-rupiah-units": json.dumps([str(unit) for unit in _UNITS]),
                "data-rupiah-unreadable": str(_("Belum terbaca sebagai jumlah rupiah.")),
            }
        )
        return context

    @property
    def media(self) -> forms.Media:
        return forms.Media(js=["programmes/rupiah.js"])  # placed after the form: no defer


class RupiahField(forms.IntegerField):
    """A whole-Rupiah amount typed the Indonesian way ("Rp 3.000.000.000", "3 miliar"), shown
    grouped when the form comes back, with every message naming the field."""

    widget = RupiahInput
    default_error_messages = {
        "required": _("%(label)s wajib diisi."),
        "invalid": _(
            "%(label)s: «%(value)s» tidak terbaca sebagai jumlah rupiah; tulis misalnya "
            "3.000.000.000 atau Rp 3.000.000.000."
        ),
        "ambiguous": _(
            "%(label)s: «M» bisa berarti juta atau miliar; tulis misalnya 3 miliar atau "
            "3.000.000.000."
        ),
        "negative": _("%(label)s tidak boleh negatif."),
        "min_value": _("%(label)s paling sedikit %(limit)s."),
        "max_value": _("%(label)s paling banyak %(limit)s."),
    }

    def __init__(
        self, *, min_value: int | None = None, max_value: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)  # no generic min/max validators: validate() names the field
        self.lowest, self.highest = min_value, max_value

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        amount = parse_rupiah(str(value))
        if amount is None:
            code = "ambiguous" if _AMBIGUOUS_M.search(str(value).strip()) else "invalid"
            raise self._error(code, value=str(value).strip())
        return amount

    def validate(self, value: int | None) -> None:
        if value is None:
            if self.required:
                raise self._error("required")
        elif self.lowest is not None and value < self.lowest:
            code = "negative" if self.lowest == 0 else "min_value"
            raise self._error(code, limit="Rp " + number(self.lowest))
        elif self.highest is not None and value > self.highest:
            raise self._error("max_value", limit="Rp " + number(self.highest))

    def prepare_value(self, value: Any) -> Any:
        """Grouped in the reader's language, also a typed "3 miliar" the form sends back."""
        amount = parse_rupiah(value) if isinstance(value, str) and value.strip() else value
        return number(amount) if isinstance(amount, int) else value

    def _error(self, code: str, **params: Any) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages[code], code=code, params={"label": self.label, **params}
        )


#: The model's own 1–60 limits (its validators and check constraint), read once.
_MONTHS = {
    v.code: v.limit_value
    for v in Programme._meta.get_field("months").validators
    if isinstance(v, BaseValidator)
}


def _months_field() -> forms.IntegerField:
    """ "Lama (bulan)" checked on the form, with messages that name it: Django's generic
    "Pastikan nilai ini …" does not, and a 0 reached the cost services first."""
    return forms.IntegerField(
        label=_("Lama (bulan)"),
        min_value=_MONTHS["min_value"],
        max_value=_MONTHS["max_value"],
        error_messages={
            "required": _("Lama (bulan) wajib diisi."),
            "invalid": _("Lama (bulan) harus bilangan bulat, misalnya 12."),
            "min_value": _("Lama (bulan) paling sedikit %(limit_value)s bulan."),
            "max_value": _("Lama (bulan) paling lama %(limit_value)s bulan."),
        },
    )


def _priority_fields(form: forms.BaseForm, initial: list[str]) -> None:
    choices = _NO_PRIORITY + [(code, label) for code, (label, _c, _d) in PRIORITIES.items()]
    for i in range(PRIORITY_SLOTS):
        form.fields[f"priority_{i + 1}"] = forms.ChoiceField(
            label=_("Prioritas %(n)s") % {"n": i + 1},
            choices=choices,
            required=False,
            initial=initial[i] if i < len(initial) else "",
        )


def _priorities(form: forms.BaseForm) -> list[str]:
    chosen = [form.cleaned_data.get(f"priority_{i + 1}") or "" for i in range(PRIORITY_SLOTS)]
    chosen = [c for c in chosen if c]
    if len(set(chosen)) != len(chosen):
        form.add_error("priority_2", _("Aturan prioritas yang sama dipilih dua kali."))
    return list(dict.fromkeys(chosen))


def _check_budget(form: forms.BaseForm, budget: int | None) -> None:
    if budget is None:
        return
    if budget <= 0:
        form.add_error("budget", _("Anggaran harus lebih dari Rp 0."))
    elif budget > services.MAX_BUDGET:
        form.add_error(
            "budget",
            _("Anggaran %(amount)s tidak masuk akal (batas %(limit)s): periksa jumlah nol.")
            % {"amount": rupiah(budget), "limit": rupiah(services.MAX_BUDGET)},
        )


def _check_evaluation(form: forms.BaseForm, programme: Programme, params: services.Params) -> None:
    """Cost, capacity and "selects nobody", with the services the selection itself uses."""
    try:
        evaluation = services.evaluate(programme, params)
    except services.ProgrammeError as error:
        form.add_error(None, str(error))
        return
    if evaluation.cost.capacity < 1:
        form.add_error(
            "budget",
            _("Anggaran %(budget)s tidak cukup untuk satu orang pun (%(cost)s per orang).")
            % {"budget": rupiah(params.budget), "cost": rupiah(evaluation.cost.per_person)},
        )
    elif evaluation.selection.selected_count == 0:
        form.add_error(None, services.nobody_message(evaluation))


class ProgrammeForm(forms.ModelForm):
    """Create or edit a budget line. Quotas per kab/kota appear as ``quota_<code>`` fields."""

    budget = RupiahField(label=_("Anggaran (Rp)"))  # range and its messages: _check_budget
    months = _months_field()
    occupations = forms.MultipleChoiceField(
        label=_("Pekerjaan yang memenuhi syarat"),
        choices=Occupation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kosong = semua pekerjaan."),
    )
    priority_occupations = forms.MultipleChoiceField(
        label=_("Pekerjaan prioritas"),
        choices=Occupation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Programme
        fields = [
            "name", "funder", "funder_region", "sponsor", "group_code", "budget",
            "period_start", "months", "package", "declared_income", "target_regions",
            "min_age", "max_age", "occupations", "max_poverty_decile", "max_income",
            "priority_occupations", "quota_mode",
        ]  # fmt: skip
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "target_regions": forms.CheckboxSelectMultiple,
            "quota_mode": forms.RadioSelect,
        }
        field_classes = {"declared_income": RupiahField, "max_income": RupiahField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = _kabkota()
        self.regions = regions
        kabkota = Region.objects.filter(pk__in=[r.pk for r in regions])
        self.fields["target_regions"].queryset = kabkota  # type: ignore[attr-defined]
        self.fields["funder_region"].queryset = kabkota  # type: ignore[attr-defined]
        _priority_fields(
            self,
            list(self.instance.priorities)
            if self.instance.pk
            else list(services.DEFAULT_PRIORITIES),
        )
        for region in regions:
            self.fields[f"quota_{region.code}"] = forms.IntegerField(
                label=region.name,
                required=False,
                min_value=0,
                initial=self.instance.quotas.get(region.code) if self.instance.pk else None,
            )

    @property
    def quota_fields(self) -> list[forms.BoundField]:
        return [self[f"quota_{r.code}"] for r in self.regions]

    @property
    def priority_fields(self) -> list[forms.BoundField]:
        return [self[f"priority_{i + 1}"] for i in range(PRIORITY_SLOTS)]

    def clean_period_start(self) -> dt.date:
        start: dt.date = self.cleaned_data["period_start"]
        today = timezone.localdate()
        changed = not self.instance.pk or start != self.instance.period_start
        if changed and start < today.replace(day=1):
            raise forms.ValidationError(
                _("Mulai %(start)s sudah lewat: perlindungan paling awal mulai %(first)s.")
                % {"start": long_date(start), "first": long_date(today.replace(day=1))}
            )
        return start

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_budget(self, data.get("budget"))
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("Usia maksimum lebih kecil dari usia minimum."))
        data["priorities"] = _priorities(self)
        data["quotas"] = self._quotas(data)
        if self.errors:
            return data
        params = self._params(data)
        self._check_overlap(data, params)
        if data.get("quota_mode") == QuotaMode.MANUAL:
            self._check_manual(params)
        if not self.errors:
            _check_evaluation(self, self.instance, params)
        return data

    def _quotas(self, data: dict[str, Any]) -> dict[str, int]:
        quotas = {
            r.code: data[f"quota_{r.code}"] for r in self.regions if data.get(f"quota_{r.code}")
        }
        if data.get("quota_mode") == QuotaMode.MANUAL and not quotas:
            self.add_error("quota_mode", _("Isi kuota sedikitnya satu kabupaten/kota."))
        return quotas

    def _params(self, data: dict[str, Any]) -> services.Params:
        targets = tuple(sorted(r.code for r in data.get("target_regions") or []))
        instance = Programme(funder=data["funder"])
        return services.Params(
            budget=data["budget"],
            months=data["months"],
            period_start=data["period_start"],
            package=data["package"],
            declared_income=data["declared_income"],
            payer=instance.payer,
            min_age=data["min_age"],
            max_age=data["max_age"],
            targets=targets,
            occupations=tuple(data.get("occupations") or ()),
            max_poverty_decile=data.get("max_poverty_decile"),
            max_income=data.get("max_income"),
            priorities=tuple(data["priorities"]),
            priority_occupations=tuple(data.get("priority_occupations") or ()),
            quota_mode=data["quota_mode"],
            quotas=data["quotas"],
        )

    def _check_overlap(self, data: dict[str, Any], params: services.Params) -> None:
        """The same funder paying twice for the same kab/kota in the same months is a typing
        mistake (a province and a regency funding the same area is not: the selection keeps
        their people apart)."""
        region = data.get("funder_region")
        for other in services.overlapping(params.period_start, params.period_end, self.instance.pk):
            if other.funder != data["funder"] or other.funder_region_id != (
                region.pk if region else None
            ):
                continue
            theirs = set(other.target_regions.values_list("code", flat=True))
            shared = (set(params.targets) & theirs) if params.targets and theirs else True
            if shared:
                self.add_error(
                    "period_start",
                    _(
                        "Tumpang tindih dengan program «%(name)s» (%(start)s – %(end)s) dari "
                        "sumber dana yang sama untuk wilayah sasaran yang sama."
                    )
                    % {
                        "name": other.name,
                        "start": long_date(other.period_start),
                        "end": long_date(other.period_end),
                    },
                )
                return

    def _check_manual(self, params: services.Params) -> None:
        try:
            capacity = services.cost(params).capacity
        except services.ProgrammeError as error:
            self.add_error(None, str(error))
            return
        total = sum(params.quotas.values())
        if total > capacity:
            self.add_error(
                "quota_mode",
                _("Jumlah kuota %(total)s melebihi kapasitas anggaran %(capacity)s orang.")
                % {"total": thousands(total), "capacity": thousands(capacity)},
            )

    def save(self, commit: bool = True) -> Programme:
        programme: Programme = super().save(commit=False)
        programme.priorities = self.cleaned_data["priorities"]
        programme.quotas = self.cleaned_data["quotas"]
        if commit:
            programme.save()
            self.save_m2m()
        return programme


class ScenarioForm(forms.Form):
    """A what-if variant: the fields a person compares most often."""

    name = forms.CharField(label=_("Nama skenario"), max_length=120)
    budget = RupiahField(label=_("Anggaran (Rp)"))
    months = _months_field()
    package = forms.ChoiceField(label=_("Paket program"), choices=Package.choices)
    declared_income = RupiahField(label=_("Penghasilan yang dilaporkan (Rp)"), min_value=1_000_000)
    max_age = forms.IntegerField(label=_("Usia maksimum"), min_value=18, max_value=100)
    max_poverty_decile = forms.IntegerField(
        label=_("Desil maksimum"), min_value=1, max_value=10, required=False
    )
    max_income = RupiahField(
        label=_("Penghasilan maksimum (Rp/bulan)"), min_value=0, required=False
    )

    def __init__(self, programme: Programme, *args: Any, **kwargs: Any) -> None:
        self.programme = programme
        kwargs.setdefault(
            "initial",
            {
                "budget": programme.budget,
                "months": programme.months,
                "package": programme.package,
                "declared_income": programme.declared_income,
                "max_age": programme.max_age,
                "max_poverty_decile": programme.max_poverty_decile,
                "max_income": programme.max_income,
            },
        )
        super().__init__(*args, **kwargs)
        _priority_fields(self, list(programme.priorities))

    @property
    def priority_fields(self) -> list[forms.BoundField]:
        return [self[f"priority_{i + 1}"] for i in range(PRIORITY_SLOTS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_budget(self, data.get("budget"))
        if data.get("max_age") is not None and data["max_age"] < self.programme.min_age:
            self.add_error("max_age", _("Usia maksimum lebih kecil dari usia minimum program."))
        data["priorities"] = _priorities(self)
        if not self.errors:
            try:
                services.cost(self.params())
            except services.ProgrammeError as error:
                self.add_error(None, str(error))
        return data

    def params(self) -> services.Params:
        data = self.cleaned_data
        return services.Params.of(
            self.programme,
            budget=data["budget"],
            months=data["months"],
            package=data["package"],
            declared_income=data["declared_income"],
            max_age=data["max_age"],
            max_poverty_decile=data.get("max_poverty_decile"),
            max_income=data.get("max_income"),
            priorities=tuple(data["priorities"]),
        )
