"""Import jobs as a user may see and start them: one home for the pages and the REST API.

Both hand the upload to :class:`~lindung.imports.forms.UploadForm`, then store it here; what
follows differs only in the caller (a page shows the column mapping first, the API queues the
validation at once).
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from lindung import nik as nik_module
from lindung.accounts.access import Capability, can, get_scoped_or_404, region_code, scoped
from lindung.accounts.models import User
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.imports import jobs, pipeline
from lindung.imports.forms import allowed_kinds
from lindung.imports.models import ImportJob, JobStatus
from lindung.imports.reading import FileRefused
from lindung.imports.schemas import SCHEMAS, Field, FieldKind, ImportSchema
from lindung.imports.values import parse_column
from lindung.regions.models import Region

#: States from which the user can still go on (validate again or commit), so may also stop.
CANCELLABLE = frozenset({JobStatus.UPLOADED, JobStatus.VALIDATED, JobStatus.REFUSED})


def jobs_for(user: Any) -> QuerySet[ImportJob]:
    """The jobs of the user's region, of the kinds the user may import.

    A role that may import nothing is refused outright, so it learns that rather than seeing
    an empty list; a job of a kind the user may not import does not exist for them.
    """
    kinds = [kind for kind, _label in allowed_kinds(user)]
    if not kinds:
        raise PermissionDenied
    return scoped(user, ImportJob.objects.select_related("created_by")).filter(kind__in=kinds)


def job_for(user: Any, pk: int) -> ImportJob:
    """One job of :func:`jobs_for`; any other is 404."""
    return get_scoped_or_404(user, jobs_for(user), pk=pk)


def create_job(user: User, cleaned: dict[str, Any]) -> ImportJob:
    """Store a checked upload (``UploadForm.cleaned_data``) as a job of the user's region.

    Nothing is read or validated yet: the job starts as uploaded, and the region is the
    user's, so an operator's rows can only ever land in their own kab/kota.
    """
    upload = cleaned["file"]
    return ImportJob.objects.create(
        kind=cleaned["kind"],
        file=upload,
        original_name=Path(upload.name).name[:255],
        size_bytes=upload.size,
        created_by=user,
        kabkota_id=region_code(user),
        proposer=cleaned.get("proposer"),
        source=cleaned.get("source", ""),
    )


def refuse_if_unreadable(job: ImportJob) -> bool:
    """Refuse a just-uploaded file that cannot be read, so the job page only shows it.

    Called once, by the upload request: the reason is stored there and then, never by a page
    that merely looks at the job. True when the file was refused.
    """
    try:
        pipeline.preview(Path(job.file.path), job.kind)
    except FileRefused as refused:
        _change(job, status=JobStatus.REFUSED, messages=[refused.message])
        return True
    return False


def validate_with(job: ImportJob, mapping: dict[str, str]) -> None:
    """Store the column mapping the user confirmed and queue the validation.

    The mapping decides which column of the file becomes which field (a NIK column mapped to
    the name would be imported as names), so each confirmation is an audit entry.
    """
    _change(job, {"queued": "validasi"}, mapping=mapping, status=JobStatus.UPLOADED)
    jobs.enqueue(job, commit=False)


def cancel(job: ImportJob) -> bool:
    """Stop a job that is not saved: a running one at its next progress step (the loader's
    transaction rolls back), an open one at once. False when there is nothing left to stop."""
    if job.is_active:
        ImportJob.objects.filter(pk=job.pk).update(cancel_requested=True)
        record(AuditEntry.Action.UPDATE, job, changes={"cancel_requested": [False, True]})
        return True
    if job.status in CANCELLABLE:
        _change(job, status=JobStatus.CANCELLED)
        return True
    return False


def _change(job: ImportJob, detail: dict[str, Any] | None = None, **fields: Any) -> None:
    """Save ``fields`` on the job and record what changed, old → new, as one audit entry."""
    changes = {
        name: [getattr(job, name), value]
        for name, value in fields.items()
        if getattr(job, name) != value
    }
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))
    record(AuditEntry.Action.UPDATE, job, changes=changes, detail=detail)


#: The example row lives in this kelurahan (Rawa Makmur, Palaran, Kota Samarinda).
EXAMPLE_DESA = "64.72.01.1001"
EXAMPLE_BIRTH = date(1985, 8, 17)
_EXAMPLE_TEXT = {
    "alamat": "Jl. Pahlawan No. 12 RT 03",
    "pekerjaan": "nelayan",
    "sumber_data": "DTKS 2025",
    "npp": "10234567",
    "nib": "1203000123456",
    "npwp": "012345678722000",
    "kbli": "47111",
}
_EXAMPLE_NAME = {"workers": "Budi Santoso", "participants": "Budi Santoso"}


def template_row(kind: str) -> dict[str, str]:
    """One valid row of a ``kind`` file, every column of its schema filled, by canonical name.

    The values agree with each other (the NIK holds the birth date, the sex and the district of
    the desa code; the desa, kecamatan and kab/kota names are those of the code), so the
    template imports without a single flag: users copy it and replace the values.
    """
    places = dict(
        Region.objects.filter(
            code__in=[EXAMPLE_DESA, EXAMPLE_DESA[:8], EXAMPLE_DESA[:5]]
        ).values_list("level", "name")
    )
    text = {
        **_EXAMPLE_TEXT,
        "nama": _EXAMPLE_NAME.get(kind, "CV Maju Bersama"),
        "desa": places.get(Region.Level.DESA, ""),
        "kecamatan": places.get(Region.Level.KECAMATAN, ""),
        "kabupaten_kota": places.get(Region.Level.KABKOTA, ""),
    }
    return {f.name: _example(f, text) for f in SCHEMAS[kind].fields}


def _example(f: Field, text: dict[str, str]) -> str:
    """An example cell for ``f``, in a spelling its parser accepts."""
    if f.kind is FieldKind.NIK:
        return nik_module.make_nik(EXAMPLE_DESA[:8].replace(".", ""), EXAMPLE_BIRTH, "L", 1)
    if f.kind is FieldKind.DATE:
        return EXAMPLE_BIRTH.strftime("%d-%m-%Y") if "lahir" in f.name else "02-01-2026"
    if f.kind in (FieldKind.ENUM, FieldKind.LIST):
        values = list(dict.fromkeys(f.choices.values()))
        return ", ".join(values[:3]) if f.kind is FieldKind.LIST else values[0]
    by_kind = {
        FieldKind.SEX: "L",
        FieldKind.REGION: EXAMPLE_DESA,
        FieldKind.MONEY: "1500000",
        FieldKind.INT: str(min(max(2, f.minimum or 0), f.maximum or 2)),
    }
    return by_kind.get(f.kind) or text.get(f.name, "")


def template_xlsx(kind: str) -> bytes:
    """The template of ``kind`` as XLSX: canonical headers and the example row, all cells text
    (a NIK typed into a text cell keeps its 16 digits; Excel would round a number)."""
    row = template_row(kind)
    buffer = io.BytesIO()
    pl.DataFrame([row], schema=dict.fromkeys(row, pl.String)).write_excel(
        buffer, worksheet="Data", autofit=True
    )
    return buffer.getvalue()


#: Sixteen digits standing alone in a text: a NIK in a key-conflict value or a message.
_NIK_IN_TEXT = re.compile(r"(?<!\d)\d{16}(?!\d)")


def preview_for(user: Any, job: ImportJob) -> dict[str, object]:
    """The first rows of the job's file and its column mapping, as ``user`` may see them.

    A role without ``view_full_nik`` (the BPJS liaison) sees the NIK column masked, the birth
    date column as its year only (beside a masked NIK the date would give the hidden digits
    back, as on every other page) and any other NIK-looking cell masked.
    """
    preview = pipeline.preview(Path(job.file.path), job.kind, job.mapping or None)
    if not can(user, Capability.VIEW_FULL_NIK):
        preview["rows"] = _masked_rows(preview)
    return preview


def issues_for(user: Any, job: ImportJob) -> list[list[Any]]:
    """The first problems of the report (row, column, value, problem, action), NIKs in values
    and messages masked for a role without ``view_full_nik``."""
    if can(user, Capability.VIEW_FULL_NIK):
        return job.issue_sample
    return [
        [row, column, _mask_niks(value), _mask_niks(problem), action]
        for row, column, value, problem, action in job.issue_sample
    ]


def _masked_rows(preview: dict[str, Any]) -> list[tuple[Any, ...]]:
    if not preview["rows"]:
        return []
    schema: ImportSchema = SCHEMAS[preview["kind"]]
    mapping: dict[str, str] = preview["mapping"].columns
    fields = {f.name: f for f in schema.fields}
    columns = [
        _shown_column(list(cells), fields.get(mapping.get(header, "")))
        for header, cells in zip(
            preview["headers"], zip(*preview["rows"], strict=True), strict=True
        )
    ]
    return list(zip(*columns, strict=True))


def _shown_column(cells: list[Any], field: Field | None) -> list[Any]:
    """One preview column as a masked role sees it."""
    if field is not None and field.kind is FieldKind.NIK:
        return [nik_module.mask(c) if c else c for c in cells]
    if field is not None and field.kind is FieldKind.DATE and "lahir" in field.name:
        dates, _problems = parse_column(pl.Series(cells, dtype=pl.String), field)
        return [
            nik_module.shown_birth_date(d, full_nik=False) if d else nik_module.mask(c)
            for d, c in zip(dates, cells, strict=True)
        ]
    return [_mask_niks(c) for c in cells]


def _mask_niks(value: Any) -> Any:
    """``value`` with any NIK in it masked (a cell that is one, or sixteen digits in a text)."""
    if not isinstance(value, str):
        return value
    clean = nik_module.normalize(value)
    if len(clean) == nik_module.NIK_LENGTH and clean.isdigit():
        return nik_module.mask(value)
    return _NIK_IN_TEXT.sub(lambda found: nik_module.mask(found.group()), value)
