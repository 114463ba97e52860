"""Case tracking: one compliance case per company, from the appeal letter up to sanctions.

The sanction ladder of PP 86/2013 (written warning I, warning II, fine, then withholding of
certain public services through the one-stop permit office, procedure Permenaker 4/2018) is
preceded by a regional appeal (imbauan, Inpres 2/2021). Each letter sent moves the company's
``Case`` to the letter's stage with a deadline; how long each stage waits before the next
letter is data, :class:`EscalationRule`, seeded by migration and edited in the admin.

Imported by ``lindung.compliance.models`` so that Django finds the models.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Where a case stands: the kind of the last letter sent, or closed."""

    IMBAUAN = "imbauan", _("Imbauan")
    TEGURAN_1 = "teguran_1", _("Teguran I")
    TEGURAN_2 = "teguran_2", _("Teguran II")
    REKOMENDASI_SANKSI = "rekomendasi_sanksi", _("Rekomendasi sanksi")
    SELESAI = "selesai", _("Selesai")


#: Order of the escalation ladder (a letter never moves a case back down).
STAGE_ORDER = {stage: rank for rank, stage in enumerate(Stage.values)}


class Outcome(models.TextChoices):
    NONE = "", _("—")
    REGISTERED = "terdaftar", _("Terdaftar")
    CLOSED = "ditutup", _("Ditutup tanpa pendaftaran")


class EscalationRule(models.Model):
    """How many days a stage waits for a response before the next letter is suggested.

    Days are calendar days counted from the letter date. ``fixed_by_regulation`` is False for a
    duration that no regulation fixes (regional policy, may be changed).
    """

    stage = models.CharField(
        _("tahap"),
        max_length=24,
        unique=True,
        choices=[c for c in Stage.choices if c[0] != Stage.SELESAI],
    )
    days = models.PositiveIntegerField(_("batas waktu (hari)"))
    next_stage = models.CharField(
        _("tahap berikutnya"),
        max_length=24,
        choices=[c for c in Stage.choices if c[0] not in (Stage.IMBAUAN, Stage.SELESAI)],
    )
    legal_basis = models.CharField(_("dasar hukum"), max_length=255)
    fixed_by_regulation = models.BooleanField(
        _("ditetapkan peraturan"),
        default=False,
        help_text=_("Tidak dicentang: kebijakan daerah, dapat diubah."),
    )

    class Meta:
        verbose_name = _("aturan eskalasi")
        verbose_name_plural = _("aturan eskalasi")
        ordering = ["stage"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} → {self.get_next_stage_display()} ({self.days} hari)"


class Case(models.Model):
    """The compliance case of one company (reopened when a closed company gets a new letter)."""

    scope_field = "kabkota"

    company = models.OneToOneField(
        "compliance.Company",
        verbose_name=_("perusahaan"),
        on_delete=models.CASCADE,
        related_name="case",
    )
    kabkota = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stage = models.CharField(_("tahap"), max_length=24, choices=Stage.choices, db_index=True)
    stage_started = models.DateField(_("tanggal surat tahap ini"), null=True, blank=True)
    deadline = models.DateField(_("batas waktu"), null=True, blank=True, db_index=True)
    deadline_from = models.DateField(
        _("batas waktu dihitung sejak"),
        null=True,
        blank=True,
        help_text=_(
            "Tanggal tanggapan 'baru sebagian' yang memberi batas baru; kosong bila batas waktu "
            "dihitung dari tanggal surat."
        ),
    )
    paused = models.BooleanField(
        _("eskalasi ditangguhkan"),
        default=False,
        help_text=_("Perusahaan mengajukan keberatan yang sedang ditinjau."),
    )
    opened_at = models.DateTimeField(_("dibuka"), auto_now_add=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    outcome = models.CharField(
        _("hasil"), max_length=12, choices=Outcome.choices, blank=True, default=""
    )
    status_recheck = models.BooleanField(
        _("status perlu dihitung ulang"),
        default=False,
        help_text=_("Perusahaan menyatakan sudah mendaftar: periksa pada data BPJS berikutnya."),
    )

    class Meta:
        verbose_name = _("kasus kepatuhan")
        verbose_name_plural = _("kasus kepatuhan")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.get_stage_display()}"

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.SELESAI


class CaseEvent(models.Model):
    class Kind(models.TextChoices):
        LETTER_SENT = "surat_dikirim", _("Surat dikirim")
        RESPONSE = "tanggapan", _("Tanggapan")
        ESCALATION = "eskalasi", _("Eskalasi")
        CLOSED = "ditutup", _("Ditutup")

    scope_field = "case__kabkota"

    case = models.ForeignKey(
        Case, verbose_name=_("kasus"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    letter = models.ForeignKey(
        "letters.OutgoingLetter",
        verbose_name=_("surat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_events",
    )
    note = models.TextField(_("catatan"), blank=True)
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("riwayat kasus")
        verbose_name_plural = _("riwayat kasus")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_kind_display()}"


EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
#: Extension → the bytes a real file of that type starts with.
EVIDENCE_TYPES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def validate_evidence(upload: object) -> None:
    """PDF, JPG or PNG (by name and by content), at most 10 MB; Indonesian messages."""
    name = str(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None) or 0
    if size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("Ukuran berkas bukti %(size)s MB melebihi batas 10 MB."),
            code="too_large",
            params={"size": f"{size / 1024 / 1024:.1f}".replace(".", ",")},
        )
    magic = EVIDENCE_TYPES.get(Path(name).suffix.lower())
    head = b""
    if magic is not None and hasattr(upload, "read"):
        pos = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)  # type: ignore[attr-defined]
        head = upload.read(8)  # type: ignore[attr-defined]
        upload.seek(pos)  # type: ignore[attr-defined]
    if magic is None or not any(head.startswith(m) for m in magic):
        raise ValidationError(
            _("Berkas bukti harus berupa PDF, JPG atau PNG."), code="invalid_type"
        )


class CaseResponse(models.Model):
    class Kind(models.TextChoices):
        REGISTERED = "sudah_mendaftar", _("Sudah mendaftar")
        PARTIAL = "sebagian", _("Baru sebagian")
        OBJECTION = "keberatan", _("Keberatan")

    scope_field = "case__kabkota"

    case = models.ForeignKey(
        Case, verbose_name=_("kasus"), on_delete=models.CASCADE, related_name="responses"
    )
    kind = models.CharField(_("jenis tanggapan"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("catatan"), blank=True)
    evidence = models.FileField(
        _("bukti (PDF, JPG atau PNG, maks. 10 MB)"),
        upload_to="compliance-evidence/%Y/%m/",
        blank=True,
        validators=[validate_evidence],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("tanggapan perusahaan")
        verbose_name_plural = _("tanggapan perusahaan")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_kind_display()}"
