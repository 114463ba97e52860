"""``lindung import workers|participants|companies|employers FILE``: the import, from a terminal.

Same pipeline as the browser, run in this process with a progress bar on stderr. Exits
non-zero when the file is refused (wrong format, missing columns, …); the validation report is
written as XLSX next to the file unless ``--report`` says where.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lindung.accounts.models import User
from lindung.audit.services import acting_as
from lindung.imports import pipeline
from lindung.imports.loaders import LoadContext
from lindung.imports.report import SUMMARY_LABELS, write_report
from lindung.imports.schemas import SCHEMAS


class Command(BaseCommand):
    help = "Impor pekerja, peserta BPJS, perusahaan atau pemberi kerja dari CSV/XLSX/Parquet."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(SCHEMAS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="Sumber data, mis. 'DTKS 2025'.")
        parser.add_argument("--proposer", default="64", help="Kode instansi pengusul (pekerja).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Validasi saja, tidak menyimpan."
        )
        parser.add_argument("--report", type=Path, help="Tulis laporan XLSX ke sini.")
        parser.add_argument("--user", help="Nama pengguna yang dicatat di log audit.")

    def handle(self, *args: Any, kind: str, file: Path, **opts: Any) -> None:
        if not file.is_file():
            raise CommandError(f"File tidak ditemukan: {file}")
        user = User.objects.filter(username=opts["user"]).first() if opts["user"] else None
        context = LoadContext(
            user=user, proposer_code=opts["proposer"], source=opts["source"] or file.name,
            scope_kabkota=None, dry_run=opts["dry_run"],
        )  # fmt: skip
        bar = tqdm(total=100, desc="Impor", unit="%", file=sys.stderr, leave=True)

        def progress(percent: int, stage: str) -> None:
            bar.update(max(0, percent - bar.n))
            bar.set_description(stage)

        with acting_as(user, label=None if user else "cli"):
            outcome = pipeline.run(file, kind, context=context, progress=progress)
        bar.update(100 - bar.n)
        bar.close()
        if outcome.refused:
            raise CommandError("File ditolak:\n  " + "\n  ".join(outcome.messages))
        for message in outcome.messages:
            self.stderr.write(message)
        self._summary(outcome, file, opts["report"], opts["dry_run"])

    def _summary(
        self, outcome: pipeline.Outcome, file: Path, report: Path | None, dry: bool
    ) -> None:
        verb = "(uji coba, tidak disimpan)" if dry else "disimpan"
        self.stdout.write(f"Impor {outcome.kind} {verb}:")
        for key, label in SUMMARY_LABELS.items():
            self.stdout.write(f"  {label:<20} {outcome.counts.get(key, 0):>10,}".replace(",", "."))
        if outcome.issues is not None and outcome.issues.height:
            path = report or file.with_name(file.stem + "-laporan.xlsx")
            write_report(path, outcome.issues, outcome.counts, f"{outcome.kind} · {file.name}")
            self.stdout.write(f"Laporan masalah: {path}")
