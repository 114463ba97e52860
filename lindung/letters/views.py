"""Letter pages: batches (create, progress, downloads) and the register of outgoing letters."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.access import (
    Capability,
    capability_required,
    current_user,
    kabkota_choices,
    region_code,
)
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.compliance.models import ComplianceStatus
from lindung.letters import downloads, jobs, services, sources
from lindung.letters.data import PlaceholderError
from lindung.letters.forms import BatchForm
from lindung.letters.models import (
    BatchStatus,
    LetterBatch,
    LetterKind,
    LetterTemplate,
)

MANAGE = Capability.MANAGE_COMPLIANCE  # make batches, download them
VIEW = Capability.VIEW_COMPLIANCE  # read the register and single letters
ZIP_INLINE = 200  # up to this many letters the ZIP is made during the request, else in the worker
PICKER_LIMIT = 200  # rows of the company table; beyond, "all matching" or a narrower filter


def _batches(request: HttpRequest) -> QuerySet[LetterBatch]:
    qs = LetterBatch.objects.select_related("created_by", "template")
    if region_code(request.user) is not None:  # a kab/kota operator sees their own batches
        qs = qs.filter(created_by=current_user(request))
    return qs


def _picker(form: BatchForm, checked: set[str]) -> dict[str, object]:
    """The company table: at most PICKER_LIMIT rows of the filtered companies, checked ones
    kept checked when the form comes back with an error."""
    matching = sources.candidates(form.user, form.picked)
    total = matching.count()
    return {
        "rows": list(matching[:PICKER_LIMIT]),
        "total": total,
        "capped": total > PICKER_LIMIT,
        "limit": PICKER_LIMIT,
        "picked": form.picked,
        "checked": checked,
        "all_matching": form["all_matching"].value(),
        "today": timezone.localdate(),
    }


@capability_required(MANAGE)
def batch_list(request: HttpRequest) -> HttpResponse:
    """Letter batches: filter the companies of the user's region, check them, pick the kind.

    The filters are GET parameters (the filtered view has a URL); htmx swaps only the table.
    """
    user = current_user(request)
    picked = sources.PickerFilter.from_data(
        request.POST if request.method == "POST" else request.GET
    )
    kind = request.GET.get("jenis") or sources.NEXT_KIND.get(picked.tahap)
    form = BatchForm(request.POST or None, user=user, picked=picked, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.create_batch(
                sources.letter_data(form.selected()), form.cleaned_data["kind"], user
            )
        except (PlaceholderError, LetterTemplate.DoesNotExist) as exc:
            messages.error(request, str(exc))
        else:
            jobs.enqueue(batch)
            return redirect("letters:batch", pk=batch.pk)
    context = _picker(form, set(request.POST.getlist("companies")))
    if request.headers.get("HX-Target") == "picker":
        # a stage filter calls for its next letter: the kind follows (outside the swapped table)
        suggested = not request.GET.get("jenis") and picked.tahap in sources.NEXT_KIND
        context |= {"partial": True, "form": form, "kind_follows": suggested}
        return render(request, "letters/_picker.html", context)
    context |= {
        "form": form,
        "batches": _batches(request)[:30],
        "kabkota_options": kabkota_choices(request.user),
        "statuses": ComplianceStatus.choices,
        "stages": sources.STAGE_FILTERS,
    }
    return render(request, "letters/batch_list.html", context)


@capability_required(MANAGE)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(_batches(request), pk=pk)
    letters = batch.letters.select_related("company").order_by("id")[:200]
    return render(request, "letters/batch_detail.html", {"batch": batch, "letters": letters})


@capability_required(MANAGE)
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(_batches(request), pk=pk)
    response = render(request, "letters/_progress.html", {"batch": batch})
    if not batch.is_active:
        response["HX-Refresh"] = "true"
    return response


@capability_required(MANAGE)
def batch_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    batch = get_object_or_404(_batches(request), pk=pk)
    if fmt == "zip" and not batch.zip_file and batch.status == BatchStatus.DONE:
        # optional and slower (one compile per letter): made on first request
        if batch.letters.count() <= ZIP_INLINE:
            services.build_zip(batch)
        else:
            jobs.enqueue_zip(batch)
            messages.info(request, _("ZIP sedang disiapkan; muat ulang halaman ini sebentar lagi."))
            return redirect("letters:batch", pk=batch.pk)
    field = {"zip": batch.zip_file, "pdf": batch.pdf_file}.get(fmt)
    if not field:
        raise Http404
    response = downloads.media_file(Path(field.path), Path(field.name or "").name)
    record(AuditEntry.Action.EXPORT, batch, detail={"format": fmt})
    return response


@capability_required(VIEW)
def register(request: HttpRequest) -> HttpResponse:
    qs = downloads.letters_for(request.user)
    kind = request.GET.get("jenis", "")
    if kind in LetterKind.values:
        qs = qs.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(number__icontains=query) | qs.filter(addressee__icontains=query)
    page = Paginator(qs.order_by("-date", "-id"), 100).get_page(request.GET.get("hal"))
    return render(
        request,
        "letters/register.html",
        {"page": page, "kinds": LetterKind.choices, "kind": kind, "q": query},
    )


@capability_required(VIEW)
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    letter = get_object_or_404(downloads.letters_for(request.user), pk=pk)
    return downloads.letter_pdf(letter)
