"""``lindung demo-logins``: print who can log in to the demo, one line per role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lindung.accounts.models import Role
from lindung.accounts.personas import DEMO_PASSWORD, PERSONAS


class Command(BaseCommand):
    help = "Tampilkan akun demo per peran."

    def handle(self, *args: Any, **options: Any) -> None:
        labels = dict(Role.choices)
        self.stdout.write(f"\nAkun demo / demo logins (kata sandi / password: {DEMO_PASSWORD})")
        for p in PERSONAS.values():
            where = f" — {p.office}"
            self.stdout.write(f"  {p.username:<15} {labels[p.role]!s:<26}{where}")
        self.stdout.write("")
