"""Validating a read file against an import schema: which rows go in, which are flagged, which
are refused, and why — in Indonesian, naming the file row and the user's column header.

Rules (in the order they apply):

1. A cell longer than ``RawTable.max_cell_chars`` refuses its row (the cell is not parsed).
2. Each mapped column is parsed by :mod:`lindung.imports.values` (NIK by
   :func:`lindung.nik.check_series`). A *required* field that is blank or unreadable refuses the
   row ("ditolak"); an *optional* field that is unreadable is imported as null and the row is
   flagged ("ditandai").
3. NIK: a damaged (Excel) or invalid NIK flags the row, which is kept with ``nik_status`` saying
   so (never "valid"); a blank NIK refuses it (the field is required). A valid NIK whose birth
   date or sex disagrees with the birth date or sex column flags the row.
4. Exact duplicates (same values in every imported column) keep their first row; the others are
   refused ("Baris duplikat dari baris 12").
5. Rows sharing the natural key (``schema.natural_key``; a NIK counts only when valid) but with
   different data are all refused, each naming the others: nobody can tell which one is right.

Formula-looking text (``=HYPERLINK(...)``) is plain text here: it is never evaluated, and exports
neutralise it. Everything is vectorised; Python only loops over the rare conflicting key groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from lindung import nik as nik_module
from lindung.core.formats import thousands
from lindung.imports.headers import ColumnMapping, mapping_problems
from lindung.imports.reading import ROW, RawTable
from lindung.imports.schemas import Field, FieldKind, ImportSchema
from lindung.imports.values import parse_column

__all__ = ["FLAGGED", "REJECTED", "ValidationResult", "issue_messages", "validate"]

REJECTED = "ditolak"  # the row is not imported
FLAGGED = "ditandai"  # imported, with a note for the user

#: Characters of a cell shown in the issue list.
VALUE_CHARS = 100
#: Other rows named in a key-conflict message before "… dan N baris lain".
ROWS_NAMED = 5

ISSUE_SCHEMA = {
    "row": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "problem": pl.String,
    "severity": pl.String,
}

_DTYPES = {
    FieldKind.NIK: pl.String,
    FieldKind.TEXT: pl.String,
    FieldKind.SEX: pl.String,
    FieldKind.REGION: pl.String,
    FieldKind.ENUM: pl.String,
    FieldKind.LIST: pl.String,
    FieldKind.DATE: pl.Date,
    FieldKind.INT: pl.Int64,
    FieldKind.MONEY: pl.Int64,
}


@dataclass
class ValidationResult:
    """``rows``: accepted rows, one column per mapped field (parsed dtype), ``nik_status`` when
    the schema has a NIK field, and ``__row``. ``issues``: one row per problem with ``row``,
    ``column`` (the user's header; null for whole-row problems), ``value`` (≤ 100 characters),
    ``problem`` and ``severity`` ("ditolak"/"ditandai"); :attr:`messages` gives each issue as a
    full sentence with its row and column."""

    rows: pl.DataFrame
    issues: pl.DataFrame
    total_rows: int
    accepted_rows: int
    rejected_rows: int
    flagged_rows: int
    warnings: list[str] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        return issue_messages(self.issues).to_list()

    @property
    def counts(self) -> dict[str, int]:
        return {
            "total": self.total_rows,
            "accepted": self.accepted_rows,
            "rejected": self.rejected_rows,
            "flagged": self.flagged_rows,
        }

    def summary(self) -> str:
        """ "1.000 baris dibaca: 950 diterima (12 ditandai), 50 ditolak." """
        return (
            f"{thousands(self.total_rows)} baris dibaca: {thousands(self.accepted_rows)} diterima "
            f"({thousands(self.flagged_rows)} ditandai), {thousands(self.rejected_rows)} ditolak."
        )


class _Issues:
    """Collects issue frames; builds them only from the (usually few) rows with a problem."""

    def __init__(self, rows: pl.Series) -> None:
        self.rows = rows
        self.parts: list[pl.DataFrame] = []

    def add(
        self,
        mask: pl.Series,
        column: str | None,
        value: pl.Series | None,
        problem: pl.Series | str,
        severity: str,
    ) -> None:
        mask = mask.fill_null(False)
        if not mask.any():
            return
        n = len(mask)
        frame = pl.DataFrame(
            {
                "row": self.rows,
                "value": value if value is not None else pl.Series([None] * n, dtype=pl.String),
                "problem": problem
                if isinstance(problem, pl.Series)
                else pl.Series([problem] * n, dtype=pl.String),
            }
        ).filter(mask)
        self.parts.append(
            frame.select(
                pl.col("row").cast(pl.Int64),
                pl.lit(column, dtype=pl.String).alias("column"),
                pl.col("value").cast(pl.String),
                pl.col("problem").cast(pl.String),
                pl.lit(severity, dtype=pl.String).alias("severity"),
            )
        )

    def add_frame(self, frame: pl.DataFrame) -> None:
        if frame.height:
            self.parts.append(frame.select(list(ISSUE_SCHEMA)).cast(ISSUE_SCHEMA))  # type: ignore[arg-type]

    def frame(self, column_order: list[str]) -> pl.DataFrame:
        if not self.parts:
            issues = pl.DataFrame(schema=ISSUE_SCHEMA)
        else:
            position = {c: i for i, c in enumerate(column_order)}
            issues = pl.concat(self.parts, how="vertical")
            issues = issues.sort(
                "row",
                pl.col("column").replace_strict(position, default=-1, return_dtype=pl.Int32),
                maintain_order=True,
            )
        value = pl.col("value")
        return issues.with_columns(
            value=pl.when(value.str.len_chars() > VALUE_CHARS)
            .then(value.str.slice(0, VALUE_CHARS - 1) + "…")
            .otherwise(value),
        )


def issue_messages(issues: pl.DataFrame) -> pl.Series:
    """One full sentence per issue, naming the row and the column, for display or logs:
    "Baris 7, kolom 'Tgl Lahir': Tanggal 31-02-1990 tidak ada di kalender"."""
    return issues.select(
        pl.when(pl.col("column").is_null())
        .then(pl.format("Baris {}: {}", pl.col("row"), pl.col("problem")))
        .otherwise(
            pl.format(
                "Baris {}, kolom '{}': {}", pl.col("row"), pl.col("column"), pl.col("problem")
            )
        )
        .alias("message")
    ).to_series()


def _rows_text(rows: list[int]) -> str:
    shown = [thousands(r) for r in rows[:ROWS_NAMED]]
    if len(rows) > ROWS_NAMED:
        return ", ".join(shown) + f" dan {thousands(len(rows) - ROWS_NAMED)} baris lain"
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " dan " + shown[-1]


def validate(
    table: RawTable,
    schema: ImportSchema,
    mapping: ColumnMapping,
    *,
    today: date | None = None,
) -> ValidationResult:
    """Parse and check every mapped column of ``table``; see the module docstring for the rules.

    Raises ValueError when ``mapping`` misses a required column (check
    :func:`~lindung.imports.headers.mapping_problems` first: the file cannot be imported then).
    """
    if mapping.missing_required:
        raise ValueError("; ".join(mapping_problems(mapping, schema)))
    frame = table.frame
    n = frame.height
    rows = frame[ROW].cast(pl.Int64) if ROW in frame.columns else pl.int_range(2, n + 2, eager=True)
    issues = _Issues(rows)
    reject = pl.Series("reject", [False] * n, dtype=pl.Boolean)
    by_name = {f.name: f for f in schema.fields}
    fields: list[tuple[str, Field]] = [
        (header, by_name[name])
        for header, name in mapping.columns.items()
        if name in by_name and header in frame.columns
    ]
    fields.sort(key=lambda item: schema.fields.index(item[1]))
    headers = {f.name: header for header, f in fields}
    limit = table.max_cell_chars
    parsed: dict[str, pl.Series] = {}
    nik_status: pl.Series | None = None

    for header, f in fields:
        raw = frame[header].cast(pl.String)
        # 1. Oversized cells: refuse the row, do not parse the cell.
        too_long = pl.Series([False] * n, dtype=pl.Boolean)
        if (raw.str.len_bytes() > limit).any():
            lengths = raw.str.len_chars()
            too_long = (lengths > limit).fill_null(False)
            if too_long.any():
                issues.add(
                    too_long,
                    header,
                    raw.str.slice(0, VALUE_CHARS + 1),
                    _long_messages(lengths, limit),
                    REJECTED,
                )
                reject = reject | too_long
                raw = pl.select(pl.when(~too_long).then(raw)).to_series()

        if f.kind is FieldKind.NIK:
            checked = nik_module.check_series(raw)
            status = checked["nik_status"]
            value = pl.select(pl.when(checked["nik"] != "").then(checked["nik"])).to_series()
            empty = (status == nik_module.NikStatus.EMPTY) & ~too_long
            bad = status.is_in([nik_module.NikStatus.DAMAGED, nik_module.NikStatus.INVALID])
            issues.add(bad, header, raw, checked["nik_message"], FLAGGED)
            if f.required:
                issues.add(empty, header, raw, f"{f.label} wajib diisi", REJECTED)
                reject = reject | empty
            parsed[f.name] = value.alias(f.name)
            nik_status = status.alias("nik_status")
            continue

        values, problem = parse_column(raw, f, today=today)
        has_problem = problem.is_not_null()
        blank = values.is_null() & ~has_problem & ~too_long
        if f.required:
            issues.add(has_problem, header, raw, problem, REJECTED)
            issues.add(blank, header, raw, f"{f.label} wajib diisi", REJECTED)
            reject = reject | has_problem | blank
        else:
            issues.add(has_problem, header, raw, problem + " (dikosongkan)", FLAGGED)
        parsed[f.name] = values.cast(_DTYPES[f.kind]).alias(f.name)

    # 3. NIK against birth date and sex.
    nik_field = next((f for _, f in fields if f.kind is FieldKind.NIK), None)
    if nik_field is not None and nik_status is not None:
        _cross_check(parsed, nik_field.name, nik_status, fields, headers, frame, issues)

    data = pl.DataFrame(list(parsed.values()))
    if nik_status is not None:
        data = data.with_columns(nik_status)
    data = data.with_columns(rows.alias(ROW))
    if not parsed:
        data = pl.DataFrame({ROW: rows})

    # 4–5. Duplicates and natural-key conflicts among the rows still accepted.
    value_columns = list(parsed)
    if value_columns:
        key = [k for k in schema.natural_key if k in parsed]
        suspects = _suspects(data, key or value_columns[:1], reject)
        if suspects.height:
            reject, suspects = _duplicates(suspects, value_columns, reject, issues)
            if key:
                reject = _key_conflicts(
                    suspects, schema, key, value_columns, headers, reject, issues
                )

    accepted = data.filter(~reject)
    issue_frame = issues.frame(frame.columns)
    flagged = (
        issue_frame.filter(pl.col("severity") == FLAGGED)
        .select("row")
        .unique()
        .join(accepted.select(pl.col(ROW).alias("row")), on="row", how="semi")
        .height
    )
    rejected = int(reject.sum())
    return ValidationResult(
        rows=accepted,
        issues=issue_frame,
        total_rows=n,
        accepted_rows=n - rejected,
        rejected_rows=rejected,
        flagged_rows=flagged,
        warnings=list(table.warnings),
    )


def _long_messages(lengths: pl.Series, limit: int) -> pl.Series:
    """Messages for oversized cells (few rows): with Indonesian thousands separators."""
    rows = (lengths > limit).fill_null(False).arg_true()
    text = [
        f"Isi sel terlalu panjang: {thousands(n)} karakter; maksimum {thousands(limit)}"
        for n in lengths.gather(rows).to_list()
    ]
    messages = pl.Series("problem", [None] * len(lengths), dtype=pl.String)
    return messages.scatter(rows, pl.Series(text, dtype=pl.String)) if text else messages


def _cross_check(
    parsed: dict[str, pl.Series],
    nik_name: str,
    status: pl.Series,
    fields: list[tuple[str, Field]],
    headers: dict[str, str],
    frame: pl.DataFrame,
    issues: _Issues,
) -> None:
    """Flag rows whose valid NIK disagrees with the birth date or sex columns."""
    date_field = next(
        (f for _, f in fields if f.kind is FieldKind.DATE and "lahir" in f.name), None
    )
    sex_field = next((f for _, f in fields if f.kind is FieldKind.SEX), None)
    if date_field is None and sex_field is None:
        return
    columns = {"nik": parsed[nik_name], "valid": status == nik_module.NikStatus.VALID}
    if date_field is not None:
        columns["born"] = parsed[date_field.name]
    if sex_field is not None:
        columns["sex"] = parsed[sex_field.name]
    data = pl.DataFrame(columns).with_row_index("__i").filter(pl.col("valid"))
    nik = pl.col("nik")
    dd = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    data = data.with_columns(
        female=dd > 40,
        day=pl.when(dd > 40).then(dd - 40).otherwise(dd),
        mm=nik.str.slice(8, 2).cast(pl.Int32, strict=False),
        yy=nik.str.slice(10, 2).cast(pl.Int32, strict=False),
    )
    n = len(status)
    if date_field is not None:
        born = pl.col("born")
        wrong = data.filter(
            born.is_not_null()
            & (
                (born.dt.day() != pl.col("day"))
                | (born.dt.month() != pl.col("mm"))
                | (born.dt.year() % 100 != pl.col("yy"))
            )
        )
        if wrong.height:
            message = wrong.select(
                "__i",
                p=pl.format(
                    "{} {} tidak cocok dengan NIK (tanggal lahir di NIK: {}-{}-{})",
                    pl.lit(date_field.label),
                    born.dt.to_string("%d-%m-%Y"),
                    pl.col("day").cast(pl.String).str.zfill(2),
                    nik.str.slice(8, 2),
                    nik.str.slice(10, 2),
                ),
            )
            header = headers[date_field.name]
            mask, messages = _spread(message, n)
            issues.add(mask, header, frame[header], messages, FLAGGED)
    if sex_field is not None:
        sex = pl.col("sex")
        wrong = data.filter(
            sex.is_not_null()
            & (sex != pl.when(pl.col("female")).then(pl.lit("P")).otherwise(pl.lit("L")))
        )
        if wrong.height:
            message = wrong.select(
                "__i",
                p=pl.format(
                    "{} {} tidak cocok dengan NIK (NIK menunjukkan {})",
                    pl.lit(sex_field.label),
                    sex,
                    pl.when(pl.col("female"))
                    .then(pl.lit("perempuan: tanggal lahir di NIK ditambah 40"))
                    .otherwise(pl.lit("laki-laki")),
                ),
            )
            header = headers[sex_field.name]
            mask, messages = _spread(message, n)
            issues.add(mask, header, frame[header], messages, FLAGGED)


def _spread(subset: pl.DataFrame, n: int) -> tuple[pl.Series, pl.Series]:
    """(mask, messages) of length ``n`` from a few rows (``__i``, ``p``)."""
    mask = pl.Series([False] * n, dtype=pl.Boolean).scatter(subset["__i"], True)
    messages = pl.Series([None] * n, dtype=pl.String).scatter(subset["__i"], subset["p"])
    return mask, messages


def _suspects(data: pl.DataFrame, key: list[str], reject: pl.Series) -> pl.DataFrame:
    """Rows not yet refused whose natural key (or, without one, first column) repeats: the only
    rows that can be duplicates or conflicts. Hashing one column is much cheaper than all."""
    candidates = data.with_row_index("__i").filter(~reject)
    return candidates.filter(pl.struct(key).is_duplicated())


def _duplicates(
    suspects: pl.DataFrame, columns: list[str], reject: pl.Series, issues: _Issues
) -> tuple[pl.Series, pl.DataFrame]:
    """Refuse every repeat of an identical row (among rows not yet refused), naming the first.
    Returns the new reject mask and the suspects that are not repeats."""
    repeated = suspects.filter(pl.struct(columns).is_duplicated())
    if not repeated.height:
        return reject, suspects
    repeated = repeated.with_columns(first=pl.col(ROW).min().over(columns))
    repeats = repeated.filter(pl.col(ROW) != pl.col("first"))
    issues.add_frame(
        repeats.select(
            pl.col(ROW).alias("row"),
            pl.lit(None, dtype=pl.String).alias("column"),
            pl.lit(None, dtype=pl.String).alias("value"),
            pl.format("Baris duplikat dari baris {}", pl.col("first")).alias("problem"),
            pl.lit(REJECTED).alias("severity"),
        )
    )
    remaining = suspects.join(repeats.select("__i"), on="__i", how="anti")
    return reject.scatter(repeats["__i"], True), remaining


def _key_conflicts(
    suspects: pl.DataFrame,
    schema: ImportSchema,
    key: list[str],
    columns: list[str],
    headers: dict[str, str],
    reject: pl.Series,
    issues: _Issues,
) -> pl.Series:
    """Refuse all rows sharing a natural key but differing in data, each naming the others."""
    candidates = suspects.filter(pl.any_horizontal([pl.col(k).is_not_null() for k in key]))
    if "nik" in key and "nik_status" in candidates.columns:
        candidates = candidates.filter(pl.col("nik_status") == nik_module.NikStatus.VALID)
    conflicts = candidates.filter(pl.struct(key).is_duplicated())
    if not conflicts.height:
        return reject
    others = [c for c in columns if c not in key]
    groups = conflicts.group_by(key, maintain_order=True).agg(
        pl.col(ROW).sort().alias("__rows"),
        *[pl.col(c).n_unique().alias(f"__n_{c}") for c in others],
    )
    labels = {f.name: f.label for f in schema.fields}
    parts: list[dict[str, object]] = []
    for group in groups.iter_rows(named=True):
        differing = [labels[c] for c in others if group[f"__n_{c}"] > 1]
        what = f" ({_join(differing, 'dan')} berbeda)" if differing else ""
        present = [k for k in key if group[k] is not None]  # blank key parts are not named
        key_label = _join([labels[k] for k in present])
        key_value = " / ".join(str(group[k]) for k in present)
        column = headers[present[0]]
        group_rows: list[int] = group["__rows"]
        for row in group_rows:
            rest = [r for r in group_rows if r != row]
            parts.append(
                {
                    "row": row,
                    "column": column,
                    "value": key_value,
                    "problem": f"{key_label} sama dengan baris {_rows_text(rest)} tetapi data "
                    f"berbeda{what}",
                    "severity": REJECTED,
                }
            )
    issues.add_frame(pl.DataFrame(parts, schema=ISSUE_SCHEMA))  # type: ignore[arg-type]
    return reject.scatter(conflicts["__i"], True)


def _join(items: list[str], conjunction: str = "dan") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
