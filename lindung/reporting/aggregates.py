"""The dashboard's numbers, for pages, the monthly report and the leadership brief alike.

Public API (every function takes the user and answers within the user's scope: a kab/kota
operator only ever sees their kab/kota; asking for another region raises ``Http404``):

========================================  =======================================================
:func:`resolve_region`                    the region a user asks for (default: their whole scope)
:func:`coverage_overview`                 counts of one region, its breadcrumbs and its children
:func:`kabkota_ranking`                   every kab/kota in scope, most unprotected first
:func:`splits`                            one region split by occupation, sex and age group
:func:`headline`                          the sentence answering "how many are unprotected?"
:func:`programme_budgets`                 budget, people protected and cost per programme/funder
:func:`compliance_funnel`                 companies → obliged → non-compliant → letters → result
:func:`trend`                             monthly snapshots of a region (what exists, no back-fill)
:func:`summary_state`                     when the summary tables were last rebuilt
:func:`worker_list_url`                   the worker list filtered to the workers behind a number
========================================  =======================================================

Coverage figures come from the summary tables (:mod:`lindung.reporting.summary`), so a page
reads a few hundred indexed rows whatever the registry's size; results are cached per scope,
language and summary version (a refresh makes every cached answer stale at once).
Definitions are not repeated here: coverage groups are those of
:mod:`lindung.matching.models` (``COVERED``, ``NOT_COVERED``, ``CoverageGroup``), age groups
those of :mod:`lindung.registry.ages`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache as cache_fn
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lindung.accounts.access import region_code, scoped
from lindung.compliance.cases import Case, CaseEvent, CaseResponse, Outcome
from lindung.compliance.models import Company, ComplianceStatus
from lindung.core import formats
from lindung.core.formats import MONTH_NAMES
from lindung.matching.models import COVERED, NOT_COVERED, CoverageGroup, CoverageStatus
from lindung.programmes.models import HOLDING, Beneficiary, Funder, Programme
from lindung.programmes.services import programmes_for
from lindung.regions.models import Region
from lindung.regions.reference import KALTIM
from lindung.registry.ages import AGE_GROUPS, OTHER_AGES
from lindung.registry.models import NikStatus, Occupation, Sex
from lindung.reporting.models import CoverageSnapshot, Dimension, RegionCount, SummaryState
from lindung.reporting.summary import STATE_CACHE_KEY, TOTAL, UNMATCHED
from lindung.subsidy.premiums import BpuRules, PremiumError, programme_cost

T = TypeVar("T")

#: Every coverage value a worker can have, in the order the dashboard shows them.
COVERAGE_VALUES: tuple[str, ...] = (
    *(s.value for s in COVERED),
    CoverageStatus.TINJAUAN.value,
    *(s.value for s in NOT_COVERED),
    UNMATCHED,
)
_COVERED = frozenset(s.value for s in COVERED)
_NOT_COVERED = frozenset(s.value for s in NOT_COVERED)
#: Seconds that live (not pre-computed) figures — programmes, compliance — stay cached.
LIVE_TTL = 60
#: Seconds that summary-based answers stay cached (a refresh changes the key anyway).
SUMMARY_TTL = 3600
#: Seconds between two reads of the summary's version (how soon pages see a refresh).
STATE_TTL = 5
#: Seconds that region names (reference data) stay cached.
REGION_TTL = 3600


def percent(part: int, whole: int) -> str:
    """``41,3%`` in Indonesian, ``41.3%`` in English (one decimal); ``0,0%`` of nothing."""
    return formats.percent(part / whole if whole else 0)


# --- counts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Workers per coverage value (:data:`COVERAGE_VALUES`), and the groups leaders ask about."""

    by_value: dict[str, int] = field(default_factory=dict)

    def get(self, value: str) -> int:
        return self.by_value.get(value, 0)

    @property
    def total(self) -> int:
        return sum(self.by_value.values())

    @property
    def covered(self) -> int:
        """Terlindungi: PU, BPU mandiri, BPU paid by a programme."""
        return sum(n for v, n in self.by_value.items() if v in _COVERED)

    @property
    def uncovered(self) -> int:
        """Belum terlindungi: never found among participants, or a lapsed membership."""
        return sum(n for v, n in self.by_value.items() if v in _NOT_COVERED)

    @property
    def review(self) -> int:
        return self.get(CoverageStatus.TINJAUAN)

    @property
    def unmatched(self) -> int:
        return self.get(UNMATCHED)

    @property
    def uncovered_share(self) -> float:
        return self.uncovered / self.total if self.total else 0.0

    @property
    def uncovered_percent(self) -> str:
        return percent(self.uncovered, self.total)

    @property
    def covered_percent(self) -> str:
        return percent(self.covered, self.total)


