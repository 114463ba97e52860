"""/iuran/: the contribution rules in force and a small BPU premium calculator (read-only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lindung.subsidy import premiums
from lindung.subsidy.forms import PremiumForm
from lindung.subsidy.models import Benefit, RuleSet, Segment


def _in_force(segment: str, on: object) -> RuleSet | None:
    try:
        return premiums.rule_set_in_force(segment, on)  # type: ignore[arg-type]
    except premiums.RuleNotInForce:
        return None


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    form = PremiumForm(request.GET) if "income" in request.GET else PremiumForm()
    result: premiums.Premium | None = None
    error = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            result = premiums.bpu_premium(
                data["income"],
                on=data["on"],
                package=data["package"],
                payer=data["payer"],
                sector=data["sector"],
            )
        except premiums.PremiumError as exc:
            error = str(exc)
    context: dict[str, object] = {"form": form, "result": result, "error": error}
    if request.headers.get("HX-Target") == "hasil":
        return render(request, "subsidy/_premium_result.html", context)
    today = timezone.localdate()
    context.update(
        {
            "today": today,
            "bpu": _in_force(Segment.BPU, today),
            "pu": _in_force(Segment.PU, today),
            "versions": RuleSet.objects.all(),
            "benefits": Benefit.objects.all(),
            "rounding": premiums.ROUNDING,
        }
    )
    return render(request, "subsidy/rules.html", context)
