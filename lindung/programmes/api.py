"""Programme endpoints of the REST API (read-only): budget lines and the people they pay for.

A kab/kota operator sees the programmes that target their kab/kota (or the whole province) and,
in them, only their own beneficiaries. NIKs are always masked here: a programme list is for
counting and follow-up, the full number is on the worker page for roles that may see it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from lindung.accounts.access import Capability, require, scoped
from lindung.api.fields import RowId
from lindung.api.pagination import keyset_page
from lindung.programmes import services
from lindung.programmes.models import (
    Beneficiary,
    BeneficiaryStatus,
    Funder,
    Programme,
    ProgrammeStatus,
)

router = Router(tags=["programmes"])


class ProgrammeOut(Schema):
    id: int
    name: str
    funder: Funder
    funder_label: str
    sponsor: str
    budget: int = Field(description="Anggaran (Rp).")
    period_start: dt.date
    period_end: dt.date
    months: int
    package: str
    declared_income: int
    group_code: str
    target_kabkota: list[str] = Field(description="Kosong: seluruh kab/kota di provinsi.")
    status: ProgrammeStatus
    beneficiaries: int = Field(description="Penerima yang memegang kuota, di wilayah Anda.")

    @staticmethod
    def resolve_funder_label(obj: Programme) -> str:
        return str(obj.get_funder_display())

    @staticmethod
    def resolve_target_kabkota(obj: Programme) -> list[str]:
        return sorted(r.code for r in obj.target_regions.all())

    @staticmethod
    def resolve_beneficiaries(obj: Programme) -> int:
        return getattr(obj, "people", 0)


def _programmes(request: HttpRequest) -> QuerySet[Programme]:
    """Programmes the user may read, each with the count of their region's beneficiaries."""
    require(request.user, Capability.VIEW_PROGRAMMES)
    programmes = services.programmes_for(request.user).prefetch_related("target_regions")
    return services.with_people(programmes, request.user)


@router.get("/", response=list[ProgrammeOut], summary="Daftar program bantuan iuran")
def list_programmes(request: HttpRequest) -> QuerySet[Programme]:
    return _programmes(request)


@router.get("/{programme_id}", response=ProgrammeOut, summary="Satu program bantuan iuran")
def get_programme(request: HttpRequest, programme_id: RowId) -> Programme:
    return get_object_or_404(_programmes(request), pk=programme_id)


class BeneficiaryOut(Schema):
    id: int
    worker_id: int
    nik_masked: str
    name: str
    kabkota: str
    rank: int
    reason: str = Field(description="Alasan terpilih.")
    status: BeneficiaryStatus
    status_label: str
    participant_number: str = Field(description="Nomor peserta (KPJ) setelah terdaftar.")
    coverage_start: dt.date | None
    coverage_end: dt.date | None
    rejection_reason: str

    @staticmethod
    def resolve_nik_masked(obj: Beneficiary) -> str:
        return obj.worker.masked_nik

    @staticmethod
    def resolve_name(obj: Beneficiary) -> str:
        return obj.worker.name

    @staticmethod
    def resolve_kabkota(obj: Beneficiary) -> str:
        return obj.kabkota_id

    @staticmethod
    def resolve_status_label(obj: Beneficiary) -> str:
        return str(obj.get_status_display())


class BeneficiaryPageOut(Schema):
    items: list[BeneficiaryOut]
    next_after: int | None


class BeneficiaryQuery(Schema):
    status: BeneficiaryStatus | None = None
    after: RowId | None = None


@router.get(
    "/{programme_id}/beneficiaries",
    response=BeneficiaryPageOut,
    summary="Penerima satu program (keyset, 50 per halaman; NIK disamarkan)",
)
def list_beneficiaries(
    request: HttpRequest, programme_id: RowId, params: Query[BeneficiaryQuery]
) -> dict[str, Any]:
    programme = get_object_or_404(_programmes(request), pk=programme_id)
    rows = scoped(request.user, Beneficiary.objects.filter(programme=programme)).select_related(
        "worker"
    )
    if params.status:
        rows = rows.filter(status=params.status)
    return keyset_page(rows, params.after)
