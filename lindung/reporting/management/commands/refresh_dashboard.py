"""``lindung refresh-dashboard``: rebuild the dashboard's summary tables and this month's
snapshot now (also queued automatically after matching runs and worker imports)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from lindung.core.formats import thousands
from lindung.reporting.summary import refresh_summaries, take_snapshot


class Command(BaseCommand):
    help = "Perbarui ringkasan dasbor dan potret bulan ini dari registri dan data cakupan."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-snapshot", action="store_true", help="Jangan ambil potret bulan ini."
        )

    def handle(self, *args: Any, no_snapshot: bool, **options: Any) -> None:
        quiet = options.get("verbosity", 1) == 0
        with tqdm(total=2, desc="Ringkasan dasbor", disable=quiet) as bar:
            result = refresh_summaries()
            bar.update(1)
            snapshot = 0 if no_snapshot else take_snapshot()
            bar.update(1)
        self.stdout.write(
            f"Ringkasan v{result.version}: {thousands(result.workers)} pekerja, "
            f"{thousands(result.cells)} sel, {thousands(result.region_rows)} baris wilayah "
            f"dalam {thousands(result.seconds, 1)} detik"
            + (f"; potret bulan ini: {thousands(snapshot)} baris." if snapshot else ".")
        )
