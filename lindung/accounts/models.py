"""Users, their role and, for operators, their kabupaten/kota."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin_provinsi", _("Admin Provinsi")
    OPERATOR = "operator_kabkota", _("Operator Kabupaten/Kota")
    BPJS = "petugas_bpjs", _("Petugas BPJS")
    LEADER = "pimpinan", _("Pimpinan")


class User(AbstractUser):
    """A Lindung user. Operators are bound to one kab/kota; everyone else sees the province."""

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.LEADER)
    kabkota = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level": "kabkota", "code__startswith": "64."},
        related_name="+",
    )
    office = models.CharField(_("instansi"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="operator_kabkota") | models.Q(kabkota__isnull=False),
                name="operator_has_kabkota",
            )
        ]

    def clean(self) -> None:
        super().clean()
        if self.role == Role.OPERATOR and self.kabkota_id is None:
            raise ValidationError({"kabkota": _("Operator wajib memiliki kabupaten/kota.")})

    @property
    def effective_role(self) -> str:
        """Superusers act as Admin Provinsi whatever their stored role."""
        return Role.ADMIN if self.is_superuser else self.role


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token and return it with its plain value (never stored)."""
        plain = "lin_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=cls.hash(plain)), plain