# --- regions and scope --------------------------------------------------------------------------

_LEVEL_PARAM = {
    Region.Level.KABKOTA: "kabkota",
    Region.Level.KECAMATAN: "kecamatan",
    Region.Level.DESA: "desa",
}


@dataclass(frozen=True)
class RegionRef:
    code: str
    name: str
    level: str

    @property
    def short_name(self) -> str:
        """``Kutai Kartanegara`` for ``Kabupaten Kutai Kartanegara`` (tiles, narrow bars).

        Only a kab/kota loses its prefix: "Kota Bangun" is a kecamatan's whole name."""
        for prefix in ("Kabupaten ", "Kota "):
            if self.level == "kabkota" and self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name

    @property
    def filter_params(self) -> dict[str, str]:
        """The worker-list parameters selecting this region (none for the province)."""
        param = _LEVEL_PARAM.get(self.level)  # type: ignore[call-overload]
        return {param: self.code} if param else {}


def worker_list_url(region: RegionRef | None = None, coverage: str = "", **filters: str) -> str:
    """``/pekerja/?kabkota=64.02&coverage=belum_terlindungi…``: the list behind a number.

    ``coverage`` and ``filters`` take the worker list's parameter values (``occupation``,
    ``sex=L|P``, ``age=18-24``); empty values are left out.
    """
    params = dict(region.filter_params) if region else {}
    params.update({k: v for k, v in {"coverage": coverage, **filters}.items() if v})
    query = urlencode(params)
    return _list_path() + (f"?{query}" if query else "")


@cache_fn
def _list_path() -> str:
    return reverse("registry:worker-list")


def _ref(region: Region) -> RegionRef:
    return RegionRef(region.code, region.name, region.level)


def resolve_region(user: Any, code: str | None = None) -> RegionRef:
    """The region ``user`` asks for: the province (or an operator's kab/kota) by default.

    A code outside the user's scope, or unknown, or outside the province, is ``Http404``.
    """
    fixed = region_code(user)
    code = code or fixed or KALTIM
    if fixed and code != fixed and not code.startswith(fixed + "."):
        raise Http404
    if code != KALTIM and not code.startswith(KALTIM + "."):
        raise Http404
    ref = cache.get_or_set(f"reporting:region:{code}", lambda: _lookup(code), REGION_TTL)
    if ref is None:
        raise Http404
    return ref  # type: ignore[no-any-return]


def _lookup(code: str) -> RegionRef | None:
    region = Region.objects.filter(code=code).first()
    return _ref(region) if region else None


def kabkota_choices(user: Any) -> list[RegionRef]:
    """The kab/kota a user may pick on the dashboard: all ten, or an operator's own."""
    fixed = region_code(user)

    def compute() -> list[RegionRef]:
        kabkota = Region.objects.filter(level=Region.Level.KABKOTA, code__startswith=KALTIM + ".")
        return [_ref(r) for r in (kabkota.filter(code=fixed) if fixed else kabkota)]

    key = f"reporting:kabkota:{fixed}"
    return cache.get_or_set(key, compute, REGION_TTL)  # type: ignore[no-any-return,return-value]


def _scope_key(user: Any) -> str:
    return region_code(user) or KALTIM


def summary_version() -> str:
    """Changes with every refresh (the time too: a restored database may repeat a version)."""
    state = summary_state()
    return f"{state.version}-{state.refreshed_at.timestamp()}" if state else "0"


