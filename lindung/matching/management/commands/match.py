"""``lindung match [--kabkota 64.72]``: match the registry against the participants now."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lindung.audit.services import acting_as
from lindung.core.formats import thousands
from lindung.matching.models import CoverageStatus
from lindung.matching.services import run_matching
from lindung.regions.models import Region


class Command(BaseCommand):
    help = "Cocokkan registri pekerja dengan data peserta BPJS TK terbaru (status cakupan)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kabkota", help="Kode kab/kota, mis. 64.72 (default: semua).")

    def handle(self, *args: Any, kabkota: str | None = None, **options: Any) -> None:
        if kabkota and not Region.objects.filter(code=kabkota, level="kabkota").exists():
            raise CommandError(f"Kab/kota tidak dikenal: {kabkota}")
        with tqdm(total=100, desc="Pencocokan", unit="%", file=sys.stderr) as bar:

            def progress(percent: int, stage: str) -> None:
                bar.set_description(stage[:40])
                bar.update(max(0, percent - bar.n))

            with acting_as(label="cli"):
                run = run_matching(progress, kabkota=kabkota)
        counts = run.counts
        lines = [
            f"{label}: {thousands(counts.get(value, 0))}" for value, label in CoverageStatus.choices
        ]
        self.stdout.write("\n".join(lines))
        self.stdout.write(
            self.style.SUCCESS(
                f"Pencocokan #{run.pk}: {thousands(counts.get('workers', 0))} pekerja, "
                f"{thousands(counts.get('participants', 0))} peserta, "
                f"{thousands(counts.get('duplicates', 0))} usulan ganda, "
                f"{thousands(run.seconds or 0, 1)} dtk."
            )
        )
