from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "lindung.registry"
    verbose_name = _("Registri pekerja rentan")

    def ready(self) -> None:
        from lindung.audit.services import track
        from lindung.registry.models import Worker

        track(Worker, exclude=("name_search", "updated_at", "created_at"))
