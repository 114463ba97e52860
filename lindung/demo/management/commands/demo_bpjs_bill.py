"""``lindung demo-bpjs-bill PROGRAMME --month YYYY-MM --out FILE``: a BPJS TK bill for the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lindung.audit.services import acting_as
from lindung.demo.bpjs import write_bill
from lindung.enrolment.common import EnrolmentError
from lindung.programmes.models import Programme
from lindung.reporting.documents.services import ReportError
from lindung.reporting.documents.views import parse_month


class Command(BaseCommand):
    help = (
        "Buat file tagihan iuran BPJS TK contoh untuk satu bulan program, dengan tiga selisih "
        "untuk ditemukan rekonsiliasi (1 bukan penerima, 1 tidak ditagih, 1 nominal beda). "
        "Hanya demo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("programme", type=int, help="ID program")
        parser.add_argument("--month", help="TTTT-BB; bawaan: bulan ini")
        parser.add_argument("--out", type=Path, required=True, help="file .xlsx atau .csv")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(
        self, *args: Any, programme: int, month: str | None, out: Path, seed: int, **options: Any
    ) -> None:
        if not settings.DEBUG:
            raise CommandError("demo-bpjs-bill hanya untuk mode demo (LINDUNG_DEBUG=1).")
        found = Programme.objects.filter(pk=programme).first()
        if found is None:
            raise CommandError(f"Program {programme} tidak ada.")
        try:
            day = parse_month(month) if month else timezone.localdate()
            with acting_as(label="lindung demo-bpjs-bill"):
                written = write_bill(found, day, out, seed=seed)
        except (EnrolmentError, ReportError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{written.path}: tagihan {found.name}, {written.summary}.")
