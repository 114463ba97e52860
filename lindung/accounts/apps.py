from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lindung.accounts"
    verbose_name = _("Pengguna dan peran")

    def ready(self) -> None:
        from lindung.accounts.models import User
        from lindung.audit.services import track

        # Role and kab/kota decide what a user may see: every change is recorded. The password
        # hash and login time are not (a login is recorded as its own entry).
        track(User, exclude=("password", "last_login"))
