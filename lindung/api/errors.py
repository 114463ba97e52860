"""Error bodies of the API, in Bahasa Indonesia, and the schemas that document them.

Every refusal has the same shape, ``{"detail": "…"}``; bad parameters add one entry per field
under ``errors`` so a calling system can show which field was wrong and why.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    #: where the bad value was: ``["query", "after"]``, ``["path", "nik"]``
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


UNAUTHORIZED = "Token API tidak ada, salah, atau sudah dicabut."
FORBIDDEN = "Peran Anda tidak diizinkan."
NOT_FOUND = "Data tidak ditemukan (atau di luar wilayah Anda)."
INVALID = "Parameter tidak valid."

_MESSAGES = {
    "missing": "wajib diisi",
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "float_parsing": "harus angka",
    "bool_parsing": "harus true atau false",
    "date_parsing": "harus tanggal dengan format YYYY-MM-DD",
    "date_from_datetime_parsing": "harus tanggal dengan format YYYY-MM-DD",
    "string_too_long": "terlalu panjang (paling banyak {max_length} karakter)",
    "string_too_short": "terlalu pendek (paling sedikit {min_length} karakter)",
    "greater_than_equal": "paling kecil {ge}",
    "greater_than": "harus lebih dari {gt}",
    "less_than_equal": "paling besar {le}",
    "less_than": "harus kurang dari {lt}",
    "enum": "harus salah satu dari: {expected}",
    "literal_error": "harus salah satu dari: {expected}",
    "string_pattern_mismatch": "formatnya tidak sesuai",
    "json_invalid": "bukan JSON yang valid",
    "model_attributes_type": "isi permintaan tidak dapat dibaca",
}


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    names = [str(part) for part in loc[1:]] or [str(part) for part in loc]
    return ".".join(names)


def describe(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic/ninja error as ``{"loc", "msg"}``: an Indonesian message naming the field."""
    loc = list(error.get("loc", ()))
    template = _MESSAGES.get(str(error.get("type", "")), "nilai tidak valid")
    try:
        problem = template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        problem = template
    return {"loc": loc, "msg": f"«{_field_name(loc)}» {problem}."}


def validation_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    described = [describe(e) for e in errors]
    summary = " ".join(d["msg"] for d in described[:3])
    return {"detail": f"{INVALID} {summary}".strip(), "errors": described}


def invalid(field: str, source: str, message: str) -> dict[str, Any]:
    """A 422 body for a value the endpoint itself refused (e.g. a NIK that is not a NIK)."""
    return {"detail": message, "errors": [{"loc": [source, field], "msg": message}]}