def _cached(name: str, user: Any, args: tuple[object, ...], compute: Callable[[], T]) -> T:
    """``compute()`` cached per function, scope, arguments, language and summary version."""
    lang = translation.get_language() or ""
    key = f"reporting:{name}:{_scope_key(user)}:{lang}:{summary_version()}:" + ":".join(
        map(str, args)
    )
    ttl = LIVE_TTL if name in {"budgets", "funnel"} else SUMMARY_TTL
    return cache.get_or_set(key, compute, ttl)  # type: ignore[no-any-return,return-value]


def _counts_by_region(user: Any, **lookup: Any) -> dict[str, Counts]:
    """Totals (no split) of the regions matching ``lookup``, within the user's scope."""
    per: dict[str, dict[str, int]] = defaultdict(dict)
    rows = scoped(user, RegionCount.objects.filter(dimension=Dimension.TOTAL, **lookup))
    for code, value, n in rows.values_list("region_id", "coverage", "n"):
        per[code][value] = n
    return {code: Counts(dict(values)) for code, values in per.items()}


# --- coverage per region ------------------------------------------------------------------------


#: The coverage values a region's figures link to (besides ``total``).
LINKED_VALUES = (
    CoverageGroup.TERLINDUNGI.value,
    CoverageGroup.BELUM_TERLINDUNGI.value,
    CoverageGroup.BELUM_DICOCOKKAN.value,
    CoverageStatus.TINJAUAN.value,
)


@dataclass(frozen=True)
class RegionRow:
    """A region with its counts; ``links`` open the worker list behind each figure: ``total``
    and each of :data:`LINKED_VALUES` (other statuses: :func:`worker_list_url`)."""

    region: RegionRef
    counts: Counts
    has_children: bool = True
    links: dict[str, str] = field(default_factory=dict)


def _row(region: RegionRef, counts: Counts, has_children: bool = True) -> RegionRow:
    links = {"total": worker_list_url(region)}
    links.update({value: worker_list_url(region, value) for value in LINKED_VALUES})
    return RegionRow(region, counts, has_children, links)


@dataclass(frozen=True)
class RegionOverview:
    region: RegionRow
    breadcrumbs: list[RegionRef]
    children: list[RegionRow]
    #: Workers of the region whose record names no child region (no kecamatan or desa).
    without_child: Counts
    child_level: str


_CHILD_LEVEL = {
    Region.Level.PROVINCE: Region.Level.KABKOTA,
    Region.Level.KABKOTA: Region.Level.KECAMATAN,
    Region.Level.KECAMATAN: Region.Level.DESA,
}


def _breadcrumbs(user: Any, region: RegionRef) -> list[RegionRef]:
    """From the top of the user's scope down to ``region``'s parent."""
    parts = region.code.split(".")
    codes = [KALTIM] + [".".join(parts[:i]) for i in range(2, len(parts))]
    codes = [c for c in codes if c != region.code]
    fixed = region_code(user)
    if fixed:
        codes = [c for c in codes if c == fixed or c.startswith(fixed + ".")]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    levels = dict(Region.objects.filter(code__in=codes).values_list("code", "level"))
    return [RegionRef(c, names[c], levels[c]) for c in codes if c in names]


def coverage_overview(user: Any, code: str | None = None) -> RegionOverview:
    """One region's counts, where it sits, and its children (most unprotected first).

    Children with no worker are listed too (with zeros), so a leader sees where no one has been
    proposed yet.
    """
    region = resolve_region(user, code)

    def compute() -> RegionOverview:
        own = _counts_by_region(user, region_id=region.code).get(region.code, Counts())
        child_level = _CHILD_LEVEL.get(region.level, "")  # type: ignore[call-overload]
        children: list[RegionRow] = []
        if child_level:
            counted = _counts_by_region(user, parent=region.code, level=child_level)
            regions = Region.objects.filter(parent_id=region.code, level=child_level)
            children = sorted(
                (
                    _row(_ref(r), counted.get(r.code, Counts()), child_level != Region.Level.DESA)
                    for r in regions
                ),
                key=lambda row: (-row.counts.uncovered, -row.counts.total, row.region.name),
            )
        rest = {v: own.get(v) - sum(c.counts.get(v) for c in children) for v in COVERAGE_VALUES}
        return RegionOverview(
            region=_row(region, own, bool(child_level)),
            breadcrumbs=_breadcrumbs(user, region),
            children=children,
            without_child=Counts({v: n for v, n in rest.items() if n > 0}),
            child_level=child_level,
        )

    return _cached("overview", user, (region.code,), compute)


