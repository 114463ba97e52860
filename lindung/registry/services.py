"""Registry queries used by the pages, the exports and the API alike."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung import nik as nik_module
from lindung.accounts.access import Capability, can, region_code, scoped
from lindung.audit.models import AuditEntry
from lindung.audit.services import record
from lindung.matching.models import Coverage, worker_coverage_q
from lindung.regions.models import Region
from lindung.registry.ages import AgeRange
from lindung.registry.models import NikStatus, Sex, Worker
from lindung.registry.names import prefix_upper_bound, search_key

PAGE_SIZE = 50
COUNT_CAP = 1_000
#: The query parameters of the worker filter, in the order the list form shows them.
PARAMS = (
    "q", "kabkota", "kecamatan", "desa", "occupation", "nik_status", "status", "sex", "age",
    "coverage",
)  # fmt: skip


@dataclass(frozen=True)
class WorkerFilter:
    """What a user asked for on the list page, the export, the API or a dashboard link.

    ``desa``: a desa code; ``sex``: ``L``/``P``; ``age``: ``min-max`` whole years today
    (:class:`~lindung.registry.ages.AgeRange`); ``coverage``: a coverage status, a group or
    ``belum_dicocokkan`` (:func:`lindung.matching.models.worker_coverage_q`). A value that cannot
    be understood is dropped and explained in ``problems`` rather than silently matching nothing.
    """

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
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_params(cls, params: Any, user: Any = None, *, on_page: bool = False) -> WorkerFilter:
        """``user``: whose search this is; a partial NIK is a search only for roles that may
        see full NIKs (otherwise digit by digit it would reveal the hidden birth date).
        ``on_page``: a region outside an operator's own is dropped with a message (the page
        then shows their kab/kota); the API instead answers such a filter with nobody."""
        values = {name: (params.get(name) or "").strip()[:100] for name in PARAMS}
        problems = []
        for name, check in _CHECKS.items():
            if values[name] and not check(values[name]):
                problems.append(_PROBLEMS[name] % {"value": values[name]})
                values[name] = ""
        masked = user is not None and not can(user, Capability.VIEW_FULL_NIK)
        if masked and partial_nik(values["q"]):
            problems.append(str(_PROBLEMS["partial_nik"]))  # and the search finds nobody
        if on_page:
            problems.extend(_outside_scope(user, values))
        return cls(**_nested_regions(values), problems=tuple(problems))

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in PARAMS if getattr(self, name)}


def _outside_scope(user: Any, values: dict[str, str]) -> list[str]:
    """Drop region filters outside an operator's kab/kota, saying so: the list would otherwise
    show "0 pekerja" under their own kab/kota's name, as if it had no workers."""
    own = region_code(user) if user is not None else None
    if not own:
        return []
    problems = []
    for name in ("kabkota", "kecamatan", "desa"):
        if values[name] and not (values[name] == own or values[name].startswith(own + ".")):
            problems.append(
                str(_PROBLEMS["outside_scope"])
                % {"value": values[name], "own": Region.objects.get(code=own).name}
            )
            values[name] = ""
    return problems


def _nested_regions(values: dict[str, str]) -> dict[str, str]:
    """Drop a kecamatan or desa outside the chosen kab/kota or kecamatan: it is left over from
    the previous choice when the user picks another kab/kota on the list form."""
    for parent, child in (("kabkota", "kecamatan"), ("kecamatan", "desa"), ("kabkota", "desa")):
        if values[parent] and values[child] and not values[child].startswith(values[parent] + "."):
            values[child] = ""
    return values


_CHECKS: dict[str, Callable[[str], object]] = {
    "sex": lambda value: value in Sex.values,
    "age": AgeRange.parse,
    "coverage": worker_coverage_q,
}
_PROBLEMS = {
    "sex": _("Jenis kelamin «%(value)s» tidak dikenal (pilih L atau P); filter ini diabaikan."),
    "age": _(
        "Rentang umur «%(value)s» tidak dapat dibaca (tulis mis. 18-24, umur terkecil dulu); "
        "filter ini diabaikan."
    ),
    "coverage": _("Status cakupan «%(value)s» tidak dikenal; filter ini diabaikan."),
    "outside_scope": _(
        "Wilayah «%(value)s» di luar kewenangan akun Anda; yang ditampilkan hanya %(own)s."
    ),
    "partial_nik": _(
        "Pencarian dengan sebagian NIK hanya untuk petugas yang boleh melihat NIK lengkap; "
        "tulis ke-16 angka NIK."
    ),
}


