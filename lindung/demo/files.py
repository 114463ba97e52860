"""Generated workers in the shape of a regency's import file, for tests, benchmarks and demos."""

from __future__ import annotations

import polars as pl

#: generator column → column of the workers import template (canonical field names)
IMPORT_COLUMNS = {
    "nik": "nik",
    "name": "nama",
    "birth_date": "tanggal_lahir",
    "sex": "jenis_kelamin",
    "address": "alamat",
    "desa_id": "kode_wilayah",
    "occupation": "pekerjaan",
    "monthly_income": "penghasilan_bulanan",
    "poverty_decile": "desil",
    "source": "sumber_data",
}


def workers_import_frame(generated: pl.DataFrame) -> pl.DataFrame:
    """The columns an office would send, named as in Lindung's import template."""
    return generated.select(pl.col(src).alias(dst) for src, dst in IMPORT_COLUMNS.items())