def kabkota_ranking(user: Any) -> list[RegionRow]:
    """Every kab/kota in the user's scope, most unprotected workers first (an operator: one)."""
    if region_code(user):
        return [coverage_overview(user).region]
    return coverage_overview(user, KALTIM).children


# --- splits -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SplitRow:
    """One value of a split (an occupation, a sex, an age group) in one region."""

    dimension: str
    value: str
    label: str
    counts: Counts
    links: dict[str, str]


def _split_labels() -> dict[str, dict[str, str]]:
    ages = (*AGE_GROUPS, *OTHER_AGES)
    return {
        Dimension.OCCUPATION: {str(v): str(label) for v, label in Occupation.choices},
        Dimension.SEX: {str(v): str(label) for v, label in Sex.choices},
        Dimension.AGE: {a.param: a.label for a in ages} | {"": _("Tanggal lahir tidak diketahui")},
    }


_FILTER_PARAM = {Dimension.OCCUPATION: "occupation", Dimension.SEX: "sex", Dimension.AGE: "age"}


def splits(user: Any, code: str | None = None) -> dict[str, list[SplitRow]]:
    """The region's workers by occupation (most unprotected first), sex and age group (in age
    order), each row with its counts and worker-list links."""
    region = resolve_region(user, code)

    def compute() -> dict[str, list[SplitRow]]:
        cells: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        rows = RegionCount.objects.filter(region_id=region.code, dimension__in=_FILTER_PARAM)
        if region_code(user):
            rows = scoped(user, rows)
        for dimension, value, coverage, n in rows.values_list(
            "dimension", "value", "coverage", "n"
        ):
            cells[(dimension, value)][coverage] = n
        labels = _split_labels()
        result: dict[str, list[SplitRow]] = {}
        for dimension, names in labels.items():
            found = [
                SplitRow(
                    dimension,
                    value,
                    names.get(value, value),
                    Counts(cells[(dimension, value)]),
                    _split_links(region, dimension, value),
                )
                for value in names
                if (dimension, value) in cells
            ]
            if dimension == Dimension.OCCUPATION:
                found.sort(key=lambda r: (-r.counts.uncovered, -r.counts.total))
            result[dimension] = found
        return result

    return _cached("splits", user, (region.code,), compute)


def _split_links(region: RegionRef, dimension: str, value: str) -> dict[str, str]:
    if not value:  # unknown birth date: the list has no filter for it
        return {}
    extra = {_FILTER_PARAM[dimension]: value}  # type: ignore[index]
    urls = {"total": worker_list_url(region, **extra)}
    for group in (CoverageGroup.TERLINDUNGI, CoverageGroup.BELUM_TERLINDUNGI):
        urls[group.value] = worker_list_url(region, group.value, **extra)
    return urls


# --- registry totals (home page) ---------------------------------------------------------------