def partial_nik(q: str) -> bool:
    """4 to 15 digits: a NIK prefix search (16 digits look one person up)."""
    digits = nik_module.normalize(q)
    return digits.isdigit() and 4 <= len(digits) < nik_module.NIK_LENGTH


def _search(queryset: QuerySet[Worker], q: str, full_nik: bool) -> QuerySet[Worker]:
    digits = nik_module.normalize(q)
    if digits.isdigit() and len(digits) >= 4:
        if not full_nik and partial_nik(digits):
            return queryset.none()  # see WorkerFilter.from_params
        return queryset.filter(nik__gte=digits, nik__lt=prefix_upper_bound(digits))
    key = search_key(q)
    return queryset.filter(name_search__contains=key) if key else queryset


def filtered_workers(user: Any, flt: WorkerFilter) -> QuerySet[Worker]:
    """The user's scoped workers narrowed by ``flt``; every list, export and API uses this."""
    queryset = scoped(user, Worker.objects.all())
    if flt.q:
        queryset = _search(queryset, flt.q, can(user, Capability.VIEW_FULL_NIK))
    exact = {
        "kabkota_id": flt.kabkota,
        "kecamatan_id": flt.kecamatan,
        "desa_id": flt.desa,
        "occupation": flt.occupation,
        "nik_status": flt.nik_status,
        "status": flt.status,
        "sex": flt.sex,
    }
    queryset = queryset.filter(**{k: v for k, v in exact.items() if v})
    ages = AgeRange.parse(flt.age) if flt.age else None
    if ages:
        queryset = queryset.filter(ages.q(timezone.localdate()))
    coverage = worker_coverage_q(flt.coverage, _one_kabkota(user, flt)) if flt.coverage else None
    return queryset.filter(coverage) if coverage else queryset


def count_workers(user: Any, flt: WorkerFilter) -> int:
    """The exact number behind a capped list (asked for after the page shows, so a list of a
    million workers opens at once and still says how many there are)."""
    return filtered_workers(user, flt).order_by().count()


def _one_kabkota(user: Any, flt: WorkerFilter) -> str | None:
    """The one kab/kota the workers are confined to (scope or filter), if any."""
    region = region_code(user) or flt.kabkota or flt.kecamatan or flt.desa
    return ".".join(region.split(".")[:2]) if region else None


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
    base = filtered_workers(user, flt).select_related("kabkota", "kecamatan", "desa", "coverage")
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
    if after is None and before is None and not has_older:
        count = len(rows)  # the whole result is on this page: no second scan to count it
    else:
        count = filtered_workers(user, flt).order_by()[: COUNT_CAP + 1].count()
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
    "status_cakupan",
    "alasan_cakupan",
]


def coverage_of(worker: Worker) -> Coverage | None:
    """The worker's coverage row, or None before any matching run reached it."""
    try:
        return worker.coverage
    except ObjectDoesNotExist:
        return None


def coverage_cells(worker: Worker) -> tuple[str, str]:
    """Coverage status label and reason for an export row (blank before any matching)."""
    cov = coverage_of(worker)
    return (str(cov.get_status_display()), cov.reason) if cov else ("", "")


def export_table(user: Any, flt: WorkerFilter) -> tuple[list[str], Iterator[list[Any]]]:
    """Header and rows of a CSV/XLSX export. The export is recorded here, before the response
    streams (a generator would record it after the request's audit actor is gone)."""
    full_nik = can(user, Capability.VIEW_FULL_NIK)
    queryset = filtered_workers(user, flt).select_related(
        "desa", "kecamatan", "kabkota", "proposer", "coverage"
    )
    record(
        AuditEntry.Action.EXPORT,
        object_type="registry.worker",
        detail={"filter": flt.as_dict(), "rows": queryset.count(), "full_nik": full_nik},
    )
    header = [
        name if full_nik or name != "tanggal_lahir" else "tahun_lahir" for name in EXPORT_HEADER
    ]
    return header, _export_rows(queryset, full_nik)


def _export_rows(queryset: QuerySet[Worker], full_nik: bool) -> Iterator[list[Any]]:
    for w in queryset.order_by("id").iterator(chunk_size=5000):
        yield [
            w.id,
            w.nik if full_nik else w.masked_nik,
            w.nik_status,
            w.name,
            nik_module.shown_birth_date(w.birth_date, full_nik),
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
            *coverage_cells(w),
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
