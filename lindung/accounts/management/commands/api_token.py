"""``lindung api-token issue|list|revoke``: API tokens for the systems that call Lindung."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lindung.accounts import tokens
from lindung.accounts.models import ApiToken, User
from lindung.audit.services import acting_as


class Command(BaseCommand):
    help = "Terbitkan, tampilkan, atau cabut token API (token berperan seperti penggunanya)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="terbitkan token baru untuk seorang pengguna")
        issue.add_argument("username")
        issue.add_argument("--name", required=True, help='mis. "SIAK Kota Samarinda"')
        listing = sub.add_parser("list", help="daftar token (tanpa nilainya)")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="cabut token menurut nomornya")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        with acting_as(label="cli"):
            getattr(self, f"_{action}")(**options)

    def _issue(self, username: str, name: str, **_: Any) -> None:
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"Pengguna aktif «{username}» tidak ditemukan.") from None
        token, plain = tokens.issue(user, name)
        self.stdout.write(f"Token #{token.pk} untuk {user.username} ({user.effective_role}):")
        self.stdout.write(plain)
        self.stderr.write("Simpan sekarang: token ini tidak dapat ditampilkan lagi.")

    def _list(self, username: str | None = None, **_: Any) -> None:
        found = ApiToken.objects.select_related("user").order_by("id")
        if username:
            found = found.filter(user__username=username)
        for t in found:
            used = t.last_used_at.isoformat(timespec="minutes") if t.last_used_at else "-"
            self.stdout.write(f"#{t.pk}\t{t.user.username}\t{t.name}\tterakhir dipakai {used}")

    def _revoke(self, token_id: int, **_: Any) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"Token #{token_id} tidak ada.")
        tokens.revoke(token)
        self.stdout.write(f"Token #{token_id} ({token.name}) dicabut.")
