"""``lindung load-regions``: upsert the shipped region reference data into ``Region``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lindung.regions.services import sync_reference_regions


class Command(BaseCommand):
    help = (
        "Load the shipped region reference data (all provinces and kab/kota of Indonesia, every "
        "kecamatan and desa/kelurahan of Kalimantan Timur). Idempotent: safe to run again."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--database", default=None, help="Database alias to load into (default: routed)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = sync_reference_regions(using=options["database"])
        for level, count in result.counts.items():
            self.stdout.write(f"{level:<10} {count:>6}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference regions loaded: {sum(result.counts.values())} "
                f"({result.created} created, {result.updated} updated)."
            )
        )
