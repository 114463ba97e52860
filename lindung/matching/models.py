"""Participants of BPJS Ketenagakerjaan, as reported by BPJS, for matching against the registry.

A participant file lists who is covered: wage earners (PU) under an employer number (NPP),
informal workers (BPU, no employer) and construction-project workers (JAKON). Matching these
rows to proposed workers tells the province who is already covered and who still needs a
government-paid enrolment.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung import nik as nik_module
from lindung.registry.models import NikStatus, Sex
from lindung.registry.names import search_key


class Segment(models.TextChoices):
    PU = "PU", _("Penerima upah")
    BPU = "BPU", _("Bukan penerima upah")
    JAKON = "JAKON", _("Jasa konstruksi")


class MembershipStatus(models.TextChoices):
    ACTIVE = "AKTIF", _("Aktif")
    INACTIVE = "NONAKTIF", _("Nonaktif")


class Payer(models.TextChoices):
    SELF = "mandiri", _("Mandiri")
    EMPLOYER = "pemberi_kerja", _("Pemberi kerja")
    GOVERNMENT = "pemerintah", _("Pemerintah (APBN/APBD/APBDes)")
    CSR = "csr", _("CSR")


def kabkota_code(region_code: str | None) -> str | None:
    """The kab/kota part (``64.72``) of a dotted Kemendagri code, None for a province code."""
    if not region_code:
        return None
    parts = region_code.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


class Participant(models.Model):
    """One membership record of one person in one segment (and, for PU, one employer).

    Natural key: (``nik``, ``segment``, ``npp``), unique among rows whose NIK is valid. Rows with
    a damaged or missing NIK are kept with their ``nik_status`` (never "valid") so that they can
    still be matched by name and birth date; they are not covered by the unique constraint.
    """

    scope_field = "kabkota"

    nik = models.CharField(_("NIK"), max_length=32, blank=True, db_index=True)
    nik_status = models.CharField(
        _("status NIK"), max_length=12, choices=NikStatus.choices, default=NikStatus.VALID
    )
    name = models.CharField(_("nama"), max_length=150)
    name_search = models.CharField(max_length=150, db_index=True, editable=False)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    segment = models.CharField(_("segmen"), max_length=5, choices=Segment.choices)
    status = models.CharField(
        _("status kepesertaan"), max_length=8, choices=MembershipStatus.choices
    )
    npp = models.CharField(
        _("NPP"),
        max_length=20,
        blank=True,
        help_text=_("Nomor pendaftaran perusahaan; kosong untuk BPU."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kode wilayah sebagaimana tercantum di data BPJS (tingkat apa pun)."),
    )
    kabkota = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "kabkota"},
    )
    membership_date = models.DateField(_("tanggal kepesertaan"), null=True, blank=True)
    programmes = models.CharField(
        _("program"), max_length=40, blank=True, help_text=_('Kode program, mis. "JKK,JKM,JHT".')
    )
    reported_wage = models.PositiveIntegerField(_("upah dilaporkan (Rp)"), null=True, blank=True)
    payer = models.CharField(_("pembayar iuran"), max_length=14, choices=Payer.choices, blank=True)
    source = models.CharField(_("sumber data"), max_length=100, blank=True)
    imported_at = models.DateTimeField(_("diimpor"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("peserta BPJS Ketenagakerjaan")
        verbose_name_plural = _("peserta BPJS Ketenagakerjaan")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["kabkota", "-id"], name="participant_kabkota_id"),
            models.Index(fields=["npp"], name="participant_npp"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["nik", "segment", "npp"],
                condition=models.Q(nik_status="valid"),
                name="participant_unique_natural_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({nik_module.mask(self.nik)}, {self.segment})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_search = search_key(self.name)
        if self.region_id and not self.kabkota_id:
            self.kabkota_id = kabkota_code(self.region_id)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def programme_list(self) -> list[str]:
        return [p for p in self.programmes.split(",") if p]
