"""``lindung serve-demo``: the background worker and the web app, stopped together."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Jalankan worker latar belakang dan aplikasi web demo."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, addr: str, **options: Any) -> None:
        worker = subprocess.Popen([sys.executable, "-m", "lindung.cli", "worker"])
        try:
            call_command("demo_logins")
            self.stdout.write(f"Lindung berjalan di http://{addr}/  (Ctrl+C untuk berhenti)\n")
            call_command("runserver", addr, use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
