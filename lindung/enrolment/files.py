"""Reading BPJS files (answers, invoices) through the import readers, all or nothing.

Files from BPJS TK arrive as CSV or Excel in whatever shape an office produced. They go through
the same reader, header matching and cell parsers as every other import
(:mod:`lindung.imports`), but unlike a registry import nothing is ever partly applied: *any*
problem — an unreadable cell, a damaged NIK, a duplicate row — refuses the whole file with every
problem listed, so the officer fixes the file and uploads it again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import polars as pl
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from lindung.core.formats import thousands
from lindung.imports.headers import ColumnMapping, map_columns, mapping_problems
from lindung.imports.reading import ROW, FileRefused, RawTable, read_table
from lindung.imports.schemas import Field, FieldKind, ImportSchema, _nik
from lindung.imports.validate import validate

#: Problems listed before "… dan N masalah lain".
PROBLEMS_SHOWN = 50


class FileProblems(Exception):
    """The file cannot be applied. ``problems``: Indonesian sentences, each naming its row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:3]))
        self.problems = problems

    @property
    def shown(self) -> list[str]:
        """At most :data:`PROBLEMS_SHOWN` sentences, the last one saying how many were left."""
        if len(self.problems) <= PROBLEMS_SHOWN:
            return self.problems
        rest = len(self.problems) - PROBLEMS_SHOWN + 1
        more = _("… dan %(n)s masalah lain.") % {"n": thousands(rest)}
        return [*self.problems[: PROBLEMS_SHOWN - 1], more]


NIK = replace(_nik(), required=False)
PARTICIPANT_NUMBER = Field(
    "nomor_peserta",
    FieldKind.TEXT,
    "Nomor peserta (KPJ)",
    ("kpj", "no_kpj", "nomor_kpj", "no_peserta", "nomor_kartu", "participant_number"),
    max_length=20,
)

ANSWER = ImportSchema(
    kind="jawaban_bpjs",
    label="Jawaban pendaftaran BPJS",
    fields=(
        NIK,
        Field(
            "id_baris",
            FieldKind.TEXT,
            "ID baris",
            ("id", "reference", "referensi", "no_referensi", "nomor_referensi", "row_id"),
            max_length=60,
        ),
        Field(
            "status",
            FieldKind.ENUM,
            "Status",
            ("status_pendaftaran", "hasil", "status_kepesertaan", "keputusan"),
            required=True,
            choices={
                **dict.fromkeys(
                    ("terdaftar", "diterima", "berhasil", "sukses", "aktif", "registered"),
                    "terdaftar",
                ),
                **dict.fromkeys(("ditolak", "tolak", "gagal", "rejected"), "ditolak"),
            },
        ),
        PARTICIPANT_NUMBER,
        Field(
            "tanggal_mulai",
            FieldKind.DATE,
            "Tanggal mulai",
            (
                "tgl_mulai",
                "tmt",
                "tmt_kepesertaan",
                "tanggal_efektif",
                "tgl_efektif",
                "mulai_perlindungan",
                "tanggal_kepesertaan",
            ),
        ),
        Field(
            "alasan",
            FieldKind.TEXT,
            "Alasan",
            ("alasan_ditolak", "alasan_penolakan", "keterangan", "catatan", "reason"),
        ),
    ),
    natural_key=(),
    require_one_of=(("nik", "id_baris"),),
)

INVOICE = ImportSchema(
    kind="tagihan_bpjs",
    label="Tagihan iuran BPJS",
    fields=(
        PARTICIPANT_NUMBER,
        NIK,
        Field("nama", FieldKind.TEXT, "Nama", ("nama_peserta", "nama_tenaga_kerja", "name")),
        Field(
            "iuran",
            FieldKind.MONEY,
            "Iuran",
            (
                "jumlah",
                "nominal",
                "tagihan",
                "jumlah_iuran",
                "total_iuran",
                "iuran_bulan",
                "jumlah_tagihan",
                "amount",
            ),
            required=True,
        ),
    ),
    natural_key=(),
    require_one_of=(("nomor_peserta", "nik"),),
)


def read_rows(path: Path, schema: ImportSchema) -> pl.DataFrame:
    """The file's rows parsed by ``schema`` (one column per mapped field, plus ``__row``), or
    :class:`FileProblems` listing everything wrong with it."""
    try:
        table = read_table(path, max_bytes=settings.LINDUNG_MAX_UPLOAD_BYTES)
    except FileRefused as exc:
        raise FileProblems([exc.message]) from exc
    mapping = map_columns(table.headers, schema)
    problems = mapping_problems(mapping, schema)
    if problems:
        raise FileProblems(problems)
    result = validate(*_rows_kept_apart(table, schema, mapping))
    if result.issues.height:
        raise FileProblems(result.messages)
    rows = result.rows.drop(_LINE)
    for f in schema.fields:  # absent optional columns read as blank
        if f.name not in rows.columns:
            rows = rows.with_columns(pl.lit(None, dtype=pl.String).alias(f.name))
    return rows


#: A column holding each row's own number: no two rows are ever "exact duplicates" to the
#: validator, because a repeated line means something here (the same person billed twice, or
#: answered twice) and the services name it in their own words.
_LINE = "__baris"


def _rows_kept_apart(
    table: RawTable, schema: ImportSchema, mapping: ColumnMapping
) -> tuple[RawTable, ImportSchema, ColumnMapping]:
    line = Field(_LINE, FieldKind.TEXT, "Nomor baris")
    frame = table.frame.with_columns(pl.col(ROW).cast(pl.String).alias(_LINE))
    mapping.columns[_LINE] = _LINE
    return (
        replace(table, frame=frame),
        replace(schema, fields=(*schema.fields, line)),
        mapping,
    )


@contextmanager
def upload_path(upload: UploadedFile) -> Iterator[Path]:
    """A path on disk for an uploaded file (the readers detect the format from its bytes)."""
    existing = getattr(upload, "temporary_file_path", None)
    if existing is not None:
        yield Path(existing())
        return
    with tempfile.NamedTemporaryFile(prefix="lindung-bpjs-") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        yield Path(handle.name)
