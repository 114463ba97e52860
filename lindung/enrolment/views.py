"""Enrolment pages: programmes with their enrolment state, batches to send, BPJS answers,
monthly bill reconciliations and coverage about to end.

Sending, importing and renewing need ``MANAGE_PROGRAMMES`` (Admin Provinsi); viewing needs
``VIEW_PROGRAMMES``. Every programme, batch and reconciliation is looked up among the
programmes the user may see (``programmes_for``, as on /program/): any other is 404. Within
them an operator sees only their kab/kota's beneficiaries and lines.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.access import (
    Capability,
    can,
    capability_required,
    current_user,
    region_code,
    scoped,
)
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.core.exports import xlsx_bytes
from lindung.core.formats import thousands
from lindung.enrolment import answers, batches, bills, expiry, overview
from lindung.enrolment.common import EnrolmentError
from lindung.enrolment.files import FileProblems, upload_path
from lindung.enrolment.forms import AnswerForm, InvoiceForm
from lindung.enrolment.models import (
    EnrolmentBatch,
    LineKind,
    Reconciliation,
    ReconciliationLine,
)
from lindung.programmes.models import BeneficiaryStatus, Programme
from lindung.programmes.services import ProgrammeError, programmes_for
from lindung.programmes.services import renew as renew_programme

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programme(request: HttpRequest, pk: int) -> Programme:
    """A programme the user may see; any other is 404, exactly as on its /program/ page."""
    return get_object_or_404(programmes_for(request.user), pk=pk)


def _batch(request: HttpRequest, pk: int) -> EnrolmentBatch:
    """A batch of a programme the user may see; any other is 404."""
    batches_seen = overview.of_visible_programmes(request.user, EnrolmentBatch.objects.all())
    return get_object_or_404(batches_seen.select_related("programme", "created_by"), pk=pk)


def _reconciliation(request: HttpRequest, pk: int) -> Reconciliation:
    """A reconciliation of a programme the user may see; any other is 404."""
    recs_seen = overview.of_visible_programmes(request.user, Reconciliation.objects.all())
    return get_object_or_404(recs_seen.select_related("programme", "imported_by"), pk=pk)


def _attachment(response: HttpResponse | StreamingHttpResponse, name: str) -> Any:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@capability_required(Capability.VIEW_PROGRAMMES)
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "enrolment/index.html",
        {"programmes": overview.programmes_with_counts(request.user)},
    )


@capability_required(Capability.VIEW_PROGRAMMES)
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    prog = _programme(request, pk)
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    rows = overview.beneficiaries(request.user, prog, status, q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "programme": prog,
        "page": page,
        "filter": {"status": status, "q": q},
        "query": {k: v for k, v in (("status", status), ("q", q)) if v},
        "statuses": BeneficiaryStatus.choices,
    }
    if request.headers.get("HX-Target") == "results":
        return render(request, "enrolment/_beneficiary_rows.html", context)
    today = timezone.localdate()
    province_wide = region_code(request.user) is None
    context |= {
        # the four enrolment stages always; ended and replaced once someone is
        "counts": [
            c
            for c in overview.status_counts(request.user, prog)
            if c.count or c.status not in (BeneficiaryStatus.ENDED, BeneficiaryStatus.REPLACED)
        ],
        "waiting": batches.pending(prog).count(),
        "batches": overview.batches(request.user, prog),
        # an answer file's totals are province-wide; an operator has their counts per status
        "answer_imports": (
            prog.answer_imports.select_related("imported_by")[:20] if province_wide else []
        ),
        "reconciliations": overview.reconciliations(request.user, prog)[:24],
        "province_wide": province_wide,
        "expiring_people": expiry.beneficiaries(request.user, today).filter(programme=prog).count(),
        "ends_soon": expiry.ends_soon(prog, today),
        "successor": expiry.successor(prog, request.user),
    }
    return render(request, "enrolment/programme.html", context)


@require_POST
@capability_required(Capability.MANAGE_PROGRAMMES)
def batch_create(request: HttpRequest, pk: int) -> HttpResponse:
    prog = _programme(request, pk)
    try:
        batch = batches.create_batch(prog, current_user(request), timezone.localdate())
    except EnrolmentError as exc:
        messages.error(request, str(exc))
        return redirect("enrolment:programme", pk=prog.pk)
    messages.success(
        request,
        _(
            "Batch %(number)s dibuat: %(count)s orang berstatus «dikirim». "
            "Unduh file lalu kirim ke BPJS Ketenagakerjaan."
        )
        % {"number": batch.number, "count": thousands(batch.count)},
    )
    return redirect("enrolment:batch", pk=batch.pk)


@capability_required(Capability.VIEW_PROGRAMMES)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    rows = scoped(request.user, batch.rows.all()).select_related(
        "beneficiary", "beneficiary__worker", "kabkota"
    )
    page = Paginator(rows.order_by("position"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enrolment/batch.html", {"batch": batch, "page": page})


@capability_required(Capability.MANAGE_PROGRAMMES)
def batch_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse | StreamingHttpResponse:
    batch = _batch(request, pk)
    if fmt == "csv":
        response: Any = StreamingHttpResponse(
            batches.export_csv(batch), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(batches.export_xlsx(batch), content_type=XLSX)
    else:
        raise Http404
    return _attachment(response, batches.file_name(batch, fmt))


def _upload_page(
    request: HttpRequest, prog: Programme, form: Any, kind: str, problems: list[str]
) -> HttpResponse:
    status = 400 if problems or form.errors else 200
    return render(
        request,
        "enrolment/upload.html",
        {"programme": prog, "form": form, "kind": kind, "problems": problems},
        status=status,
    )


@capability_required(Capability.MANAGE_PROGRAMMES)
def answer_import(request: HttpRequest, pk: int) -> HttpResponse:
    prog = _programme(request, pk)
    form = AnswerForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _upload_page(request, prog, form, "answer", [])
    upload = form.cleaned_data["file"]
    try:
        with upload_path(upload) as path:
            done = answers.import_answer(prog, path, upload.name, current_user(request))
    except FileProblems as exc:
        return _upload_page(request, prog, form, "answer", exc.shown)
    messages.success(
        request,
        _(
            "Jawaban BPJS «%(file)s» diterapkan: %(registered)s terdaftar, %(rejected)s ditolak, "
            "%(unchanged)s tidak berubah."
        )
        % {
            "file": done.file_name,
            "registered": thousands(done.registered),
            "rejected": thousands(done.rejected),
            "unchanged": thousands(done.unchanged),
        },
    )
    return redirect("enrolment:programme", pk=prog.pk)


@capability_required(Capability.MANAGE_PROGRAMMES)
def invoice_import(request: HttpRequest, pk: int) -> HttpResponse:
    prog = _programme(request, pk)
    form = InvoiceForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _upload_page(request, prog, form, "invoice", [])
    upload, data = form.cleaned_data["file"], form.cleaned_data
    try:
        with upload_path(upload) as path:
            rec = bills.reconcile(
                prog, data["month"], path, upload.name, current_user(request), data["stated_total"]
            )
    except FileProblems as exc:
        return _upload_page(request, prog, form, "invoice", exc.shown)
    except EnrolmentError as exc:
        return _upload_page(request, prog, form, "invoice", [str(exc)])
    return redirect("enrolment:reconciliation", pk=rec.pk)


def _lines(request: HttpRequest, rec: Reconciliation) -> Any:
    return scoped(request.user, ReconciliationLine.objects.filter(reconciliation=rec))


@capability_required(Capability.VIEW_PROGRAMMES)
def reconciliation(request: HttpRequest, pk: int) -> HttpResponse:
    rec = _reconciliation(request, pk)
    kind = request.GET.get("kind", "selisih")
    lines = _lines(request, rec)
    shown = lines.exclude(kind=LineKind.MATCH) if kind == "selisih" else lines
    if kind in LineKind.values:
        shown = lines.filter(kind=kind)
    page = Paginator(
        shown.select_related("kabkota").order_by("kind", "row", "id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "rec": rec,
        "page": page,
        "kind": kind,
        "query": {"kind": kind},
        "kinds": LineKind.choices,
        "totals": bills.totals(lines),
        "province_wide": region_code(request.user) is None,
        "month": bills.month_label(rec.month),
    }
    if request.headers.get("HX-Target") == "lines":
        return render(request, "enrolment/_reconciliation_lines.html", context)
    return render(request, "enrolment/reconciliation.html", context)


@capability_required(Capability.VIEW_PROGRAMMES)
def reconciliation_export(request: HttpRequest, pk: int) -> HttpResponse:
    rec = _reconciliation(request, pk)
    full_nik = can(request.user, Capability.VIEW_FULL_NIK)
    lines = _lines(request, rec)
    rows = bills.export_rows(lines, full_nik)
    summary = [[t.label, t.count, t.billed, t.expected, t.difference] for t in bills.totals(lines)]
    name = f"rekonsiliasi-{rec.programme_id}-{rec.month:%Y-%m}.xlsx"
    record(
        AuditEntry.Action.EXPORT,
        rec,
        detail={"rows": len(rows), "full_nik": full_nik, "file": name,
                "region": region_code(request.user) or "provinsi"},
    )  # fmt: skip
    body = xlsx_bytes(
        [
            ("Ringkasan", ("Hasil", "Jumlah", "Ditagih", "Seharusnya", "Selisih"), summary),
            ("Rincian", bills.EXPORT_HEADER, rows),
        ]
    )
    return _attachment(HttpResponse(body, content_type=XLSX), name)


@capability_required(Capability.VIEW_PROGRAMMES)
def expiring(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    people = expiry.beneficiaries(request.user, today).select_related(
        "worker", "kabkota", "programme"
    )
    page = Paginator(people.order_by("coverage_end", "programme", "rank"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    found = expiry.programmes(request.user, today)
    return render(
        request,
        "enrolment/expiring.html",
        {
            "programmes": [(e, expiry.successor(e.programme, request.user)) for e in found],
            "page": page,
            "today": today,
            "days": expiry.WARNING_DAYS,
        },
    )


@require_POST
@capability_required(Capability.MANAGE_PROGRAMMES)
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: the next-period programme (the programmes app's renewal), then its page."""
    prog = _programme(request, pk)
    existing = expiry.successor(prog)
    if existing is not None:
        messages.info(
            request,
            _("Program ini sudah diperpanjang menjadi «%(name)s».") % {"name": existing.name},
        )
        return redirect("enrolment:programme", pk=existing.pk)
    try:
        new = renew_programme(prog, current_user(request))
    except ProgrammeError as exc:
        messages.error(request, str(exc))
        return redirect("enrolment:expiring")
    carried = new.selection.get("carried_over", 0)
    not_carried = len(new.selection.get("not_carried", []))
    messages.success(
        request,
        _(
            "Program lanjutan «%(name)s» dibuat mulai %(start)s: %(carried)s penerima "
            "diperpanjang, %(not_carried)s tidak memenuhi syarat lagi."
        )
        % {
            "name": new.name,
            "start": f"{new.period_start:%d-%m-%Y}",
            "carried": thousands(carried),
            "not_carried": thousands(not_carried),
        },
    )
    return redirect("enrolment:programme", pk=new.pk)
