"""``lindung demo-data --workers N --seed S [--replace]``: fill the registry with demo workers.

Generates a realistic, seeded registry (:func:`lindung.demo.generator.generate_workers`) and loads
it with COPY/executemany (:func:`lindung.demo.services.load_workers`), with a progress bar on
stderr. Refuses to add to a registry that already has workers unless ``--replace`` is given,
which first removes them all.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from lindung.audit.services import acting_as
from lindung.core.formats import thousands
from lindung.demo.generator import generate_workers
from lindung.demo.services import clear_demo_workers, load_workers
from lindung.regions.models import Region
from lindung.registry.models import Worker


class Command(BaseCommand):
    help = (
        "Isi registri dengan data pekerja rentan contoh (realistis, dapat diulang dengan --seed). "
        "Fill the registry with seeded demo workers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers", type=int, default=50_000, help="Jumlah baris (default 50000)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Benih acak (default 1).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Hapus semua pekerja yang ada sebelum memuat data demo.",
        )
        parser.add_argument(
            "--no-damage",
            action="store_true",
            help="Tanpa NIK/nama rusak (default: ~3%% baris rusak seperti file Excel asli).",
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="Baris per batch.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Izinkan --replace di luar mode demo (LINDUNG_DEBUG=0).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers: int = options["workers"]
        seed: int = options["seed"]
        if workers < 1:
            raise CommandError("--workers harus minimal 1.")
        if not Region.objects.filter(code="64").exists():
            raise CommandError(
                "Data wilayah belum dimuat: jalankan `lindung migrate` "
                "(atau `lindung load-regions`)."
            )
        existing = Worker.objects.count()
        if existing and not options["replace"]:
            raise CommandError(
                f"Registri sudah berisi {thousands(existing)} pekerja; "
                "data demo tidak ditambahkan. "
                "Gunakan --replace untuk menghapus semuanya dan memuat data demo."
            )
        if existing and not settings.DEBUG and not options["force"]:
            raise CommandError(
                "--replace menghapus seluruh registri: di luar mode demo (LINDUNG_DEBUG=0) "
                "tambahkan --force bila memang itu maksudnya."
            )

        started = time.perf_counter()
        frame = generate_workers(workers, seed, damage=not options["no_damage"])
        generated = time.perf_counter()
        # Clearing and loading in one transaction: a failed load leaves the old registry intact.
        with acting_as(label="demo-data"), transaction.atomic():
            if existing:
                removed = clear_demo_workers()
                self.stderr.write(f"{thousands(removed)} pekerja lama dihapus.")
            with tqdm(
                total=frame.height, desc="Memuat pekerja", unit=" baris", file=sys.stderr
            ) as bar:
                count = load_workers(
                    frame, batch_size=options["batch_size"], seed=seed, progress=bar.update
                )
        finished = time.perf_counter()
        self.stdout.write(
            self.style.SUCCESS(
                f"{thousands(count)} pekerja demo dimuat (seed {seed}) dalam "
                f"{thousands(finished - started, 1)} dtk (buat "
                f"{thousands(generated - started, 1)} dtk, "
                f"simpan {thousands(finished - generated, 1)} dtk)."
            )
        )
