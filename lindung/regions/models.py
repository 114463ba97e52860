"""Administrative regions: province → kabupaten/kota → kecamatan → desa/kelurahan."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """One administrative area, keyed by its dotted Kemendagri code (``64.72.01.1001``).

    The table holds every province and kabupaten/kota of Indonesia (a NIK can be issued anywhere)
    and every kecamatan and desa/kelurahan of the provinces Lindung serves. BPS statistics use a
    different numbering for kab/kota, kept in ``bps_code``.
    """

    class Level(models.TextChoices):
        PROVINCE = "provinsi", _("Provinsi")
        KABKOTA = "kabkota", _("Kabupaten/Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa/Kelurahan")

    code = models.CharField(_("kode Kemendagri"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    bps_code = models.CharField(_("kode BPS"), max_length=10, blank=True)
    population = models.PositiveIntegerField(_("jumlah penduduk"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return self.name

    @property
    def digits(self) -> str:
        """The code without dots, as it appears inside a NIK (kecamatan level: 6 digits)."""
        return self.code.replace(".", "")
