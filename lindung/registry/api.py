"""Worker endpoints of the REST API; scoping and masking as on the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from lindung.accounts.access import Capability, can, get_scoped_or_404, require
from lindung.registry import services
from lindung.registry.models import Worker

router = Router(tags=["workers"])


class WorkerOut(Schema):
    id: int
    nik_masked: str
    nik_status: str
    name: str
    #: only for roles that may see full NIKs (the masked NIK hides the date); else null
    birth_date: dt.date | None
    birth_year: int | None
    sex: str
    kabkota: str
    kecamatan: str | None
    desa: str | None
    occupation: str
    monthly_income: int | None
    poverty_decile: int | None
    status: str
    coverage_status: str | None
    coverage_reason: str | None

    @staticmethod
    def resolve_coverage_status(obj: Worker) -> str | None:
        cov = services.coverage_of(obj)
        return cov.status if cov else None

    @staticmethod
    def resolve_coverage_reason(obj: Worker) -> str | None:
        cov = services.coverage_of(obj)
        return cov.reason if cov else None

    @staticmethod
    def resolve_birth_date(obj: Worker, context: dict[str, Any]) -> dt.date | None:
        return obj.birth_date if can(context["request"].user, Capability.VIEW_FULL_NIK) else None

    @staticmethod
    def resolve_birth_year(obj: Worker) -> int | None:
        return obj.birth_date.year if obj.birth_date else None

    @staticmethod
    def resolve_nik_masked(obj: Worker) -> str:
        return obj.masked_nik

    @staticmethod
    def resolve_kabkota(obj: Worker) -> str:
        return obj.kabkota_id

    @staticmethod
    def resolve_kecamatan(obj: Worker) -> str | None:
        return obj.kecamatan_id

    @staticmethod
    def resolve_desa(obj: Worker) -> str | None:
        return obj.desa_id


class WorkerPageOut(Schema):
    items: list[WorkerOut]
    next_after: int | None
    #: filter values that were not understood and therefore ignored (Indonesian)
    warnings: list[str]


class WorkerQuery(Schema):
    q: str = ""
    kabkota: str = ""
    kecamatan: str = ""
    desa: str = ""
    occupation: str = ""
    nik_status: str = ""
    status: str = ""
    sex: str = ""
    age: str = ""
    coverage: str = ""
    after: int | None = None


@router.get("/", response=WorkerPageOut, summary="Daftar pekerja (keyset, 50 per halaman)")
def list_workers(request: HttpRequest, params: Query[WorkerQuery]) -> dict[str, object]:
    require(request.user, Capability.VIEW_WORKERS)
    flt = services.WorkerFilter.from_params(params.dict(), request.user)
    page = services.worker_page(request.user, flt, after=params.after)
    return {
        "items": page.rows,
        "next_after": page.next_after,
        "warnings": [str(problem) for problem in flt.problems],
    }


@router.get("/{worker_id}", response=WorkerOut, summary="Satu pekerja")
def get_worker(request: HttpRequest, worker_id: int) -> Worker:
    require(request.user, Capability.VIEW_WORKERS)
    return get_scoped_or_404(request.user, Worker.objects.select_related("coverage"), pk=worker_id)