def registry_totals(user: Any) -> dict[str, Any] | None:
    """The home page's registry figures from the summary tables (None: never refreshed).

    The same shape as :func:`lindung.registry.services.registry_summary`, which counts them
    live (about a second over 2M workers); these are the dashboard's counted workers (merged
    duplicates left out) as of the last refresh, read from a few hundred rows.
    """
    state = summary_state()
    if state is None:
        return None

    def compute() -> dict[str, Any] | None:
        per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        rows = scoped(
            user,
            RegionCount.objects.filter(  # parent: the (parent, dimension) index, not a scan
                parent=KALTIM,
                level=Region.Level.KABKOTA,
                dimension__in=(Dimension.NIK, Dimension.SEX),
            ),
        )
        for code, dimension, value, n in rows.values_list("region_id", "dimension", "value", "n"):
            if dimension == Dimension.NIK:
                per[code]["total"] += n
                per[code]["valid"] += n if value == NikStatus.VALID else 0
            else:
                per[code]["women"] += n if value == Sex.FEMALE else 0
        if not per and state.workers:  # refreshed before the NIK split existed
            return None
        names = {ref.code: ref.name for ref in kabkota_choices(user)}
        order = sorted(per, key=lambda code: -per[code]["total"])
        top = max((cells["total"] for cells in per.values()), default=0) or 1
        total = sum(cells["total"] for cells in per.values())
        valid_nik = sum(cells["valid"] for cells in per.values())
        return {
            "total": total,
            "valid_nik": valid_nik,
            "women": sum(cells["women"] for cells in per.values()),
            "damaged_nik": total - valid_nik,
            "per_kabkota": [
                {
                    "code": code,
                    "name": names.get(code, code),
                    "total": per[code]["total"],
                    "valid": per[code]["valid"],
                    "share": round(100 * per[code]["total"] / top),
                }
                for code in order
            ],
        }

    return _cached("registry", user, (), compute)


# --- headline -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    region: RegionRef
    counts: Counts
    sentence: str
    detail: str
    url: str


def headline(user: Any, code: str | None = None) -> Headline:
    """ "Di Kabupaten Kutai Kartanegara, 12.345 pekerja rentan belum terlindungi (41,3%)."

    The share is of every counted worker of the region; ``detail`` says how many are protected,
    awaiting review and not yet matched, so the three add up for a careful reader.
    """
    overview = coverage_overview(user, code)
    region, counts = overview.region.region, overview.region.counts
    if not counts.total:
        sentence = _("Di %(region)s belum ada pekerja rentan yang diusulkan.") % {
            "region": region.name
        }
        return Headline(region, counts, sentence, "", worker_list_url(region))
    sentence = _("Di %(region)s, %(n)s pekerja rentan belum terlindungi (%(pct)s).") % {
        "region": region.name,
        "n": formats.number(counts.uncovered),
        "pct": counts.uncovered_percent,
    }
    detail = _(
        "%(covered)s dari %(total)s sudah terlindungi (%(pct)s); %(review)s menunggu tinjauan "
        "dan %(unmatched)s belum dicocokkan dengan data BPJS Ketenagakerjaan."
    ) % {
        "covered": formats.number(counts.covered),
        "total": formats.number(counts.total),
        "pct": counts.covered_percent,
        "review": formats.number(counts.review),
        "unmatched": formats.number(counts.unmatched),
    }
    url = worker_list_url(region, CoverageGroup.BELUM_TERLINDUNGI.value)
    return Headline(region, counts, sentence, detail, url)


# --- programmes and budgets ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRow:
    programme_id: int
    name: str
    funder: str
    funder_label: str
    status_label: str
    budget: int
    #: Beneficiaries holding a place (selected, sent, registered), within the user's scope.
    people: int
    registered: int
    #: Premiums for ``people`` over the programme's months (None: rules do not cover it).
    committed: int | None
    note: str = ""
    #: The programme's own page (its beneficiaries and selection).
    url: str = ""

    @property
    def used_percent(self) -> str:
        return percent(self.committed or 0, self.budget)

    @property
    def used_share(self) -> float:
        return min(1.0, (self.committed or 0) / self.budget) if self.budget else 0.0


@dataclass(frozen=True)
class FunderRow:
    funder: str
    label: str
    programmes: int
    budget: int
    people: int
    committed: int


@dataclass(frozen=True)
class BudgetSummary:
    programmes: list[ProgrammeRow]
    funders: list[FunderRow]
    #: False for an operator: people and costs are their kab/kota's, budgets the whole line's.
    province_wide: bool


def _committed(programme: Programme, people: int, rules: BpuRules) -> tuple[int | None, str]:
    try:
        cost = programme_cost(
            people,
            programme.months,
            programme.package_codes(),
            programme.declared_income,
            on=programme.period_start,
            rules=rules,
        )
    except PremiumError as exc:
        return None, str(exc)
    return cost.total, ""


