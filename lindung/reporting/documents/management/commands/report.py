"""``lindung report monthly|brief|budget``: make a report, archive it, optionally copy it out.

For the schedule (cron or a systemd timer, see docs/architecture.md) run, for example on the
first of each month: ``lindung report monthly --month previous --all-regions``; the province
version and one per kab/kota land in the archive, where each operator finds their own.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lindung.audit.services import acting_as
from lindung.core.formats import thousands
from lindung.programmes.models import Programme
from lindung.programmes.services import programmes_for
from lindung.regions.models import Region
from lindung.regions.reference import KALTIM
from lindung.reporting.documents import services
from lindung.reporting.documents.content import first_of_month, viewer
from lindung.reporting.documents.models import ReportFile, ReportKind
from lindung.reporting.documents.views import parse_month
from lindung.subsidy.premiums import add_months

KINDS = {"monthly": ReportKind.MONTHLY, "brief": ReportKind.BRIEF, "budget": ReportKind.BUDGET}


class Command(BaseCommand):
    help = (
        "Buat laporan (monthly = cakupan bulanan, brief = ringkasan pimpinan, budget = ringkasan "
        "anggaran program) dalam PDF dan XLSX, simpan di arsip Laporan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("--month", help="TTTT-BB, 'previous' (bulan lalu); bawaan: bulan ini")
        parser.add_argument("--programme", type=int, help="ID program (untuk budget)")
        parser.add_argument("--kabkota", help="kode kab/kota, mis. 64.72: versi kab/kota itu")
        parser.add_argument(
            "--all-regions",
            action="store_true",
            help="versi provinsi dan satu versi per kabupaten/kota",
        )
        parser.add_argument("--out", type=Path, help="salin PDF dan XLSX juga ke folder ini")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = KINDS[options["kind"]]
        month = self._month(options["month"])
        programme = self._programme(kind, options["programme"])
        scopes = self._scopes(options["kabkota"], options["all_regions"])
        if programme is not None and options["all_regions"]:
            # a programme's brief for each region it concerns, not for kab/kota it never targets
            scopes = [k for k in scopes if _concerns(programme, k)]
        with acting_as(label="lindung report"):
            for kabkota in scopes:
                try:
                    report = services.generate(
                        kind, viewer(kabkota), month=month, programme=programme, scheduled=True
                    )
                except services.ReportError as error:
                    raise CommandError(str(error)) from error
                self._copy(report, options["out"])
                self.stdout.write(
                    f"{report.title}: {report.pages} halaman, {thousands(report.seconds, 2)} detik "
                    f"→ {report.pdf.name}, {report.xlsx.name}"
                )

    def _month(self, value: str | None) -> Any:
        if not value:
            return None
        if value == "previous":
            return add_months(first_of_month(timezone.localdate()), -1)
        try:
            return parse_month(value)
        except services.ReportError as error:
            raise CommandError(str(error)) from error

    def _programme(self, kind: str, pk: int | None) -> Programme | None:
        if kind != ReportKind.BUDGET:
            return None
        if pk is None:
            raise CommandError("Ringkasan anggaran perlu --programme ID.")
        programme = Programme.objects.filter(pk=pk).first()
        if programme is None:
            raise CommandError(f"Program dengan ID {pk} tidak ada.")
        return programme

    def _scopes(self, kabkota: str | None, all_regions: bool) -> list[str | None]:
        codes = list(
            Region.objects.filter(
                level=Region.Level.KABKOTA, code__startswith=KALTIM + "."
            ).values_list("code", flat=True)
        )
        if kabkota and kabkota not in codes:
            raise CommandError(f"Kabupaten/kota «{kabkota}» tidak dikenal (contoh: 64.72).")
        if all_regions:
            return [None, *codes]
        return [kabkota or None]

    def _copy(self, report: ReportFile, out: Path | None) -> None:
        if out is None:
            return
        out.mkdir(parents=True, exist_ok=True)
        for stored in (report.pdf, report.xlsx):
            with (
                stored.open("rb") as source,
                (out / Path(str(stored.name)).name).open("wb") as target,
            ):
                shutil.copyfileobj(source, target)


def _concerns(programme: Programme, kabkota: str | None) -> bool:
    return programmes_for(viewer(kabkota)).filter(pk=programme.pk).exists()
