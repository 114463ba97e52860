"""``lindung snapshot``: record this month's coverage per kab/kota (idempotent per month).

Reads the summary tables as they are (run ``lindung refresh-dashboard`` first for fresh
figures); running it again in the same month replaces that month's values.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lindung.reporting.aggregates import summary_state
from lindung.reporting.summary import take_snapshot


class Command(BaseCommand):
    help = (
        "Ambil potret cakupan bulan ini per kabupaten/kota (sekali per bulan; diulang = diganti)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        state = summary_state()
        if state is None:
            raise CommandError(
                "Ringkasan dasbor belum pernah dihitung: jalankan `lindung refresh-dashboard`."
            )
        rows = take_snapshot()
        self.stdout.write(
            f"Potret bulan ini: {rows} baris (ringkasan per {state.refreshed_at:%d-%m-%Y %H:%M})."
        )
