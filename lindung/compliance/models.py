"""Companies that should insure their workers, and employers that BPJS says have registered.

``Company`` rows come from licensing (OSS: NIB, KBLI, size) and mandatory labour reports
(WLKP) kept by the labour office; ``Employer`` rows come from BPJS Ketenagakerjaan (NPP,
registered workforce, programmes, average wage). Matching the two finds companies that have not
registered ("wajib belum daftar") and those that register only part of their workforce, wages
or programmes (PDS tenaga kerja / upah / program).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lindung.compliance.names import company_name_key


class SizeClass(models.TextChoices):
    MICRO = "mikro", _("Mikro")
    SMALL = "kecil", _("Kecil")
    MEDIUM = "menengah", _("Menengah")
    LARGE = "besar", _("Besar")


def npwp_digits(value: str) -> str:
    """NPWP without dots and dashes ("01.234.567.8-901.000" → "012345678901000")."""
    return "".join(ch for ch in value if ch.isdigit())


class Company(models.Model):
    """A business known from licensing or labour reports, in one kab/kota.

    Natural key: the NIB when there is one, else the NPWP, else the normalised name within the
    kab/kota. Each is enforced by a partial unique constraint that applies only where the
    stronger keys are blank (valid on SQLite and PostgreSQL alike).
    """

    scope_field = "kabkota"

    name = models.CharField(_("nama perusahaan"), max_length=200)
    name_key = models.CharField(_("kunci nama"), max_length=200, db_index=True, editable=False)
    nib = models.CharField(_("NIB"), max_length=20, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=20, blank=True, help_text=_("Angka saja."))
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    kabkota = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "kabkota", "code__startswith": "64."},
    )
    kbli = models.CharField(_("KBLI"), max_length=10, blank=True)
    size_class = models.CharField(
        _("skala usaha"), max_length=8, choices=SizeClass.choices, blank=True
    )
    employees_reported = models.PositiveIntegerField(
        _("jumlah pekerja dilaporkan"), null=True, blank=True
    )
    source = models.CharField(_("sumber data"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("perusahaan")
        verbose_name_plural = _("perusahaan")
        ordering = ["name_key", "id"]
        indexes = [
            models.Index(fields=["kabkota", "name_key"], name="company_kabkota_name"),
            models.Index(fields=["npwp"], name="company_npwp"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["nib"], condition=~Q(nib=""), name="company_unique_nib"
            ),
            models.UniqueConstraint(
                fields=["npwp"], condition=Q(nib="") & ~Q(npwp=""), name="company_unique_npwp"
            ),
            models.UniqueConstraint(
                fields=["name_key", "kabkota"],
                condition=Q(nib="", npwp=""),
                name="company_unique_name_kabkota",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_key = company_name_key(self.name)
        self.npwp = npwp_digits(self.npwp)
        self.nib = self.nib.strip()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Employer(models.Model):
    """An employer registered with BPJS Ketenagakerjaan, keyed by its NPP."""

    scope_field = "kabkota"

    npp = models.CharField(_("NPP"), max_length=20, unique=True)
    name = models.CharField(_("nama pemberi kerja"), max_length=200)
    name_key = models.CharField(_("kunci nama"), max_length=200, db_index=True, editable=False)
    npwp = models.CharField(_("NPWP"), max_length=20, blank=True, help_text=_("Angka saja."))
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    kabkota = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "kabkota"},
    )
    workforce_registered = models.PositiveIntegerField(
        _("tenaga kerja terdaftar"), null=True, blank=True
    )
    programmes = models.CharField(_("program"), max_length=40, blank=True)
    average_wage = models.PositiveIntegerField(
        _("rata-rata upah dilaporkan (Rp)"), null=True, blank=True
    )
    source = models.CharField(_("sumber data"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("pemberi kerja terdaftar")
        verbose_name_plural = _("pemberi kerja terdaftar")
        ordering = ["name_key", "id"]
        indexes = [
            models.Index(fields=["kabkota", "name_key"], name="employer_kabkota_name"),
            models.Index(fields=["npwp"], name="employer_npwp"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.npp})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_key = company_name_key(self.name)
        self.npwp = npwp_digits(self.npwp)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def programme_list(self) -> list[str]:
        return [p for p in self.programmes.split(",") if p]
