"""Import jobs: one uploaded file, its column mapping, its validation report and its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    WORKERS = "workers", _("Pekerja rentan (usulan kab/kota)")
    PARTICIPANTS = "participants", _("Peserta BPJS Ketenagakerjaan")
    COMPANIES = "companies", _("Perusahaan (perizinan/wajib lapor)")
    EMPLOYERS = "employers", _("Pemberi kerja terdaftar BPJS")


class JobStatus(models.TextChoices):
    UPLOADED = "diunggah", _("Diunggah — periksa pemetaan kolom")
    QUEUED = "antre", _("Dalam antrean")
    RUNNING = "berjalan", _("Sedang diproses")
    VALIDATED = "divalidasi", _("Divalidasi — siap disimpan")
    DONE = "selesai", _("Selesai disimpan")
    REFUSED = "ditolak", _("File ditolak")
    FAILED = "gagal", _("Gagal")
    CANCELLED = "dibatalkan", _("Dibatalkan")


class ImportJob(models.Model):
    """A persistent record of one import, so the user can leave and come back to it.

    Operators' jobs carry their kab/kota (``kabkota``) and are scoped like every other record;
    province-wide jobs have none and are visible to province roles only.
    """

    scope_field = "kabkota"

    kind = models.CharField(_("jenis data"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.UPLOADED
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("nama file"), max_length=255)
    size_bytes = models.BigIntegerField(_("ukuran (byte)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    kabkota = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposer = models.ForeignKey(
        "regions.Region",
        verbose_name=_("instansi pengusul"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("sumber data"), max_length=100, blank=True)
    mapping = models.JSONField(_("pemetaan kolom"), default=dict, blank=True)
    commit_requested = models.BooleanField(default=False)
    cancel_requested = models.BooleanField(default=False)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    stage = models.CharField(_("tahap"), max_length=120, blank=True)
    counts = models.JSONField(_("jumlah"), default=dict, blank=True)
    messages = models.JSONField(_("pesan"), default=list, blank=True)
    #: the first problems of the report, shown on the page; the full list is in ``report``
    issue_sample = models.JSONField(default=list, blank=True)
    report = models.FileField(_("laporan validasi"), upload_to="import-reports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("impor")
        verbose_name_plural = _("impor")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    @property
    def is_active(self) -> bool:
        return self.status in {JobStatus.QUEUED, JobStatus.RUNNING}
