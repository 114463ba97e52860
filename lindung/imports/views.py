"""Import pages: upload → preview and column mapping → validation report → commit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.access import current_user
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.imports import jobs, services
from lindung.imports.forms import UploadForm, allowed_kinds
from lindung.imports.models import JobStatus
from lindung.imports.reading import FileRefused
from lindung.imports.schemas import SCHEMAS

IGNORE = "__abaikan__"


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    recent = services.jobs_for(request.user)[:30]
    user = current_user(request)
    form = UploadForm(
        request.POST or None, request.FILES or None, user=user, kind=request.GET.get("kind")
    )
    if request.method == "POST" and form.is_valid():
        job = services.create_job(user, form.cleaned_data)
        services.refuse_if_unreadable(job)
        return redirect("imports:job", pk=job.pk)
    schema = SCHEMAS.get(form.chosen_kind)
    return render(
        request, "imports/job_list.html", {"form": form, "jobs": recent, "schema": schema}
    )


@login_required
def job_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The XLSX template of a kind the user may import (no personal data: not audited)."""
    if kind not in dict(allowed_kinds(request.user)):
        raise Http404
    name = f"templat-{slugify(SCHEMAS[kind].label)}.xlsx"
    return HttpResponse(
        services.template_xlsx(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = services.job_for(request.user, pk)
    context: dict[str, object] = {
        "job": job,
        "ignore": IGNORE,
        "cancellable": job.status in services.CANCELLABLE,
        "issues": services.issues_for(request.user, job),
    }
    if job.status == JobStatus.UPLOADED:
        try:
            context["preview"] = services.preview_for(request.user, job)
        except FileRefused as refused:  # refused at upload; shown, not stored, by a GET
            context["refused"] = refused.message
    return render(request, "imports/job_detail.html", context)


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = services.job_for(request.user, pk)
    response = render(request, "imports/_progress.html", {"job": job})
    if not job.is_active:
        response["HX-Refresh"] = "true"  # show the finished report
    return response


@require_POST
@login_required
def job_validate(request: HttpRequest, pk: int) -> HttpResponse:
    job = services.job_for(request.user, pk)
    if job.status not in {JobStatus.UPLOADED, JobStatus.VALIDATED, JobStatus.REFUSED}:
        raise Http404
    headers = request.POST.getlist("header")
    chosen = request.POST.getlist("field")
    services.validate_with(job, {h: f for h, f in zip(headers, chosen, strict=False) if f})
    return redirect("imports:job", pk=job.pk)


@require_POST
@login_required
def job_commit(request: HttpRequest, pk: int) -> HttpResponse:
    job = services.job_for(request.user, pk)
    if job.status != JobStatus.VALIDATED:
        messages.error(request, _("Impor ini belum divalidasi atau sudah disimpan."))
        return redirect("imports:job", pk=job.pk)
    jobs.enqueue(job, commit=True)
    return redirect("imports:job", pk=job.pk)


@require_POST
@login_required
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = services.job_for(request.user, pk)
    if services.cancel(job):
        messages.info(request, _("Impor dibatalkan; tidak ada data yang disimpan."))
    else:
        messages.error(request, _("Impor ini sudah selesai dan tidak dapat dibatalkan lagi."))
    return redirect("imports:job", pk=job.pk)


@login_required
def job_report(request: HttpRequest, pk: int) -> FileResponse:
    job = services.job_for(request.user, pk)
    if not job.report:
        raise Http404
    record(AuditEntry.Action.EXPORT, job, detail={"report": job.report.name})
    return FileResponse(
        job.report.open("rb"), as_attachment=True, filename=f"laporan-impor-{job.pk}.xlsx"
    )
