"""``lindung worker``: the background job runner (django-tasks database backend)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Jalankan pekerja latar belakang untuk impor, pencocokan dan surat massal."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Proses antrean lalu berhenti.")

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        call_command("db_worker", batch=batch, interval=1.0, reload=False)
