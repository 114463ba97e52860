"""``lindung demo-setup``: everything the demo needs after ``migrate``, idempotently."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from lindung.accounts.personas import DEMO_PASSWORD, PERSONAS, ensure_persona
from lindung.core.formats import thousands
from lindung.demo.companies import load_demo_companies_once
from lindung.registry.models import Worker


class Command(BaseCommand):
    help = "Siapkan demo: pengguna per peran dan data pekerja contoh (hanya mode DEBUG)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workers", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, workers: int, seed: int, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo-setup hanya untuk mode demo (LINDUNG_DEBUG=1).")
        call_command("load_regions", verbosity=0)
        for persona in PERSONAS.values():
            ensure_persona(persona, DEMO_PASSWORD)
        if Worker.objects.exists():
            self.stdout.write("Data pekerja sudah ada; tidak dibuat ulang.")
        else:
            call_command("demo_data", workers=workers, seed=seed)
        self._coverage(seed)
        load_demo_companies_once(seed=seed, stdout=self.stdout)
        # The dashboard's summary and this month's snapshot: its trend starts today, no back-fill.
        call_command("refresh_dashboard", stdout=self.stdout)
        call_command("demo_logins")

    def _coverage(self, seed: int) -> None:
        """Demo BPJS TK participants (≈60% of the registry covered) and one matching run."""
        from lindung.audit.services import acting_as
        from lindung.matching.models import MatchRun, Participant, RunStatus
        from lindung.matching.services import run_matching
        from lindung.matching.services_demo import load_demo_participants

        with acting_as(label="demo-setup"):
            if Participant.objects.exists():
                self.stdout.write("Data peserta BPJS TK sudah ada; tidak dibuat ulang.")
            else:
                loaded = load_demo_participants(seed)
                self.stdout.write(
                    f"{thousands(loaded.created)} peserta BPJS TK demo dimuat "
                    f"({thousands(loaded.seconds, 1)} dtk)."
                )
            if not MatchRun.objects.filter(status=RunStatus.DONE).exists():
                run = run_matching()
                self.stdout.write(
                    f"Pencocokan #{run.pk}: {thousands(run.counts.get('workers', 0))} pekerja "
                    f"dalam {thousands(run.seconds or 0, 1)} dtk."
                )
