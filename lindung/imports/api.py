"""Import endpoints of the REST API: a system uploads a file, polls the job, then commits it.

The same job, form and background task as the pages: an upload is validated in the worker with
the detected column mapping (a dry run), the caller reads the counts and the report, and only
an explicit commit stores the valid rows. Scoping and per-kind rights are those of the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import FileResponse, Http404, HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from lindung.accounts.access import current_user
from lindung.api.errors import ErrorOut, ValidationErrorOut
from lindung.api.fields import RowId
from lindung.api.pagination import keyset_page
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.imports import jobs, services
from lindung.imports.forms import UploadForm
from lindung.imports.models import ImportJob, ImportKind, JobStatus

router = Router(tags=["imports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportJobOut(Schema):
    id: int
    kind: ImportKind
    status: JobStatus
    status_label: str
    original_name: str
    size_bytes: int
    kabkota: str | None
    proposer: str | None
    source: str
    progress: int = Field(description="Kemajuan proses yang sedang berjalan (0-100).")
    stage: str
    counts: dict[str, int] = Field(
        description="rows, created, updated, unchanged, rejected, flagged (setelah validasi)."
    )
    messages: list[str]
    has_report: bool = Field(description="Laporan XLSX baris bermasalah tersedia.")
    created_by: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_status_label(obj: ImportJob) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_kabkota(obj: ImportJob) -> str | None:
        return obj.kabkota_id

    @staticmethod
    def resolve_proposer(obj: ImportJob) -> str | None:
        return obj.proposer_id

    @staticmethod
    def resolve_has_report(obj: ImportJob) -> bool:
        return bool(obj.report)

    @staticmethod
    def resolve_created_by(obj: ImportJob) -> str | None:
        return obj.created_by.get_username() if obj.created_by else None


class ImportPageOut(Schema):
    items: list[ImportJobOut]
    next_after: int | None


class ImportQuery(Schema):
    kind: ImportKind | None = None
    status: JobStatus | None = None
    after: RowId | None = None


@router.get("/", response=ImportPageOut, summary="Daftar impor (keyset, 50 per halaman)")
def list_imports(request: HttpRequest, params: Query[ImportQuery]) -> dict[str, Any]:
    jobs_ = services.jobs_for(request.user)
    if params.kind:
        jobs_ = jobs_.filter(kind=params.kind)
    if params.status:
        jobs_ = jobs_.filter(status=params.status)
    return keyset_page(jobs_, params.after)


@router.get("/{job_id}", response=ImportJobOut, summary="Satu impor: status, kemajuan, jumlah")
def get_import(request: HttpRequest, job_id: RowId) -> ImportJob:
    return services.job_for(request.user, job_id)


@router.post(
    "/",
    response={201: ImportJobOut, 422: ValidationErrorOut},
    summary="Unggah file untuk diimpor; divalidasi di latar belakang (belum disimpan)",
)
def create_import(
    request: HttpRequest,
    file: Annotated[UploadedFile, File(description="CSV, XLSX atau Parquet.")],
    kind: Annotated[ImportKind, Form(description="Jenis data.")],
    proposer: Annotated[
        str, Form(description="Kode instansi pengusul (wajib untuk pekerja).")
    ] = "",
    source: Annotated[str, Form(max_length=100, description="mis. DTKS 2025")] = "",
) -> Any:
    """Checked by the same form as the upload page; the job then validates in the worker."""
    services.jobs_for(request.user)  # refuses a role that may import nothing
    user = current_user(request)
    form = UploadForm(request.POST, request.FILES, user=user)
    if not form.is_valid():
        return Status(422, _form_errors(form))
    job = services.create_job(user, form.cleaned_data)
    jobs.enqueue(job, commit=False)
    job.refresh_from_db()
    return Status(201, job)


def _form_errors(form: UploadForm) -> dict[str, Any]:
    errors = [
        (field, f"«{field}» {message}")
        for field, messages in form.errors.items()
        for message in map(str, messages)
    ]
    return {
        "detail": " ".join(msg for _field, msg in errors),
        "errors": [{"loc": ["form", field], "msg": msg} for field, msg in errors],
    }


@router.post(
    "/{job_id}/commit",
    response={202: ImportJobOut, 409: ErrorOut},
    summary="Simpan baris yang valid dari impor yang sudah divalidasi",
)
def commit_import(request: HttpRequest, job_id: RowId) -> Any:
    job = services.job_for(request.user, job_id)
    if job.status != JobStatus.VALIDATED:
        return Status(409, {"detail": "Impor ini belum divalidasi atau sudah disimpan."})
    jobs.enqueue(job, commit=True)
    job.refresh_from_db()
    return Status(202, job)


@router.get(
    "/{job_id}/report",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "Laporan XLSX baris yang ditolak atau ditandai.",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    summary="Unduh laporan validasi (XLSX; dicatat di log audit)",
)
def import_report(request: HttpRequest, job_id: RowId) -> FileResponse:
    job = services.job_for(request.user, job_id)
    if not job.report:
        raise Http404
    record(AuditEntry.Action.EXPORT, job, detail={"report": job.report.name, "via": "api"})
    return FileResponse(
        job.report.open("rb"),
        as_attachment=True,
        filename=f"laporan-impor-{job.pk}.xlsx",
        content_type=XLSX,
    )
