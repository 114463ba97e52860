"""What each printed report says: the same figures as the dashboard, laid out as blocks.

A report is a :class:`Document`: a list of blocks the one Typst layout draws (``typst/laporan.typ``:
headings, paragraphs, key figures, tables, bar charts, side-by-side columns) and the sheets of
its XLSX twin. Every figure is formatted here, in Python, so the PDF prints exactly the strings
the tests compare with the database; nothing from the database is evaluated as Typst markup.

Figures come from :mod:`lindung.reporting.aggregates` (scoped to the user: an operator's report
covers their kab/kota only) and, for a programme, from its stored selection and scenarios
(:mod:`lindung.programmes.services`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from lindung.accounts.access import region_code
from lindung.accounts.models import Role, User
from lindung.core.formats import MONTH_NAMES, long_date, rupiah, thousands
from lindung.letters.models import LetterKind, OutgoingLetter
from lindung.programmes import services as programme_services
from lindung.programmes.models import HOLDING, Beneficiary, Package, Programme
from lindung.regions.reference import KALTIM
from lindung.reporting import aggregates
from lindung.reporting.aggregates import Counts, percent
from lindung.subsidy.models import Benefit
from lindung.subsidy.premiums import add_months

Block = dict[str, Any]


class ReportError(ValueError):
    """A report that cannot be made; the message is shown to the user in their language.

    The reports themselves are Indonesian, official documents (UU 24/2009): they are built under
    ``translation.override``. A refusal raised while building one therefore carries a lazy
    message and its ``params``, translated only when shown.
    """

    def __init__(self, message: str | Promise, params: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.params = dict(params or {})

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


@dataclass(frozen=True)
class Sheet:
    name: str
    header: Sequence[str]
    rows: list[Sequence[Any]]


@dataclass
class Document:
    """One report ready to print: title, blocks for the layout, sheets for the workbook."""

    kind: str
    title: str
    subtitle: str
    stem: str
    blocks: list[Block]
    sheets: list[Sheet]
    kabkota: str | None
    month: dt.date | None = None
    programme: Programme | None = None
    compact: bool = False
    meta: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        """The JSON the layout reads."""
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "printed": _printed(),
            "compact": self.compact,
            "blocks": self.blocks,
        }


def viewer(kabkota: str | None) -> User:
    """An unsaved user seeing what the report's readers see: the province, or one kab/kota.

    Scheduled reports have no person behind them; the aggregates scope by user, so the command
    asks as a leader (province) or as an operator of the kab/kota.
    """
    if kabkota:
        return User(username=f"laporan-{kabkota}", role=Role.OPERATOR, kabkota_id=kabkota)
    return User(username="laporan-provinsi", role=Role.LEADER)


def _printed() -> str:
    now = timezone.localtime()
    return f"{long_date(now.date())} {now:%H.%M} WITA"


def month_label(month: dt.date) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def first_of_month(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)


# --- blocks -------------------------------------------------------------------------------------

#: Bar segments in dashboard order, with the layout's colour key.
SEGMENTS = (
    ("covered", "Terlindungi"),
    ("review", "Tinjauan"),
    ("uncovered", "Belum terlindungi"),
    ("unmatched", "Belum dicocokkan"),
)


def heading(text: str) -> Block:
    return {"type": "heading", "text": text}


def para(text: str, small: bool = False) -> Block:
    return {"type": "para", "text": text, "small": small}


def kpis(items: list[tuple[str, str, str]]) -> Block:
    """Key figures: ``(value, label, note)``."""
    return {"type": "kpis", "items": [{"value": v, "label": lb, "note": n} for v, lb, n in items]}


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    align: str,
    foot: Sequence[str] | None = None,
    widths: Sequence[float] | None = None,
) -> Block:
    """A table of strings; ``align`` has one letter per column (``l``/``r``/``c``)."""
    return {
        "type": "table",
        "header": list(header),
        "rows": [list(r) for r in rows],
        "foot": list(foot) if foot else [],
        "align": align,
        "widths": list(widths) if widths else [],
    }


def coverage_bars(rows: list[tuple[str, Counts]]) -> Block:
    """One stacked bar per row (terlindungi · tinjauan · belum · belum dicocokkan), scaled to
    the largest row, with the unprotected count and share printed beside it."""
    top = max((c.total for _, c in rows), default=0) or 1
    parts = {
        "covered": lambda c: c.covered,
        "review": lambda c: c.review,
        "uncovered": lambda c: c.uncovered,
        "unmatched": lambda c: c.unmatched,
    }
    return {
        "type": "bars",
        "rows": [
            {
                "label": label,
                "segments": [{"key": k, "f": parts[k](c) / top} for k, _ in SEGMENTS],
                "value": f"{thousands(c.uncovered)} ({c.uncovered_percent})",
            }
            for label, c in rows
        ],
    }


def simple_bars(rows: list[tuple[str, int, str]], key: str = "neutral") -> Block:
    """One plain bar per ``(label, amount, printed value)``, scaled to the largest amount."""
    top = max((n for _, n, _ in rows), default=0) or 1
    return {
        "type": "bars",
        "rows": [
            {"label": label, "segments": [{"key": key, "f": n / top}], "value": value}
            for label, n, value in rows
        ],
    }


def before_after_bars(rows: list[tuple[str, float, float]]) -> Block:
    """Coverage rate before → after a programme, per kab/kota (percent 0–100)."""
    return {
        "type": "bars",
        "rows": [
            {
                "label": label,
                "segments": [
                    {"key": "covered", "f": before / 100},
                    {"key": "added", "f": max(0.0, after - before) / 100},
                ],
                "value": f"{_pct(before)} → {_pct(after)}",
            }
            for label, before, after in rows
        ],
    }


def legend(keys: Sequence[tuple[str, str]] = SEGMENTS) -> Block:
    return {"type": "legend", "items": [{"key": k, "label": lb} for k, lb in keys]}


def columns(*cols: list[Block], widths: Sequence[float] | None = None) -> Block:
    return {"type": "columns", "cols": list(cols), "widths": list(widths or [1] * len(cols))}


def pagebreak() -> Block:
    return {"type": "pagebreak"}


def _pct(value: float) -> str:
    return thousands(value, 1) + "%"


def _share(c: Counts) -> float:
    return 100 * c.covered / c.total if c.total else 0.0


def _signed(n: int) -> str:
    """``+1.234`` / ``-56`` / ``0``."""
    return ("+" if n > 0 else "-" if n < 0 else "") + thousands(abs(n))


# --- shared pieces ------------------------------------------------------------------------------

COVERAGE_HEADER = (
    "Pekerja",
    "Terlindungi",
    "% terlindungi",
    "Belum terlindungi",
    "% belum",
    "Tinjauan",
    "Belum dicocokkan",
)


def coverage_cells(c: Counts) -> list[str]:
    return [
        thousands(c.total),
        thousands(c.covered),
        c.covered_percent,
        thousands(c.uncovered),
        c.uncovered_percent,
        thousands(c.review),
        thousands(c.unmatched),
    ]


def coverage_numbers(c: Counts) -> list[Any]:
    return [c.total, c.covered, c.uncovered, c.review, c.unmatched]


COVERAGE_SHEET_HEADER = (
    "Pekerja",
    "Terlindungi",
    "Belum terlindungi",
    "Tinjauan",
    "Belum dicocokkan",
)


def _splits_blocks(user: Any) -> tuple[list[Block], list[Sheet]]:
    titles = {"occupation": "Pekerjaan", "sex": "Jenis kelamin", "age": "Kelompok usia"}
    blocks: list[Block] = []
    sheets: list[Sheet] = []
    for dimension, rows in aggregates.splits(user).items():
        title = titles.get(dimension, dimension)
        blocks.append({"type": "subheading", "text": title})
        blocks.append(
            table(
                (title, *COVERAGE_HEADER),
                [[r.label, *coverage_cells(r.counts)] for r in rows],
                align="lrrrrrrr",
                widths=[2.2, 1, 1, 1, 1, 1, 1, 1.1],
            )
        )
        sheets.append(
            Sheet(
                f"Per {title.lower()}",
                (title, *COVERAGE_SHEET_HEADER),
                [[r.label, *coverage_numbers(r.counts)] for r in rows],
            )
        )
    return blocks, sheets


def _budget_blocks(user: Any, limit: int | None = None) -> tuple[list[Block], Sheet, int]:
    """Programmes with budget, people protected and premiums committed (the dashboard's table)."""
    budgets = aggregates.programme_budgets(user)
    shown = budgets.programmes[:limit] if limit else budgets.programmes
    rows = [
        [
            p.name,
            p.funder_label,
            rupiah(p.budget),
            thousands(p.people),
            thousands(p.registered),
            rupiah(p.committed) if p.committed is not None else "—",
            p.used_percent,
        ]
        for p in shown
    ]
    people = sum(p.people for p in budgets.programmes)
    foot = [
        "Jumlah"
        if not limit or len(budgets.programmes) <= limit
        else f"Jumlah {len(budgets.programmes)} program",
        "",
        rupiah(sum(p.budget for p in budgets.programmes)),
        thousands(people),
        thousands(sum(p.registered for p in budgets.programmes)),
        rupiah(sum(p.committed or 0 for p in budgets.programmes)),
        "",
    ]
    header = ("Program", "Sumber dana", "Anggaran", "Dilindungi", "Terdaftar", "Iuran terikat", "%")
    blocks: list[Block] = []
    if not budgets.programmes:
        blocks.append(para("Belum ada program bantuan iuran."))
    else:
        blocks.append(
            table(header, rows, align="llrrrrr", foot=foot, widths=[2.6, 1.4, 1.5, 1, 1, 1.5, 0.7])
        )
        if not budgets.province_wide:
            blocks.append(
                para("Penerima dan iuran: hanya wilayah Anda; anggaran: seluruh program.", True)
            )
    sheet = Sheet(
        "Program",
        ("Program", "Sumber dana", "Status", "Anggaran (Rp)", "Dilindungi", "Terdaftar",
         "Iuran terikat (Rp)"),
        [
            [p.name, p.funder_label, p.status_label, p.budget, p.people, p.registered, p.committed]
            for p in budgets.programmes
        ],
    )  # fmt: skip
    return blocks, sheet, people


def _funnel(user: Any) -> tuple[Block, Sheet]:
    steps = aggregates.compliance_funnel(user)
    bars = simple_bars([(s.label, s.count, thousands(s.count)) for s in steps], key="funnel")
    sheet = Sheet("Kepatuhan", ("Tahap", "Jumlah"), [[s.label, s.count] for s in steps])
    return bars, sheet


def _headline_blocks(user: Any) -> tuple[list[Block], Counts]:
    answer = aggregates.headline(user)
    c = answer.counts
    blocks = [
        {"type": "answer", "text": answer.sentence, "detail": answer.detail},
        kpis(
            [
                (thousands(c.total), "pekerja rentan diusulkan", ""),
                (thousands(c.covered), "terlindungi", c.covered_percent),
                (thousands(c.uncovered), "belum terlindungi", c.uncovered_percent),
                (thousands(c.review), "menunggu tinjauan", ""),
                (thousands(c.unmatched), "belum dicocokkan", ""),
            ]
        ),
    ]
    return blocks, c


def _region_name(user: Any) -> str:
    return aggregates.resolve_region(user).name


def _state_note() -> str:
    state = aggregates.summary_state()
    if state is None:
        return "Ringkasan cakupan belum pernah dihitung (lindung refresh-dashboard)."
    when = timezone.localtime(state.refreshed_at)
    return f"Data cakupan per {long_date(when.date())} {when:%H.%M}."


# --- monthly coverage report --------------------------------------------------------------------


def _snapshot_counts(user: Any, code: str, month: dt.date) -> Counts | None:
    for point in aggregates.trend(user, code).points:
        if point.month == month:
            return point.counts
    return None


def _kabkota_rows(
    user: Any, month: dt.date, current: bool
) -> list[tuple[aggregates.RegionRef, Counts]]:
    """Each kab/kota in scope with its counts: today's (this month) or the month's snapshot."""
    ranking = aggregates.kabkota_ranking(user)
    if current:
        return [(r.region, r.counts) for r in ranking]
    rows = []
    for r in ranking:
        counts = _snapshot_counts(user, r.region.code, month)
        if counts is None:
            raise ReportError(
                gettext_lazy(
                    "Tidak ada potret cakupan %(month)s untuk %(region)s: laporan bulan lalu "
                    "hanya dapat dibuat dari potret bulanan (lindung snapshot)."
                ),
                {"month": month_label(month), "region": r.region.name},
            )
        rows.append((r.region, counts))
    rows.sort(key=lambda rc: (-rc[1].uncovered, -rc[1].total, rc[0].name))
    return rows


def _then(counts: Counts | None) -> list[int | None]:
    """Protected and counted workers of last month's snapshot (blank cells without one)."""
    return [counts.covered, counts.total] if counts else [None, None]


def _letters_in(user: Any, month: dt.date) -> list[tuple[str, int]]:
    end = add_months(month, 1)
    letters = OutgoingLetter.objects.filter(date__gte=month, date__lt=end)
    code = region_code(user)
    if code is not None:
        letters = letters.filter(company__kabkota_id=code)
    found = dict(letters.values_list("kind").annotate(n=Count("id")).order_by())
    return [(str(label), found.get(kind, 0)) for kind, label in LetterKind.choices]


def monthly(user: Any, month: dt.date | None = None) -> Document:
    """Laporan cakupan bulanan: coverage per kab/kota with the change since last month's
    snapshot, who is unprotected (splits), programmes, compliance and the letters of the month."""
    today = timezone.localdate()
    month = first_of_month(month or today)
    if month > first_of_month(today):
        raise ReportError(
            gettext_lazy("Bulan %(month)s belum berjalan."), {"month": month_label(month)}
        )
    current = month == first_of_month(today)
    previous = add_months(month, -1)
    region = aggregates.resolve_region(user)
    rows = _kabkota_rows(user, month, current)
    total = (
        Counts({v: sum(c.get(v) for _, c in rows) for v in aggregates.COVERAGE_VALUES})
        if rows
        else Counts()
    )
    before = {r.code: _snapshot_counts(user, r.code, previous) for r, _ in rows}

    def change(code: str, now: Counts) -> tuple[str, str]:
        """Protected workers gained since last month's snapshot, and the share's change."""
        then = before.get(code)
        if then is None:
            return "—", "—"
        points = _share(now) - _share(then)
        return _signed(now.covered - then.covered), f"{points:+.1f}".replace(".", ",")

    table_rows = []
    for r, c in rows:
        delta, pts = change(r.code, c)
        table_rows.append([r.name, *coverage_cells(c), delta, pts])
    has_before = any(v is not None for v in before.values())
    figures = "hari ini" if current else f"potret {month_label(month)}"
    blocks: list[Block] = [
        para(
            f"Wilayah: {region.name}. Angka cakupan: {figures} "
            f"({_state_note() if current else 'nilai yang tercatat bulan itu'}); "
            f"perubahan dibandingkan potret {month_label(previous)}"
            + ("." if has_before else " (belum ada potret bulan itu).")
        ),
    ]
    head_blocks, _counts = _headline_blocks(user) if current else ([], total)
    blocks += head_blocks
    if not current:
        blocks.append(
            kpis(
                [
                    (thousands(total.total), "pekerja rentan diusulkan", ""),
                    (thousands(total.covered), "terlindungi", total.covered_percent),
                    (thousands(total.uncovered), "belum terlindungi", total.uncovered_percent),
                ]
            )
        )
    blocks += [
        heading("Cakupan per kabupaten/kota"),
        table(
            ("Kabupaten/kota", *COVERAGE_HEADER, "Perubahan terlindungi", "Perubahan poin %"),
            table_rows,
            align="lrrrrrrrrr",
            foot=["Jumlah", *coverage_cells(total), "", ""],
            widths=[2.9, 0.9, 1, 1, 1, 0.8, 0.9, 1, 1.1, 1],
        ),
        coverage_bars([(r.short_name, c) for r, c in rows]),
        legend(),
        pagebreak(),
        heading("Siapa yang belum terlindungi"),
        para("Pemilahan menurut data hari ini (ringkasan cakupan terakhir).", True),
    ]
    split_blocks, split_sheets = _splits_blocks(user)
    blocks += split_blocks
    budget_blocks, budget_sheet, people = _budget_blocks(user)
    blocks += [
        heading("Program bantuan iuran"),
        para(f"{thousands(people)} orang dilindungi oleh program bantuan iuran (terpilih, "
             "dikirim atau terdaftar di BPJS Ketenagakerjaan)."),
        *budget_blocks,
    ]  # fmt: skip
    funnel, funnel_sheet = _funnel(user)
    letters = _letters_in(user, month)
    blocks += [
        columns(
            [heading("Kepatuhan pemberi kerja"), funnel],
            [
                heading(f"Surat dikirim {month_label(month)}"),
                table(
                    ("Jenis surat", "Jumlah"),
                    [[label, thousands(n)] for label, n in letters],
                    align="lr",
                    foot=["Jumlah", thousands(sum(n for _, n in letters))],
                    widths=[3, 1],
                ),
            ],
        ),
    ]
    sheets = [
        Sheet(
            "Per kabupaten-kota",
            (
                "Kode",
                "Kabupaten/kota",
                *COVERAGE_SHEET_HEADER,
                f"Terlindungi {month_label(previous)}",
                f"Pekerja {month_label(previous)}",
            ),
            [
                [
                    r.code,
                    r.name,
                    *coverage_numbers(c),
                    *_then(before[r.code]),
                ]
                for r, c in rows
            ]
            + [["", "Jumlah", *coverage_numbers(total), None, None]],
        ),
        *split_sheets,
        budget_sheet,
        funnel_sheet,
        Sheet("Surat", ("Jenis surat", "Jumlah"), [[label, n] for label, n in letters]),
    ]
    return Document(
        kind="bulanan",
        title="Laporan Cakupan Jaminan Sosial Pekerja Rentan",
        subtitle=f"{region.name} · {month_label(month)}",
        stem=f"laporan-bulanan-{month:%Y-%m}-{_slug(region)}",
        blocks=blocks,
        sheets=sheets,
        kabkota=region_code(user),
        month=month,
    )


def _slug(region: aggregates.RegionRef) -> str:
    return "kaltim" if region.code == KALTIM else region.code.replace(".", "")


# --- one-page leadership brief ------------------------------------------------------------------


BRIEF_PROGRAMMES = 4


def brief(user: Any) -> Document:
    """Ringkasan pimpinan, one A4 page: the answer, kab/kota ranked, budgets, compliance."""
    region = aggregates.resolve_region(user)
    head_blocks, counts = _headline_blocks(user)
    ranking = aggregates.kabkota_ranking(user)
    budget_blocks, budget_sheet, people = _budget_blocks(user, limit=BRIEF_PROGRAMMES)
    budgets = aggregates.programme_budgets(user)
    spent = sum(p.committed or 0 for p in budgets.programmes)
    budget_total = sum(p.budget for p in budgets.programmes)
    funnel, funnel_sheet = _funnel(user)
    blocks: list[Block] = [
        para(_state_note(), True),
        *head_blocks,
        columns(
            [
                heading("Kabupaten/kota, terbanyak belum terlindungi di atas"),
                coverage_bars([(r.region.short_name, r.counts) for r in ranking]),
                legend(),
            ],
            [heading("Kepatuhan pemberi kerja"), funnel],
            widths=[1.25, 1],
        ),
        heading("Anggaran dan orang yang dilindungi"),
        kpis(
            [
                (rupiah(budget_total), "anggaran program", ""),
                (rupiah(spent), "iuran terikat", percent(spent, budget_total)),
                (thousands(people), "orang dilindungi program", ""),
            ]
        ),
        *budget_blocks,
    ]
    sheets = [
        Sheet("Ringkasan", ("Ukuran", "Nilai"), [
            ["Wilayah", region.name],
            ["Pekerja rentan diusulkan", counts.total],
            ["Terlindungi", counts.covered],
            ["Belum terlindungi", counts.uncovered],
            ["Menunggu tinjauan", counts.review],
            ["Belum dicocokkan", counts.unmatched],
            ["Anggaran program (Rp)", budget_total],
            ["Iuran terikat (Rp)", spent],
            ["Orang dilindungi program", people],
        ]),
        Sheet(
            "Per kabupaten-kota",
            ("Kode", "Kabupaten/kota", *COVERAGE_SHEET_HEADER),
            [[r.region.code, r.region.name, *coverage_numbers(r.counts)] for r in ranking],
        ),
        budget_sheet,
        funnel_sheet,
    ]  # fmt: skip
    return Document(
        kind="ringkasan",
        title="Ringkasan Pimpinan: Perlindungan Pekerja Rentan",
        subtitle=region.name,
        stem=f"ringkasan-pimpinan-{timezone.localdate():%Y-%m-%d}-{_slug(region)}",
        blocks=blocks,
        sheets=sheets,
        kabkota=region_code(user),
        compact=True,
    )


# --- budget brief of one programme --------------------------------------------------------------

#: JKK benefits are care and wage replacement, not one amount (PP 44/2015 jo. PP 82/2019).
JKK_TEXT = (
    "JKK (kecelakaan kerja): perawatan dan pengobatan sesuai kebutuhan medis tanpa batas biaya; "
    "santunan tidak mampu bekerja 100% upah 12 bulan pertama, lalu 50%; kematian akibat "
    "kecelakaan kerja 48 × penghasilan yang dilaporkan, tertera di kanan (PP 44/2015 jo. "
    "PP 82/2019)."
)


def _current_result(programme: Programme) -> tuple[str, dict[str, Any]]:
    """The programme's own figures: its saved selection, or evaluated now when none is saved."""
    if programme.selection.get("regions") is not None:
        return "Program (pilihan tersimpan)", programme.selection
    try:
        return "Program (dihitung saat cetak)", programme_services.summary(
            programme_services.evaluate(programme)
        )
    except programme_services.ProgrammeError as error:
        raise ReportError(str(error)) from error


def _in_scope(user: Any, regions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    code = region_code(user)
    return regions if code is None else [r for r in regions if r["code"] == code]


def _benefits(programme: Programme) -> list[tuple[str, str, int]]:
    """``(programme, description, rupiah)`` for the package's programmes, from the Benefit
    data; JKK's death benefit follows from the declared income."""
    codes = programme.package_codes()
    rows = [
        (b.programme, b.description, b.amount)
        for b in Benefit.objects.filter(programme__in=codes).order_by("programme", "-amount")
    ]
    if "JKK" in codes:
        rows.insert(0, ("JKK", JKK_TEXT, 48 * programme.declared_income))
    return rows


def _package_label(code: str | None) -> str:
    """``JKK + JKM + JHT`` for the stored ``JKK,JKM,JHT`` (PDF and XLSX alike)."""
    return str(dict(Package.choices).get(code or "", code or ""))


def _scenario_table(columns_: list[tuple[str, dict[str, Any]]], user: Any) -> Block:
    def p(result: dict[str, Any], key: str) -> Any:
        return result.get("params", {}).get(key)

    scoped_sel = [
        sum(r["selected"] for r in _in_scope(user, res["regions"])) for _, res in columns_
    ]
    rows: list[list[str]] = [
        ["Anggaran", *[rupiah(p(r, "budget") or 0) for _, r in columns_]],
        ["Lama (bulan)", *[str(p(r, "months")) for _, r in columns_]],
        ["Paket", *[_package_label(p(r, "package")) for _, r in columns_]],
        ["Penghasilan dilaporkan", *[rupiah(p(r, "declared_income") or 0) for _, r in columns_]],
        ["Iuran per orang per bulan", *[rupiah(r["premium_monthly"]) for _, r in columns_]],
        ["Biaya per orang", *[rupiah(r["per_person"]) for _, r in columns_]],
        ["Kapasitas anggaran (orang)", *[thousands(r["capacity"]) for _, r in columns_]],
        ["Memenuhi syarat", *[thousands(r["eligible"]) for _, r in columns_]],
        ["Terpilih (dilindungi)", *[thousands(r["selected"]) for _, r in columns_]],
        ["Biaya iuran", *[rupiah(r["total_cost"]) for _, r in columns_]],
        ["Sisa anggaran", *[rupiah(r["leftover"]) for _, r in columns_]],
    ]
    if region_code(user):
        rows.append(["Terpilih di wilayah Anda", *[thousands(n) for n in scoped_sel]])
    n = len(columns_)
    return table(
        ("", *[name for name, _ in columns_]), rows, align="l" + "r" * n, widths=[2] + [1.4] * n
    )


def budget(user: Any, programme: Programme) -> Document:
    """Ringkasan anggaran program: the budget, who it protects per kab/kota (quota, selected,
    cost, coverage before → after), the stored scenarios side by side, and the benefits."""
    name, result = _current_result(programme)
    regions = _in_scope(user, result["regions"])
    scenarios = [
        (s.name, s.result) for s in programme.scenarios.all() if s.result.get("regions") is not None
    ]
    holding = Beneficiary.objects.filter(programme=programme, status__in=HOLDING)
    code = region_code(user)
    if code is not None:
        holding = holding.filter(kabkota_id=code)
    saved_people = holding.count()
    people = (
        saved_people
        if programme.selection.get("regions") is not None
        else sum(r["selected"] for r in regions)
    )
    jkm = (
        Benefit.objects.filter(code="jkm-santunan-kematian")
        .values_list("amount", flat=True)
        .first()
    )
    region = aggregates.resolve_region(user)
    period = f"{long_date(programme.period_start)} – {long_date(programme.period_end)}"
    scope_cost = sum(r["cost"] for r in regions)
    blocks: list[Block] = [
        para(
            f"{programme.get_funder_display()}"
            + (f" ({programme.sponsor})" if programme.sponsor else "")
            + f" · {programme.get_package_display()} · periode {period} ({programme.months} bulan)"
            + f" · status: {programme.get_status_display()}."
        ),
        kpis(
            [
                (rupiah(programme.budget), "anggaran", ""),
                (rupiah(result["per_person"]), "biaya per orang", f"{programme.months} bulan"),
                (thousands(people), "orang dilindungi", "wilayah Anda" if code else ""),
                (rupiah(scope_cost), "biaya iuran", "wilayah Anda" if code else
                 percent(result["total_cost"], programme.budget) + " anggaran"),
            ]
        ),
        para(
            f"{thousands(people)} pekerja rentan terlindungi selama {programme.months} bulan. "
            + (f"Bila salah satu meninggal dunia, ahli warisnya menerima santunan JKM "
               f"{rupiah(jkm)}; " if jkm else "")
            + f"biaya iurannya {rupiah(result['per_person'])} per orang."
        ),
        heading("Per kabupaten/kota"),
        table(
            ("Kabupaten/kota", "Pekerja", "Memenuhi syarat", "Kuota", "Terpilih", "Biaya",
             "Cakupan sebelum", "Cakupan sesudah"),
            [
                [r["name"], thousands(r["people"]), thousands(r["eligible"]), thousands(r["quota"]),
                 thousands(r["selected"]), rupiah(r["cost"]), _pct(r["rate_before"]),
                 _pct(r["rate_after"])]
                for r in regions
            ],
            align="lrrrrrrr",
            foot=["Jumlah", thousands(sum(r["people"] for r in regions)),
                  thousands(sum(r["eligible"] for r in regions)),
                  thousands(sum(r["quota"] for r in regions)),
                  thousands(sum(r["selected"] for r in regions)), rupiah(scope_cost), "", ""],
            widths=[2.4, 1, 1.1, 0.9, 0.9, 1.5, 1, 1],
        ),
        heading("Cakupan sebelum → sesudah program"),
        before_after_bars([(r["name"], r["rate_before"], r["rate_after"]) for r in regions]),
        legend((("covered", "Terlindungi sebelum program"), ("added", "Tambahan oleh program"))),
        heading("Skenario dibandingkan"),
        _scenario_table([(name, result), *scenarios], user)
        if scenarios else para("Belum ada skenario tersimpan untuk program ini."),
        heading("Manfaat yang diterima peserta"),
        table(("Program", "Manfaat", "Nilai"),
              [[code, text, rupiah(n)] for code, text, n in _benefits(programme)], align="llr",
              widths=[0.8, 5, 1.4]),
        para("Nilai manfaat menurut data aturan Lindung (menu Iuran & manfaat); periksa naskah "
             "peraturan yang berlaku.", True),
    ]  # fmt: skip
    all_columns = [(name, result), *scenarios]
    sheets = [
        Sheet(
            "Per kabupaten-kota",
            ("Kode", "Kabupaten/kota", "Pekerja", "Terlindungi sebelum", "Memenuhi syarat",
             "Kuota", "Terpilih", "Biaya (Rp)", "Cakupan sebelum (%)", "Cakupan sesudah (%)"),
            [[r["code"], r["name"], r["people"], r["covered_before"], r["eligible"], r["quota"],
              r["selected"], r["cost"], r["rate_before"], r["rate_after"]] for r in regions],
        ),
        Sheet(
            "Skenario",
            ("Skenario", "Anggaran (Rp)", "Bulan", "Paket", "Penghasilan (Rp)",
             "Iuran per bulan (Rp)", "Biaya per orang (Rp)", "Kapasitas", "Memenuhi syarat",
             "Terpilih", "Biaya iuran (Rp)", "Sisa anggaran (Rp)"),
            [[n, r["params"]["budget"], r["params"]["months"],
              _package_label(r["params"]["package"]), r["params"]["declared_income"],
              r["premium_monthly"], r["per_person"], r["capacity"], r["eligible"],
              r["selected"], r["total_cost"], r["leftover"]]
             for n, r in all_columns],
        ),
        Sheet("Manfaat", ("Program", "Manfaat", "Nilai (Rp)"),
              [list(b) for b in _benefits(programme)]),
    ]  # fmt: skip
    return Document(
        kind="anggaran",
        title=f"Ringkasan Anggaran: {programme.name}",
        subtitle=region.name,
        stem=f"ringkasan-anggaran-{programme.pk}-{_slug(region)}",
        blocks=blocks,
        sheets=sheets,
        kabkota=code,
        programme=programme,
        meta={"people": people},
    )
