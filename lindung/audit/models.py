"""The append-only audit log required by UU 27/2022 (Pelindungan Data Pribadi)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """Audit entries are never changed or removed."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Log audit tidak boleh diubah.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Log audit tidak boleh dihapus.")


class AuditEntry(models.Model):
    """Who did what to which record, when, with old and new values.

    Append-only three times over: this model refuses updates and deletes, its queryset does too,
    and a database trigger (migration 0002) refuses them for raw SQL.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("buat")
        UPDATE = "update", _("ubah")
        DELETE = "delete", _("hapus")
        IMPORT = "import", _("impor")
        EXPORT = "export", _("ekspor")
        VIEW_NIK = "view_nik", _("lihat NIK lengkap")
        LOGIN = "login", _("masuk")

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("pelaku"), max_length=150)
    action = models.CharField(_("aksi"), max_length=10, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=100, blank=True)
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=200, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("entri audit")
        verbose_name_plural = _("log audit")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Log audit tidak boleh diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Log audit tidak boleh dihapus.")

    @property
    def object_label(self) -> str:
        """The model's name ("pekerja rentan"), not ``registry.worker`` (stored type stays)."""
        model = _model(self.object_type)
        return str(model._meta.verbose_name) if model else self.object_type

    @property
    def change_rows(self) -> list[tuple[str, Any, Any]]:
        """(field label, old, new) per changed field: "kabupaten/kota" rather than
        ``kabkota_id``; an unknown field (renamed since) keeps its stored name."""
        model = _model(self.object_type)
        rows = []
        for name, pair in self.changes.items():
            old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            rows.append((_field_label(model, name), old, new))
        return rows


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label) if "." in label else None
    except LookupError:
        return None


def _field_label(model: type[models.Model] | None, name: str) -> str:
    if model is None:
        return name
    for field in model._meta.get_fields():
        if name in (field.name, getattr(field, "attname", None)):
            return str(getattr(field, "verbose_name", name))
    return name
