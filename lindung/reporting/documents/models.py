"""The archive of generated reports: every PDF/XLSX pair made on demand or on a schedule.

A report is generated for one scope (the province, or one kab/kota for its operators) and kept
as files under ``MEDIA_ROOT/laporan/``, so a leader downloads next year exactly what was read
this month. ``kabkota`` empty means a province-wide report, which an operator never sees.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    MONTHLY = "bulanan", _("Laporan cakupan bulanan")
    BRIEF = "ringkasan", _("Ringkasan pimpinan")
    BUDGET = "anggaran", _("Ringkasan anggaran program")


class ReportFile(models.Model):
    """One generated report: its PDF and XLSX, for whom (scope) and how it was made."""

    scope_field = "kabkota"

    kind = models.CharField(_("jenis"), max_length=10, choices=ReportKind.choices)
    title = models.CharField(_("judul"), max_length=250)
    month = models.DateField(_("bulan"), null=True, blank=True, help_text=_("Hari pertama bulan."))
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("program"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kabkota = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kosong: laporan seluruh provinsi."),
    )
    pdf = models.FileField(_("PDF"), upload_to="laporan/%Y/%m/")
    xlsx = models.FileField(_("XLSX"), upload_to="laporan/%Y/%m/")
    pages = models.PositiveSmallIntegerField(_("halaman"))
    seconds = models.FloatField(_("lama pembuatan (detik)"))
    scheduled = models.BooleanField(_("terjadwal"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("laporan tersimpan")
        verbose_name_plural = _("arsip laporan")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kabkota", "kind"], name="reportfile_scope_kind")]

    def __str__(self) -> str:
        return self.title
