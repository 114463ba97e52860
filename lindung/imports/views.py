"""Import pages: upload → preview and column mapping → validation report → commit."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.access import can, current_user, get_scoped_or_404, region_code, scoped
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.imports import jobs, pipeline
from lindung.imports.forms import KIND_CAPABILITY, UploadForm, allowed_kinds
from lindung.imports.models import ImportJob, ImportKind, JobStatus
from lindung.imports.reading import FileRefused

IGNORE = "__abaikan__"


def _job(request: HttpRequest, pk: int) -> ImportJob:
    job = get_scoped_or_404(request.user, ImportJob.objects.select_related("created_by"), pk=pk)
    if not can(request.user, KIND_CAPABILITY[ImportKind(job.kind)]):
        raise Http404
    return job


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    if not allowed_kinds(request.user):
        raise PermissionDenied
    user = current_user(request)
    form = UploadForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            kind=form.cleaned_data["kind"],
            file=upload,
            original_name=Path(upload.name).name[:255],
            size_bytes=upload.size,
            created_by=user,
            kabkota_id=region_code(user),
            proposer=form.cleaned_data.get("proposer"),
            source=form.cleaned_data.get("source", ""),
        )
        return redirect("imports:job", pk=job.pk)
    recent = scoped(request.user, ImportJob.objects.select_related("created_by"))[:30]
    return render(request, "imports/job_list.html", {"form": form, "jobs": recent})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    context: dict[str, object] = {"job": job, "ignore": IGNORE}
    if job.status == JobStatus.UPLOADED:
        try:
            context["preview"] = pipeline.preview(
                Path(job.file.path), job.kind, job.mapping or None
            )
        except FileRefused as refused:
            job.status, job.messages = JobStatus.REFUSED, [refused.message]
            job.save(update_fields=["status", "messages"])
    return render(request, "imports/job_detail.html", context)


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    response = render(request, "imports/_progress.html", {"job": job})
    if not job.is_active:
        response["HX-Refresh"] = "true"  # show the finished report
    return response


@require_POST
@login_required
def job_validate(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.status not in {JobStatus.UPLOADED, JobStatus.VALIDATED, JobStatus.REFUSED}:
        raise Http404
    headers = request.POST.getlist("header")
    chosen = request.POST.getlist("field")
    job.mapping = {h: f for h, f in zip(headers, chosen, strict=False) if f}
    job.status = JobStatus.UPLOADED
    job.save(update_fields=["mapping", "status"])
    jobs.enqueue(job, commit=False)
    return redirect("imports:job", pk=job.pk)


@require_POST
@login_required
def job_commit(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.status != JobStatus.VALIDATED:
        messages.error(request, _("Impor ini belum divalidasi atau sudah disimpan."))
        return redirect("imports:job", pk=job.pk)
    jobs.enqueue(job, commit=True)
    return redirect("imports:job", pk=job.pk)


@require_POST
@login_required
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.is_active:
        ImportJob.objects.filter(pk=job.pk).update(cancel_requested=True)
    elif job.status in {JobStatus.UPLOADED, JobStatus.VALIDATED}:
        job.status = JobStatus.CANCELLED
        job.save(update_fields=["status"])
    messages.info(request, _("Impor dibatalkan; tidak ada data yang disimpan."))
    return redirect("imports:job", pk=job.pk)


@login_required
def job_report(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if not job.report:
        raise Http404
    record(AuditEntry.Action.EXPORT, job, detail={"report": job.report.name})
    return FileResponse(
        job.report.open("rb"), as_attachment=True, filename=f"laporan-impor-{job.pk}.xlsx"
    )
