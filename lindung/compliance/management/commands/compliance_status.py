"""``lindung compliance-status [--year 2026] [--no-match]``: match companies, then statuses."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from lindung.audit.services import acting_as
from lindung.compliance.matching import match_companies
from lindung.compliance.models import Company
from lindung.compliance.status import recompute_statuses
from lindung.core.formats import thousands


class Command(BaseCommand):
    help = "Cocokkan perusahaan dengan pemberi kerja BPJS dan hitung status kepatuhan."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, default=None, help="Tahun acuan upah minimum.")
        parser.add_argument(
            "--no-match", action="store_true", help="Lewati pencocokan; hitung status saja."
        )

    def handle(self, *args: Any, year: int | None, no_match: bool, **options: Any) -> None:
        quiet = options.get("verbosity", 1) == 0
        with acting_as(label="cli"):
            if not no_match:
                with tqdm(total=2, desc="Pencocokan", disable=quiet) as bar:
                    matched = match_companies(progress=bar)
                self.stdout.write(
                    f"Pencocokan: {thousands(matched.automatic)} otomatis, "
                    f"{thousands(matched.review)} perlu tinjauan, "
                    f"{thousands(matched.kept_decisions)} keputusan petugas dipertahankan "
                    f"({thousands(matched.seconds, 1)} detik)."
                )
            total = Company.objects.count()
            with tqdm(total=total, desc="Status kepatuhan", disable=quiet) as bar:
                result = recompute_statuses(year, progress=bar)
        counts = ", ".join(f"{k}: {thousands(v)}" for k, v in result.counts.items())
        self.stdout.write(f"Status {result.year} ({thousands(result.seconds, 1)} detik): {counts}.")
