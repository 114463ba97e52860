"""Matching the column headers of an uploaded file to the canonical fields of an import schema.

Headers in hand-made files vary endlessly ("NIK", "No. KTP", "nomor_nik", "Tgl. Lahir"), so
matching compares *normalised* text: lowercase, no BOM, and every space, underscore, dot, dash,
slash, parenthesis or other punctuation removed (``"Tgl. Lahir"`` → ``"tgllahir"``). A field is
recognised by its canonical name, its Indonesian label or any of its aliases, all normalised the
same way.

When a required column is missing, :func:`map_columns` proposes the closest unmatched header of
the file (``difflib``), which the preview screen offers as a one-click correction; the user's
corrections come back as ``overrides``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from lindung.imports.schemas import Field, ImportSchema

__all__ = ["ColumnMapping", "field_names", "map_columns", "mapping_problems", "normalise_header"]

_NOT_ALNUM = re.compile(r"[\W_]+")  # Unicode-aware: keeps letters and digits of any script

#: Minimum similarity (0–1) for a file header to be suggested for a missing field.
SUGGESTION_CUTOFF = 0.6


def normalise_header(text: object) -> str:
    """Canonical comparison form of a header: ``"  Tgl. Lahir "`` → ``"tgllahir"``.

    NFKC-normalised (full-width letters, ligatures), case-folded, and stripped of everything that
    is not a letter or a digit (spaces, ``_ . - / ( )``, BOM, non-breaking spaces, ``*`` marks
    for required columns, …). Idempotent.
    """
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text)).casefold()
    return _NOT_ALNUM.sub("", value)


def field_names(f: Field) -> list[str]:
    """Every normalised spelling that identifies ``f``: name, label, aliases (no duplicates)."""
    seen: dict[str, None] = {}
    for spelling in (f.name, f.label, *f.aliases):
        key = normalise_header(spelling)
        if key:
            seen.setdefault(key, None)
    return list(seen)


@dataclass
class ColumnMapping:
    """Which file column feeds which canonical field.

    ``columns``: original header text → canonical field name (only the used columns);
    ``missing_required``: required fields with no column; ``unknown``: headers not used;
    ``suggestions``: missing field → the most similar unused header; ``duplicates``: headers that
    would feed a field already fed by an earlier column (the first one wins, the others are left
    out and reported).
    """

    columns: dict[str, str] = field(default_factory=dict)
    missing_required: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    suggestions: dict[str, str] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    #: duplicate header → the field it would have fed
    duplicate_of: dict[str, str] = field(default_factory=dict)

    def header_of(self, field_name: str) -> str | None:
        """The file header mapped to ``field_name``, if any."""
        return next((h for h, f in self.columns.items() if f == field_name), None)


def _index(schema: ImportSchema) -> dict[str, str]:
    """Normalised spelling → field name; on a clash the earlier field keeps the spelling."""
    index: dict[str, str] = {}
    for f in schema.fields:
        for key in field_names(f):
            index.setdefault(key, f.name)
    return index


def _similarity(header_key: str, spellings: Iterable[str]) -> float:
    best = 0.0
    for spelling in spellings:
        if not spelling or not header_key:
            continue
        ratio = difflib.SequenceMatcher(None, header_key, spelling).ratio()
        shorter, longer = sorted((header_key, spelling), key=len)
        if len(shorter) >= 3 and shorter in longer:  # "niknasabah" contains "nik"
            ratio = max(ratio, 0.85)
        best = max(best, ratio)
    return best


def map_columns(
    headers: Iterable[str],
    schema: ImportSchema,
    overrides: Mapping[str, str | None] | None = None,
) -> ColumnMapping:
    """Map file headers to the fields of ``schema``.

    ``overrides`` (from the preview screen) maps an original header to a canonical field name, or
    to ``""``/``None`` to ignore that column; it takes precedence over automatic matching. An
    override naming a field that is not in the schema is ignored (the header stays unknown).
    Columns are taken in file order; when two columns resolve to the same field, the first wins
    and the other is listed in ``duplicates`` (unless the override explicitly chose it, in which
    case the override wins).
    """
    headers = [h for h in headers if h != "__row"]
    overrides = dict(overrides or {})
    valid = {f.name for f in schema.fields}
    index = _index(schema)

    chosen: dict[str, str] = {}  # header → field
    # Explicit user choices first, so they win over automatic matches.
    for header in headers:
        if header in overrides:
            target = overrides[header]
            if target and target in valid and target not in chosen.values():
                chosen[header] = target
    mapping = ColumnMapping()
    for header in headers:
        if header in chosen:
            continue
        if header in overrides:  # explicitly ignored, or an invalid / repeated choice
            target = overrides[header]
            if target and target in valid:
                mapping.duplicates.append(header)
                mapping.duplicate_of[header] = target
            else:
                mapping.unknown.append(header)
            continue
        target = index.get(normalise_header(header))
        if target is None:
            mapping.unknown.append(header)
        elif target in chosen.values():
            mapping.duplicates.append(header)
            mapping.duplicate_of[header] = target
        else:
            chosen[header] = target
    mapping.columns = {h: chosen[h] for h in headers if h in chosen}

    mapped = set(mapping.columns.values())
    mapping.missing_required = [
        f.name for f in schema.fields if f.required and f.name not in mapped
    ]

    # Suggestions: best unused header per missing field, each header offered once, required
    # fields first (they matter most), then the require_one_of groups, then the optional ones.
    grouped = {name for group in schema.require_one_of for name in group}
    order = sorted(
        (f for f in schema.fields if f.name not in mapped),
        key=lambda f: 0 if f.required else 1 if f.name in grouped else 2,
    )
    candidates = {h: normalise_header(h) for h in mapping.unknown}
    for f in order:
        spellings = field_names(f)
        scored = [
            (_similarity(key, spellings), -i, h)
            for i, (h, key) in enumerate(candidates.items())
            if key
        ]
        if not scored:
            break
        score, _, header = max(scored)
        if score >= SUGGESTION_CUTOFF:
            mapping.suggestions[f.name] = header
            del candidates[header]
    return mapping


def _join(items: list[str], conjunction: str = "atau") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def mapping_problems(mapping: ColumnMapping, schema: ImportSchema) -> list[str]:
    """Indonesian sentences describing what prevents this mapping from being used.

    An empty list means the file can be validated. Covers missing required columns (with the
    closest file header, or else the accepted spellings), unmet ``require_one_of`` groups, and
    columns that duplicate another column's field.
    """
    problems: list[str] = []
    mapped = set(mapping.columns.values())

    def accepted(f: Field) -> str:
        names = [f.name, *f.aliases][:6]
        more = "" if len(f.aliases) + 1 <= 6 else ", …"
        return ", ".join(names) + more

    for name in mapping.missing_required:
        f = schema.field(name)
        text = f"Kolom wajib '{f.label}' ({f.name}) tidak ditemukan."
        suggestion = mapping.suggestions.get(name)
        if suggestion:
            text += f" Kolom '{suggestion}' di file mirip — pilih sebagai {f.label}?"
        else:
            names = accepted(f)
            text += f" Beri judul kolom salah satu dari: {names}" + (
                "" if names[-1] == "…" else "."
            )
        problems.append(text)

    for group in schema.require_one_of:
        if mapped.intersection(group):
            continue
        fields = [schema.field(name) for name in group]
        labels = _join([f"'{f.label}' ({f.name})" for f in fields])
        text = f"Salah satu kolom {labels} harus ada."
        hints = [
            f"kolom '{mapping.suggestions[f.name]}' mirip {f.label}"
            for f in fields
            if f.name in mapping.suggestions
        ]
        if hints:
            text += " Di file: " + "; ".join(hints) + " — pilih salah satunya?"
        problems.append(text)

    index = _index(schema)
    for header in mapping.duplicates:
        f_name = mapping.duplicate_of.get(header) or index.get(normalise_header(header))
        first = mapping.header_of(f_name) if f_name else None
        if f_name and first:
            label = schema.field(f_name).label
            problems.append(
                f"Kolom '{header}' dan '{first}' sama-sama dibaca sebagai {label}; hanya "
                f"'{first}' yang dipakai. Pilih kolom yang benar atau abaikan salah satunya."
            )
        else:
            problems.append(
                f"Kolom '{header}' dipilih untuk isian yang sudah diisi kolom lain; kolom ini "
                "diabaikan."
            )
    return problems
