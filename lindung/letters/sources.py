"""LetterData from the compliance finding of each company.

The figures a letter cites are the ones the compliance status service recorded as evidence
(``CompanyStatus.evidence``): workers reported and registered, the wage registered with BPJS
against the applicable UMK/UMP, and the programmes its size makes mandatory that it lacks. A
company without a computed status (or without NPWP/NIB) still gets its letter; what is unknown
prints as "-".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lindung.compliance.models import Company, CompanyStatus
from lindung.letters.data import LetterData


def _place(kabkota_name: str) -> str:
    for prefix in ("Kota ", "Kabupaten ", "Kab. "):
        if kabkota_name.startswith(prefix):
            return kabkota_name[len(prefix) :]
    return kabkota_name


def _missing_programmes(evidence: dict[str, Any]) -> tuple[str, ...]:
    have = set(evidence.get("program_terdaftar") or [])
    return tuple(p for p in evidence.get("program_wajib") or [] if p not in have)


def letter_data(companies: Iterable[Company]) -> list[LetterData]:
    companies = list(companies)
    statuses = CompanyStatus.objects.filter(company__in=companies).values_list(
        "company_id", "evidence"
    )
    evidence_of: dict[int, dict[str, Any]] = dict(statuses)
    out = []
    for c in companies:
        evidence = evidence_of.get(c.pk, {})
        minimum = evidence.get("upah_minimum") or {}
        kab = str(c.kabkota) if c.kabkota_id else ""
        out.append(
            LetterData(
                nama_perusahaan=c.name,
                company_id=c.pk,
                alamat=c.address,
                kabkota=kab,
                di=_place(kab),
                npwp=c.npwp,
                nib=c.nib,
                npp=", ".join(evidence.get("npp") or []),
                pekerja_dilaporkan=c.employees_reported,
                pekerja_terdaftar=evidence.get("pekerja_terdaftar") or 0,
                upah_rata_rata=evidence.get("upah_terdaftar"),
                umk=minimum.get("besaran"),
                program_belum=_missing_programmes(evidence),
            )
        )
    return out