def programme_budgets(user: Any) -> BudgetSummary:
    """Budget, people protected and the premiums they commit, per programme and per funder.

    The programmes are those the user may see (:func:`lindung.programmes.services.programmes_for`:
    an operator's kab/kota or the whole province). People are beneficiaries holding a place
    (``HOLDING``) in the user's scope; the committed amount is what the one premium calculator
    (:func:`lindung.subsidy.premiums.programme_cost`) prices for them over the programme's months.
    """

    def compute() -> BudgetSummary:
        holding = [s.value for s in HOLDING]
        people: dict[int, dict[str, int]] = defaultdict(dict)
        for pid, status, n in (
            scoped(user, Beneficiary.objects.filter(status__in=holding))
            .values_list("programme_id", "status")
            .annotate(n=Count("id"))
            .order_by()
        ):
            people[pid][status] = n
        rows = []
        rules = BpuRules()  # read once for every programme
        for programme in programmes_for(user).order_by("-period_start", "id"):
            held = sum(people[programme.pk].values())
            committed, note = _committed(programme, held, rules)
            rows.append(
                ProgrammeRow(
                    programme.pk,
                    programme.name,
                    programme.funder,
                    programme.get_funder_display(),
                    programme.get_status_display(),
                    programme.budget,
                    held,
                    people[programme.pk].get("terdaftar", 0),
                    committed,
                    note,
                    reverse("programmes:detail", args=[programme.pk]),
                )
            )
        funders = []
        for value, label in Funder.choices:
            mine = [r for r in rows if r.funder == value]
            if mine:
                funders.append(
                    FunderRow(
                        value,
                        str(label),
                        len(mine),
                        sum(r.budget for r in mine),
                        sum(r.people for r in mine),
                        sum(r.committed or 0 for r in mine),
                    )
                )
        return BudgetSummary(rows, funders, province_wide=region_code(user) is None)

    return _cached("budgets", user, (), compute)


# --- compliance funnel --------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStep:
    key: str
    label: str
    count: int
    url: str
    note: str = ""


def compliance_funnel(user: Any, code: str | None = None) -> list[FunnelStep]:
    """Companies → obliged to register → non-compliant → appeal sent → warned → responded →
    registered, for the province or one kab/kota (a kecamatan or desa counts its kab/kota).

    "Obliged" leaves out companies that report no employees (the status computation marks them
    ``wajib: false``); "warned" counts cases that received a second letter (teguran or later).
    """
    region = resolve_region(user, code)
    kabkota = ".".join(region.code.split(".")[:2]) if region.level != "provinsi" else ""

    def compute() -> list[FunnelStep]:
        companies = scoped(user, Company.objects.all())
        cases = scoped(user, Case.objects.all())
        if kabkota:
            companies = companies.filter(kabkota_id=kabkota)
            cases = cases.filter(kabkota_id=kabkota)
        firms, steps = _company_counts(companies), _case_counts(cases)
        base = reverse("compliance:list")
        follow = reverse("compliance:follow-up")
        query = f"kabkota={kabkota}&" if kabkota else ""
        return [
            FunnelStep("companies", _("Perusahaan terdata"), firms["companies"], f"{base}?{query}"),
            FunnelStep(
                "obliged",
                _("Wajib mendaftarkan pekerja"),
                firms["obliged"],
                f"{base}?{query}",
                _("tanpa perusahaan yang melaporkan 0 pekerja"),
            ),
            FunnelStep(
                "not_compliant",
                _("Tidak patuh"),
                firms["not_compliant"],
                f"{base}?{query}status=tidak_patuh",
            ),
            FunnelStep(
                "appealed", _("Surat imbauan dikirim"), steps["appealed"], f"{follow}?{query}"
            ),
            FunnelStep(
                "warned",
                _("Menerima teguran"),
                steps["warned"],
                f"{follow}?{query}",
            ),
            FunnelStep(
                "responded",
                _("Menanggapi"),
                steps["responded"],
                f"{follow}?{query}",
            ),
            FunnelStep(
                "registered",
                _("Sudah mendaftar"),
                steps["registered"],
                f"{follow}?{query}",
            ),
        ]

    return _cached("funnel", user, (kabkota or KALTIM,), compute)


