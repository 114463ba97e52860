"""Import jobs as a user may see and start them: one home for the pages and the REST API.

Both hand the upload to :class:`~lindung.imports.forms.UploadForm`, then store it here; what
follows differs only in the caller (a page shows the column mapping first, the API queues the
validation at once).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from lindung.accounts.access import get_scoped_or_404, region_code, scoped
from lindung.accounts.models import User
from lindung.imports.forms import allowed_kinds
from lindung.imports.models import ImportJob


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
