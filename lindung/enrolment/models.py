"""The paper trail between a programme and BPJS Ketenagakerjaan.

An :class:`EnrolmentBatch` is one collective ("wadah") registration file sent to BPJS TK; its
:class:`BatchRow` rows keep exactly what was sent (so a re-download gives the same file, even
after the registry changed) and the reference BPJS may quote back. An :class:`AnswerImport`
records one BPJS answer file applied to the beneficiaries. A :class:`Reconciliation` compares
one monthly BPJS invoice (tagihan) with the beneficiaries active that month, line by line.

Beneficiary status itself lives on :class:`lindung.programmes.models.Beneficiary`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentBatch(models.Model):
    """One registration file for BPJS TK: who was sent, when, by whom."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="enrolment_batches",
    )
    sequence = models.PositiveIntegerField(_("urutan dalam program"))
    number = models.CharField(_("nomor batch"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_date = models.DateField(_("tanggal mulai yang diminta"))
    count = models.PositiveIntegerField(_("jumlah orang"))

    class Meta:
        verbose_name = _("batch pendaftaran")
        verbose_name_plural = _("batch pendaftaran")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "sequence"], name="enrolment_batch_sequence"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class BatchRow(models.Model):
    """One person as sent in a batch: the exported cells, frozen."""

    scope_field = "kabkota"

    batch = models.ForeignKey(
        EnrolmentBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="rows"
    )
    position = models.PositiveIntegerField(_("nomor baris"))
    reference = models.CharField(_("ID baris"), max_length=60, unique=True)
    beneficiary = models.ForeignKey(
        "programmes.Beneficiary",
        verbose_name=_("penerima"),
        on_delete=models.PROTECT,
        related_name="batch_rows",
    )
    nik = models.CharField(_("NIK"), max_length=32, db_index=True)
    kabkota = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    values = models.JSONField(_("isi baris"))

    class Meta:
        verbose_name = _("baris batch pendaftaran")
        verbose_name_plural = _("baris batch pendaftaran")
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="batch_row_position"),
        ]

    def __str__(self) -> str:
        return self.reference


class AnswerImport(models.Model):
    """One BPJS answer file applied to a programme's beneficiaries."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="answer_imports",
    )
    file_name = models.CharField(_("nama file"), max_length=255)
    imported_at = models.DateTimeField(_("diimpor"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diimpor oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rows = models.PositiveIntegerField(_("baris"))
    registered = models.PositiveIntegerField(_("terdaftar"))
    rejected = models.PositiveIntegerField(_("ditolak"))
    unchanged = models.PositiveIntegerField(_("tidak berubah"))

    class Meta:
        verbose_name = _("impor jawaban BPJS")
        verbose_name_plural = _("impor jawaban BPJS")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class Reconciliation(models.Model):
    """One monthly BPJS invoice compared with the programme's active beneficiaries."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="reconciliations",
    )
    month = models.DateField(_("bulan tagihan"), help_text=_("Hari pertama bulan."))
    file_name = models.CharField(_("nama file"), max_length=255)
    imported_at = models.DateTimeField(_("diimpor"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diimpor oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    premium = models.PositiveIntegerField(_("iuran per orang per bulan"))
    billed_people = models.PositiveIntegerField(_("baris tagihan"))
    billed_total = models.PositiveBigIntegerField(_("jumlah tagihan"))
    stated_total = models.PositiveBigIntegerField(
        _("total tertulis di tagihan"), null=True, blank=True
    )
    active_people = models.PositiveIntegerField(_("penerima aktif"))
    expected_total = models.PositiveBigIntegerField(_("iuran seharusnya"))
    differences = models.PositiveIntegerField(_("jumlah selisih"))

    class Meta:
        verbose_name = _("rekonsiliasi tagihan")
        verbose_name_plural = _("rekonsiliasi tagihan")
        ordering = ["-month", "-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.programme} · {self.month:%m-%Y}"

    @property
    def difference_total(self) -> int:
        """Billed minus expected (positive: BPJS asks for more than we owe)."""
        return self.billed_total - self.expected_total

    @property
    def stated_difference(self) -> int:
        """The invoice's own total minus the sum of its lines (0 when it has no total): BPJS's
        arithmetic or a lost line, to settle before paying."""
        return 0 if self.stated_total is None else self.stated_total - self.billed_total


class LineKind(models.TextChoices):
    MATCH = "cocok", _("Cocok")
    NOT_OURS = "bukan_penerima", _("Ditagih, bukan penerima program ini")
    NOT_ACTIVE = "tidak_aktif", _("Ditagih, tidak aktif pada bulan ini")
    NOT_BILLED = "tidak_ditagih", _("Aktif, tidak ditagih")
    AMOUNT = "nominal_beda", _("Nominal berbeda")
    DUPLICATE = "ganda", _("Ditagih lebih dari sekali")


class ReconciliationLine(models.Model):
    """One invoice line or one active beneficiary, with how it compares."""

    scope_field = "kabkota"

    reconciliation = models.ForeignKey(
        Reconciliation,
        verbose_name=_("rekonsiliasi"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    kind = models.CharField(_("hasil"), max_length=16, choices=LineKind.choices)
    row = models.PositiveIntegerField(_("baris tagihan"), null=True, blank=True)
    beneficiary = models.ForeignKey(
        "programmes.Beneficiary",
        verbose_name=_("penerima"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    kabkota = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    participant_number = models.CharField(_("nomor peserta (KPJ)"), max_length=20, blank=True)
    nik = models.CharField(_("NIK"), max_length=32, blank=True)
    name = models.CharField(_("nama"), max_length=150, blank=True)
    billed = models.PositiveBigIntegerField(_("ditagih"), default=0)
    expected = models.PositiveBigIntegerField(_("seharusnya"), default=0)
    note = models.CharField(_("keterangan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("baris rekonsiliasi")
        verbose_name_plural = _("baris rekonsiliasi")
        ordering = ["reconciliation", "kind", "row", "id"]
        indexes = [models.Index(fields=["reconciliation", "kind"], name="recon_line_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.participant_number or self.nik}"

    @property
    def difference(self) -> int:
        return self.billed - self.expected
