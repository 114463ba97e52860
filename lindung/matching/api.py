"""Coverage endpoints of the REST API: one person's coverage by NIK, and counts per kab/kota.

``GET /coverage/{nik}`` is what a kab/kota system calls before proposing someone: is this person
already protected by BPJS Ketenagakerjaan, and why do we think so? A NIK is a full personal
identifier, so every lookup — found or not — is an audit entry, and an operator's token only
gets answers for workers of its own kab/kota (others are "not found", never "forbidden").
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from lindung import nik as nik_module
from lindung.accounts.access import Capability, require, scoped
from lindung.api.errors import ValidationErrorOut, invalid
from lindung.api.fields import one_of
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.matching.counts import CoverageCounts, coverage_counts
from lindung.matching.models import (
    COVERED,
    Coverage,
    CoverageGroup,
    CoverageStatus,
    MatchRun,
    RunStatus,
)
from lindung.registry.models import NikStatus, Worker, WorkerStatus

router = Router(tags=["coverage"])

UNMATCHED = CoverageGroup.BELUM_DICOCOKKAN.value
_STATES = [*CoverageStatus.values, UNMATCHED]


class ProposalOut(Schema):
    worker_id: int
    kabkota: str
    proposer: str
    status: str = Field(description="Status usulan di registri.")


class CoverageOut(Schema):
    nik_masked: str
    status: str = Field(json_schema_extra=one_of(_STATES))
    status_label: str
    covered: bool = Field(description="Sudah terlindungi (PU, BPU mandiri, atau BPU dibayar).")
    reason: str = Field(
        description="Alasan mesin pencocokan atau peninjau, dalam bahasa Indonesia."
    )
    segment: str | None = Field(description="Segmen kepesertaan peserta yang cocok (PU/BPU/JAKON).")
    since: dt.date | None = Field(description="Tanggal kepesertaan peserta yang cocok.")
    decided_at: dt.datetime | None = Field(
        description="Kapan status ini ditetapkan (proses pencocokan atau peninjau)."
    )
    proposals: list[ProposalOut]


def _preferred(workers: list[Worker]) -> Worker:
    """The proposal whose coverage answers for the person: a matched one, not a merged duplicate."""
    return min(
        workers,
        key=lambda w: (not hasattr(w, "coverage"), w.status == WorkerStatus.REJECTED, -w.pk),
    )


def _answer(masked: str, workers: list[Worker]) -> dict[str, Any]:
    chosen = _preferred(workers)
    cov: Coverage | None = getattr(chosen, "coverage", None)
    participant = cov.participant if cov else None
    status = cov.status if cov else UNMATCHED
    labels = {**dict(CoverageStatus.choices), UNMATCHED: CoverageGroup.BELUM_DICOCOKKAN.label}
    return {
        "nik_masked": masked,
        "status": status,
        "status_label": str(labels[status]),
        "covered": status in COVERED,
        "reason": cov.reason if cov else "",
        "segment": participant.segment if participant and status in COVERED else None,
        "since": participant.membership_date if participant and status in COVERED else None,
        "decided_at": (cov.decided_at or (cov.run.finished_at if cov.run else None))
        if cov
        else None,
        "proposals": [
            {
                "worker_id": w.pk,
                "kabkota": w.kabkota_id,
                "proposer": w.proposer_id,
                "status": w.status,
            }
            for w in workers
        ],
    }


@router.get(
    "/{nik}",
    response={200: CoverageOut, 422: ValidationErrorOut},
    summary="Status cakupan satu orang menurut NIK (dicatat di log audit)",
)
def coverage_by_nik(request: HttpRequest, nik: str) -> Any:
    require(request.user, Capability.VIEW_COVERAGE)
    checked = nik_module.check(nik)
    if not checked.ok:
        message = f"NIK «{nik_module.mask(nik)}» tidak valid: {checked.message}."
        return Status(422, invalid("nik", "path", message))
    workers = list(
        scoped(request.user, Worker.objects.filter(nik=checked.nik, nik_status=NikStatus.VALID))
        .select_related("coverage__participant", "coverage__run")
        .order_by("-id")[:20]
    )
    masked = nik_module.mask(checked.nik)
    for worker in workers:
        record(AuditEntry.Action.VIEW_NIK, worker, detail={"via": "api", "lookup": "coverage"})
    if not workers:
        record(
            AuditEntry.Action.VIEW_NIK,
            object_type="registry.worker",
            detail={"via": "api", "lookup": "coverage", "nik": masked, "found": 0},
        )
        raise Http404
    return _answer(masked, workers)


class CoverageCountsOut(Schema):
    kabkota: str = Field(description="Kode kab/kota; kosong pada baris jumlah.")
    name: str
    workers: int = Field(description="Usulan pekerja (tanpa usulan ganda yang digabung).")
    pu: int
    bpu_mandiri: int
    bpu_program: int
    nonaktif: int
    belum: int
    tinjauan: int
    belum_dicocokkan: int
    terlindungi: int
    belum_terlindungi: int


class CoverageSummaryOut(Schema):
    rows: list[CoverageCountsOut]
    total: CoverageCountsOut
    last_run_at: dt.datetime | None = Field(description="Selesainya pencocokan terakhir.")


class SummaryQuery(Schema):
    kabkota: Annotated[str, Field(pattern=r"^(\d{2}\.\d{2})?$")] = ""


def _counts_out(counts: CoverageCounts) -> dict[str, Any]:
    return {
        "kabkota": counts.code,
        "name": counts.name,
        "workers": counts.workers,
        **dict(counts.cells),
        UNMATCHED: counts.unmatched,
        CoverageGroup.TERLINDUNGI.value: counts.covered,
        CoverageGroup.BELUM_TERLINDUNGI.value: counts.not_covered,
    }


@router.get(
    "/", response=CoverageSummaryOut, summary="Jumlah pekerja per status cakupan per kab/kota"
)
def coverage_summary(request: HttpRequest, params: Query[SummaryQuery]) -> dict[str, Any]:
    require(request.user, Capability.VIEW_COVERAGE)
    counts = coverage_counts(request.user, params.kabkota or None)
    last = MatchRun.objects.filter(status=RunStatus.DONE).order_by("-finished_at").first()
    return {
        "rows": [_counts_out(row) for row in counts.rows],
        "total": _counts_out(counts.total),
        "last_run_at": last.finished_at if last else None,
    }
