"""LetterData from what Lindung already knows about a company.

Until the compliance status service lands, the figures come straight from the Company row
(labour reports) and the BPJS Employer with the same NPWP. Anything unknown stays ``None`` and
prints as "-": a company without NPWP or NIB still gets its letter.
"""

from __future__ import annotations

from collections.abc import Iterable

from lindung.compliance.models import Company, Employer
from lindung.letters.data import LetterData

MANDATORY = ("JKK", "JKM", "JHT", "JP")


def _place(kabkota_name: str) -> str:
    for prefix in ("Kota ", "Kabupaten ", "Kab. "):
        if kabkota_name.startswith(prefix):
            return kabkota_name[len(prefix) :]
    return kabkota_name


def letter_data(companies: Iterable[Company]) -> list[LetterData]:
    companies = list(companies)
    npwps = {c.npwp for c in companies if c.npwp}
    employers = {e.npwp: e for e in Employer.objects.filter(npwp__in=npwps)} if npwps else {}
    out = []
    for c in companies:
        emp = employers.get(c.npwp) if c.npwp else None
        kab = str(c.kabkota) if c.kabkota_id else ""
        missing: tuple[str, ...] = ()
        if emp is not None and emp.programmes:
            missing = tuple(p for p in MANDATORY if p not in emp.programme_list)
        out.append(
            LetterData(
                nama_perusahaan=c.name,
                company_id=c.pk,
                alamat=c.address,
                kabkota=kab,
                di=_place(kab),
                npwp=c.npwp,
                nib=c.nib,
                npp=emp.npp if emp else "",
                pekerja_dilaporkan=c.employees_reported,
                pekerja_terdaftar=emp.workforce_registered if emp else 0,
                upah_rata_rata=emp.average_wage if emp else None,
                program_belum=missing if emp else MANDATORY,
            )
        )
    return out
