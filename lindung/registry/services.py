"""Registry queries used by the pages, the exports and the API alike."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from lindung import nik as nik_module
from lindung.accounts.access import Capability, can, scoped
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.regions.models import Region
from lindung.registry.models import NikStatus, Sex, Worker
from lindung.registry.names import prefix_upper_bound, search_key

PAGE_SIZE = 50
COUNT_CAP = 1_000


@dataclass(frozen=True)
class WorkerFilter:
    """What a user asked for on the list page, the export or the API."""

    q: str = ""
    kabkota: str = ""
    kecamatan: str = ""
    occupation: str = ""
    nik_status: str = ""
    status: str = ""

    @classmethod
    def from_params(cls, params: Any) -> WorkerFilter:
        return cls(
            **{name: (params.get(name) or "").strip()[:100] for name in cls.__dataclass_fields__}
        )

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


def _search(queryset: QuerySet[Worker], q: str) -> QuerySet[Worker]:
    digits = nik_module.normalize(q)
    if digits.isdigit() and len(digits) >= 4:
        return queryset.filter(nik__gte=digits, nik__lt=prefix_upper_bound(digits))
    key = search_key(q)
    return queryset.filter(name_search__contains=key) if key else queryset


def filtered_workers(user: Any, flt: WorkerFilter) -> QuerySet[Worker]:
    """The user's scoped workers narrowed by ``flt``; every list, export and API uses this."""
    queryset = scoped(user, Worker.objects.all())
    if flt.q:
        queryset = _search(queryset, flt.q)
    exact = {
        "kabkota_id": flt.kabkota,
        "kecamatan_id": flt.kecamatan,
        "occupation": flt.occupation,
        "nik_status": flt.nik_status,
        "status": flt.status,
    }
    return queryset.filter(**{k: v for k, v in exact.items() if v})


@dataclass
class WorkerPage:
    rows: list[Worker]
    next_after: int | None = None
    prev_before: int | None = None
    count: int = 0
    count_capped: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def worker_page(
    user: Any, flt: WorkerFilter, *, after: int | None = None, before: int | None = None
) -> WorkerPage:
    """One page in keyset order (newest first), so page 20,000 costs what page 1 costs."""
    base = filtered_workers(user, flt).select_related("kabkota", "kecamatan", "desa")
    if before is not None:
        rows = list(base.filter(id__gt=before).order_by("id")[: PAGE_SIZE + 1])
        has_more_newer = len(rows) > PAGE_SIZE
        rows = list(reversed(rows[:PAGE_SIZE]))
        has_older = True
    else:
        query = base.filter(id__lt=after) if after is not None else base
        rows = list(query.order_by("-id")[: PAGE_SIZE + 1])
        has_older = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        has_more_newer = after is not None
    count = filtered_workers(user, flt)[: COUNT_CAP + 1].count()
    return WorkerPage(
        rows=rows,
        next_after=rows[-1].id if rows and has_older else None,
        prev_before=rows[0].id if rows and has_more_newer else None,
        count=min(count, COUNT_CAP),
        count_capped=count > COUNT_CAP,
    )


def reveal_nik(user: Any, worker: Worker) -> str:
    """The full NIK for a user allowed to see it; every reveal is written to the audit log."""
    if not can(user, Capability.VIEW_FULL_NIK):
        return worker.masked_nik
    record(AuditEntry.Action.VIEW_NIK, worker)
    return worker.nik


EXPORT_HEADER = [
    "id",
    "nik",
    "status_nik",
    "nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "alamat",
    "kode_desa",
    "desa",
    "kecamatan",
    "kabupaten_kota",
    "pekerjaan",
    "penghasilan_bulanan",
    "desil",
    "pengusul",
    "sumber_data",
    "status",
]


def export_rows(user: Any, flt: WorkerFilter) -> Iterator[list[Any]]:
    """Rows for a CSV/XLSX export; the export itself is recorded before the first row."""
    full_nik = can(user, Capability.VIEW_FULL_NIK)
    queryset = filtered_workers(user, flt).select_related(
        "desa", "kecamatan", "kabkota", "proposer"
    )
    record(
        AuditEntry.Action.EXPORT,
        object_type="registry.worker",
        detail={"filter": flt.as_dict(), "rows": queryset.count(), "full_nik": full_nik},
    )
    for w in queryset.order_by("id").iterator(chunk_size=5000):
        yield [
            w.id,
            w.nik if full_nik else w.masked_nik,
            w.nik_status,
            w.name,
            w.birth_date.isoformat() if w.birth_date else "",
            w.sex,
            w.address,
            w.desa_id or "",
            w.desa.name if w.desa else "",
            w.kecamatan.name if w.kecamatan else "",
            w.kabkota.name,
            w.get_occupation_display(),
            w.monthly_income or "",
            w.poverty_decile or "",
            w.proposer.name,
            w.source,
            w.get_status_display(),
        ]


def registry_summary(user: Any) -> dict[str, Any]:
    """Counts for the landing page, within the user's scope, in two grouped queries."""
    workers = scoped(user, Worker.objects.all())
    totals = workers.aggregate(
        total=Count("id"),
        valid_nik=Count("id", filter=Q(nik_status=NikStatus.VALID)),
        women=Count("id", filter=Q(sex=Sex.FEMALE)),
    )
    per = (
        workers.values("kabkota_id")
        .annotate(total=Count("id"), valid=Count("id", filter=Q(nik_status=NikStatus.VALID)))
        .order_by("-total")
    )
    names = dict(Region.objects.filter(level=Region.Level.KABKOTA).values_list("code", "name"))
    top = max((row["total"] for row in per), default=0) or 1
    return {
        **totals,
        "damaged_nik": totals["total"] - totals["valid_nik"],
        "per_kabkota": [
            {
                "code": r["kabkota_id"],
                "name": names.get(r["kabkota_id"], r["kabkota_id"]),
                "total": r["total"],
                "valid": r["valid"],
                "share": round(100 * r["total"] / top),
            }
            for r in per
        ],
    }
