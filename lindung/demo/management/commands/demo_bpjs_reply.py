"""``lindung demo-bpjs-reply BATCH --out FILE``: BPJS TK's answer to a sent batch, for the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lindung.audit.services import acting_as
from lindung.demo.bpjs import write_answer
from lindung.enrolment.common import EnrolmentError
from lindung.enrolment.models import EnrolmentBatch


class Command(BaseCommand):
    help = (
        "Buat file jawaban BPJS TK contoh untuk batch pendaftaran (hampir semua terdaftar dengan "
        "KPJ, beberapa ditolak dengan alasan), untuk diunggah di halaman Pendaftaran. Hanya demo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("batch", help="ID batch (angka di alamat halaman batch) atau nomornya")
        parser.add_argument("--out", type=Path, required=True, help="file .xlsx atau .csv")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, batch: str, out: Path, seed: int, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo-bpjs-reply hanya untuk mode demo (LINDUNG_DEBUG=1).")
        found = EnrolmentBatch.objects.filter(
            **({"pk": int(batch)} if batch.isdigit() else {"number": batch})
        ).first()
        if found is None:
            raise CommandError(f"Batch {batch} tidak ada.")
        try:
            with acting_as(label="lindung demo-bpjs-reply"):
                written = write_answer(found, out, seed=seed)
        except EnrolmentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{written.path}: jawaban batch {found.number}, {written.summary}.")