def _company_counts(companies: QuerySet[Company]) -> dict[str, int]:
    """Companies, obliged and non-compliant ones in one pass (``COUNT(*) FILTER``).

    "Obliged" is every assessed company except those whose evidence says ``wajib: false``,
    computed as a difference: a registered employer's evidence has no "wajib" key, and a
    negated key lookup would treat that missing key (NULL in SQL) as not obliged.
    """
    assessed = Q(compliance__isnull=False)
    counts = companies.aggregate(
        companies=Count("pk"),
        assessed=Count("pk", filter=assessed),
        exempt=Count("pk", filter=assessed & Q(compliance__evidence__wajib=False)),
        compliant=Count("pk", filter=Q(compliance__status=ComplianceStatus.COMPLIANT)),
    )
    return {
        "companies": counts["companies"],
        "obliged": counts["assessed"] - counts["exempt"],
        "not_compliant": counts["assessed"] - counts["compliant"],
    }


def _case_counts(cases: QuerySet[Case]) -> dict[str, int]:
    """Cases opened, warned (a second letter), responded to and registered, in one query."""
    letters = (
        CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.LETTER_SENT)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    responded = CaseResponse.objects.filter(case=OuterRef("pk"))
    return cases.aggregate(  # type: ignore[no-any-return]
        appealed=Count("pk"),
        warned=Count("pk", filter=Q(Exists(letters.filter(n__gte=2)))),
        responded=Count("pk", filter=Q(Exists(responded))),
        registered=Count("pk", filter=Q(outcome=Outcome.REGISTERED)),
    )


# --- trend --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    month: dt.date
    counts: Counts

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month.month - 1][:3]} {self.month.year}"


@dataclass(frozen=True)
class Trend:
    region: RegionRef
    points: list[TrendPoint]

    @property
    def since(self) -> str:
        """``November 2026``: the first month with a snapshot ("" when there is none)."""
        if not self.points:
            return ""
        first = self.points[0].month
        return f"{MONTH_NAMES[first.month - 1]} {first.year}"


def trend(user: Any, code: str | None = None) -> Trend:
    """Monthly snapshots of the province or a kab/kota (a kecamatan or desa shows its kab/kota:
    snapshots are kept per kab/kota). Only months that were really recorded are returned."""
    region = resolve_region(user, code)
    if region.level in (Region.Level.KECAMATAN, Region.Level.DESA):
        region = resolve_region(user, ".".join(region.code.split(".")[:2]))

    def compute() -> Trend:
        rows = CoverageSnapshot.objects.filter(region_id=region.code).exclude(measure=TOTAL)
        if region_code(user):
            rows = scoped(user, rows)
        per: dict[dt.date, dict[str, int]] = defaultdict(dict)
        for month, measure, value in rows.values_list("month", "measure", "value"):
            per[month][measure] = value
        return Trend(region, [TrendPoint(m, Counts(per[m])) for m in sorted(per)])

    return _cached("trend", user, (region.code,), compute)


def summary_state() -> SummaryState | None:
    """When the summary tables were last rebuilt (None: never: ``lindung refresh-dashboard``).

    Read at most every :data:`STATE_TTL` seconds per process: every cached answer is keyed by
    it, so a refresh reaches all pages within that time without a query per page.
    """
    return cache.get_or_set(  # type: ignore[no-any-return]
        STATE_CACHE_KEY, lambda: SummaryState.objects.filter(pk=1).first(), STATE_TTL
    )


__all__ = [
    "COVERAGE_VALUES",
    "BudgetSummary",
    "Counts",
    "FunderRow",
    "FunnelStep",
    "Headline",
    "ProgrammeRow",
    "RegionOverview",
    "RegionRef",
    "RegionRow",
    "SplitRow",
    "Trend",
    "TrendPoint",
    "compliance_funnel",
    "coverage_overview",
    "headline",
    "kabkota_choices",
    "kabkota_ranking",
    "percent",
    "programme_budgets",
    "registry_totals",
    "resolve_region",
    "splits",
    "summary_state",
    "summary_version",
    "trend",
    "worker_list_url",
]
