"""LetterData from the compliance finding of each company.

The figures a letter cites are the ones the compliance status service recorded as evidence
(``CompanyStatus.evidence``): workers reported and registered, the wage registered with BPJS
against the applicable UMK/UMP, and the programmes its size makes mandatory that it lacks. A
company without a computed status (or without NPWP/NIB) still gets its letter; what is unknown
prints as "-".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from lindung.compliance.cases import Stage
from lindung.compliance.models import Company, CompanyStatus
from lindung.compliance.services import company_queryset
from lindung.letters.data import LetterData
from lindung.letters.models import LetterKind


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


# --- choosing the companies of a batch -------------------------------------------------------

#: Case-stage filter of the company picker; the "…_lewat" ones are cases whose deadline has
#: passed without a pause, i.e. those due for the next letter (as ``cases_service.next_step``).
STAGE_FILTERS = (
    ("belum_surat", gettext_lazy("Belum ada surat")),
    ("imbauan_lewat", gettext_lazy("Imbauan lewat batas waktu")),
    ("teguran_1_lewat", gettext_lazy("Teguran I lewat batas waktu")),
    ("teguran_2_lewat", gettext_lazy("Teguran II lewat batas waktu")),
    ("berjalan", gettext_lazy("Menunggu tanggapan (belum jatuh tempo)")),
    ("selesai", gettext_lazy("Kasus selesai")),
)
#: The letter a stage filter calls for: preselected as the kind of the batch.
NEXT_KIND = {
    "belum_surat": LetterKind.IMBAUAN,
    "imbauan_lewat": LetterKind.TEGURAN_1,
    "teguran_1_lewat": LetterKind.TEGURAN_2,
    "teguran_2_lewat": LetterKind.REKOMENDASI_SANKSI,
}
_OVERDUE = {
    "imbauan_lewat": Stage.IMBAUAN,
    "teguran_1_lewat": Stage.TEGURAN_1,
    "teguran_2_lewat": Stage.TEGURAN_2,
}


@dataclass(frozen=True)
class PickerFilter:
    """What the clerk filtered the companies by; GET parameters of /surat/, echoed in the POST
    so that "all matching companies" means the same list the clerk saw."""

    kabkota: str = ""
    status: str = ""
    tahap: str = ""
    q: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> PickerFilter:
        return cls(**{f.name: str(data.get(f.name, "")).strip() for f in fields(cls)})

    def as_query(self) -> dict[str, str]:
        """The non-empty filters, for links and hidden fields."""
        return {k: v for k, v in asdict(self).items() if v}


def _by_stage(qs: QuerySet[Company], stage: str, today: dt.date) -> QuerySet[Company]:
    overdue = Q(case__deadline__lt=today, case__paused=False)
    if stage == "belum_surat":
        return qs.filter(case__isnull=True)
    if stage in _OVERDUE:
        return qs.filter(overdue, case__stage=_OVERDUE[stage])
    if stage == "berjalan":
        return qs.filter(case__isnull=False).exclude(case__stage=Stage.SELESAI).exclude(overdue)
    if stage == "selesai":
        return qs.filter(case__stage=Stage.SELESAI)
    return qs


def candidates(user: Any, picked: PickerFilter, today: dt.date | None = None) -> QuerySet[Company]:
    """Companies in ``user``'s region matching the picker's filters, with status and case.

    Digits only in the search box look up the NIB or NPWP; anything else the name.
    """
    digits = picked.q.replace(".", "").replace("-", "")
    by_number = digits.isdigit()
    qs = company_queryset(
        user, kabkota=picked.kabkota, status=picked.status, q="" if by_number else picked.q
    )
    if by_number:
        qs = qs.filter(Q(nib__startswith=digits) | Q(npwp__startswith=digits))
    qs = _by_stage(qs, picked.tahap, today or timezone.localdate())
    return qs.select_related("case")
