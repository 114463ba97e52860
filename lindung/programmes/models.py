"""Programmes (budget lines that pay BPU premiums) and the people they pay for.

A :class:`Programme` is one funder's budget for a period, a package and an income tier, with
the rules that decide who is eligible and who comes first. Its :class:`Beneficiary` rows are the
people chosen for it, each with why they were chosen and where they stand with BPJS TK.

One person may appear in the registry more than once (proposed by the province and by their
kab/kota). ``person_key`` identifies the person across those proposals (the NIK when valid, else
the worker row), so that no person is funded twice by overlapping programmes.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lindung import nik as nik_module
from lindung.subsidy.models import Payer
from lindung.subsidy.premiums import add_months


class Funder(models.TextChoices):
    APBD_PROVINSI = "apbd_provinsi", _("APBD Provinsi")
    APBD_KABKOTA = "apbd_kabkota", _("APBD Kabupaten/Kota")
    APBDES = "apbdes", _("APBDes/Dana Desa")
    CSR = "csr", _("CSR")
    OTHER = "lainnya", _("Lainnya")


class Package(models.TextChoices):
    JKK_JKM = "JKK,JKM", _("JKK + JKM")
    JKK_JKM_JHT = "JKK,JKM,JHT", _("JKK + JKM + JHT")


class GroupCode(models.TextChoices):
    """BPJS TK collective ("wadah") type codes for government-paid groups."""

    SG = "SG", _("SG — pekerja rentan dibiayai pemerintah")
    SA = "SA", _("SA — aparat/pekerja desa, APBD")
    SD = "SD", _("SD — aparat/pekerja desa, APBDes")
    SL = "SL", _("SL — pekerja desa, sumber dana lain")


#: The premium payer of each funder (PP 50/2025 excludes APBN/APBD-paid participants from its
#: discount; the rules' data, not this table, decide which payers are excluded).
FUNDER_PAYER: dict[str, str] = {
    Funder.APBD_PROVINSI: Payer.GOVERNMENT,
    Funder.APBD_KABKOTA: Payer.GOVERNMENT,
    Funder.APBDES: Payer.VILLAGE,
    Funder.CSR: Payer.CSR,
    Funder.OTHER: Payer.CSR,
}


class QuotaMode(models.TextChoices):
    PROPORTIONAL = "proporsional", _("Sebanding jumlah pekerja rentan belum terlindungi")
    MANUAL = "manual", _("Ditetapkan per kabupaten/kota")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    SELECTED = "terpilih", _("Penerima sudah dipilih")
    RUNNING = "berjalan", _("Berjalan")
    CLOSED = "selesai", _("Selesai")


class Programme(models.Model):
    """One budget line paying BPU premiums for a period ("program bantuan iuran")."""

    name = models.CharField(_("nama program"), max_length=200)
    funder = models.CharField(_("sumber dana"), max_length=16, choices=Funder.choices)
    funder_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("wilayah penyandang dana"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Kabupaten/kota atau desa yang membiayai; kosong untuk provinsi/CSR."),
    )
    sponsor = models.CharField(_("nama sponsor/instansi"), max_length=200, blank=True)
    budget = models.PositiveBigIntegerField(_("anggaran (Rp)"))
    period_start = models.DateField(_("mulai perlindungan"))
    months = models.PositiveSmallIntegerField(
        _("lama (bulan)"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    package = models.CharField(
        _("paket program"), max_length=12, choices=Package.choices, default=Package.JKK_JKM
    )
    declared_income = models.PositiveIntegerField(
        _("penghasilan yang dilaporkan (Rp)"),
        default=1_000_000,
        help_text=_("Dibulatkan ke atas ke tier penghasilan BPU yang berlaku."),
    )
    group_code = models.CharField(
        _("kode wadah BPJS"), max_length=2, choices=GroupCode.choices, default=GroupCode.SG
    )
    target_regions = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("kabupaten/kota sasaran"),
        related_name="+",
        blank=True,
        help_text=_("Kosong = seluruh kabupaten/kota di provinsi."),
    )
    # Eligibility: always "not already covered"; the rest is configurable.
    min_age = models.PositiveSmallIntegerField(_("usia minimum"), default=18)
    max_age = models.PositiveSmallIntegerField(_("usia maksimum"), default=65)
    occupations = models.JSONField(
        _("pekerjaan yang memenuhi syarat"),
        default=list,
        blank=True,
        help_text=_("Kode pekerjaan; kosong = semua pekerjaan."),
    )
    max_poverty_decile = models.PositiveSmallIntegerField(
        _("desil kesejahteraan maksimum"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    max_income = models.PositiveIntegerField(
        _("penghasilan maksimum (Rp/bulan)"), null=True, blank=True
    )
    priorities = models.JSONField(
        _("urutan prioritas"),
        default=list,
        blank=True,
        help_text=_("Kode aturan prioritas, yang pertama paling menentukan."),
    )
    priority_occupations = models.JSONField(
        _("pekerjaan prioritas"),
        default=list,
        blank=True,
        help_text=_("Kode pekerjaan yang didahulukan oleh aturan «pekerjaan prioritas»."),
    )
    quota_mode = models.CharField(
        _("pembagian kuota"),
        max_length=12,
        choices=QuotaMode.choices,
        default=QuotaMode.PROPORTIONAL,
    )
    quotas = models.JSONField(
        _("kuota per kabupaten/kota"),
        default=dict,
        blank=True,
        help_text=_('Untuk pembagian manual: {"64.72": 1200, ...}.'),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    selection = models.JSONField(
        _("ringkasan pemilihan terakhir"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Kuota, jumlah terpilih dan alasan tidak terpilih dari pemilihan tersimpan."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("program bantuan iuran")
        verbose_name_plural = _("program bantuan iuran")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=60), name="programme_months_1_60"
            ),
            models.CheckConstraint(condition=Q(budget__gt=0), name="programme_budget_positive"),
            models.CheckConstraint(
                condition=Q(min_age__lte=models.F("max_age")), name="programme_ages_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def period_end(self) -> dt.date:
        """Last day covered (inclusive)."""
        return add_months(self.period_start, self.months) - dt.timedelta(days=1)

    def package_codes(self) -> list[str]:
        return self.package.split(",")

    @property
    def payer(self) -> str:
        """Who pays, in the premium calculator's terms (decides whether a discount applies)."""
        return FUNDER_PAYER[self.funder]

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return self.period_start <= end and start <= self.period_end


class BeneficiaryStatus(models.TextChoices):
    SELECTED = "terpilih", _("Terpilih, belum dikirim ke BPJS")
    SENT = "dikirim", _("Dikirim ke BPJS")
    REGISTERED = "terdaftar", _("Terdaftar di BPJS")
    REJECTED = "ditolak", _("Ditolak BPJS")
    ENDED = "berakhir", _("Masa perlindungan berakhir")
    REPLACED = "diganti", _("Diganti")


#: Statuses in which a beneficiary holds a place (and budget) in their programme.
HOLDING = (BeneficiaryStatus.SELECTED, BeneficiaryStatus.SENT, BeneficiaryStatus.REGISTERED)


class ExitReason(models.TextChoices):
    DIED = "meninggal", _("Meninggal dunia")
    MOVED = "pindah", _("Pindah ke luar wilayah")
    BECAME_PU = "menjadi_pu", _("Menjadi penerima upah (PU)")
    OTHER = "lainnya", _("Lainnya")


def person_key(nik: str, nik_status: str, worker_id: int) -> str:
    """The identity of a person across registry proposals: valid NIK, else the worker row."""
    if nik_status == nik_module.NikStatus.VALID.value and nik:
        return nik
    return f"w{worker_id}"


class Beneficiary(models.Model):
    """One person chosen for one programme, with why, and their enrolment state."""

    scope_field = "kabkota"

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="beneficiaries",
    )
    worker = models.ForeignKey(
        "registry.Worker",
        verbose_name=_("pekerja"),
        on_delete=models.PROTECT,
        related_name="beneficiaries",
    )
    person_key = models.CharField(_("kunci orang"), max_length=32, editable=False)
    kabkota = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    rank = models.PositiveIntegerField(_("peringkat"))
    reason = models.CharField(_("alasan terpilih"), max_length=255)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BeneficiaryStatus.choices,
        default=BeneficiaryStatus.SELECTED,
    )
    participant_number = models.CharField(_("nomor peserta (KPJ)"), max_length=20, blank=True)
    coverage_start = models.DateField(_("mulai perlindungan"), null=True, blank=True)
    coverage_end = models.DateField(_("akhir perlindungan"), null=True, blank=True)
    rejection_reason = models.CharField(_("alasan ditolak"), max_length=255, blank=True)
    exit_reason = models.CharField(
        _("alasan keluar"), max_length=12, choices=ExitReason.choices, blank=True
    )
    carried_over = models.BooleanField(
        _("diperpanjang dari periode sebelumnya"),
        default=False,
        help_text=_("Tetap di tempatnya saat pemilihan diulang; kapasitas sisanya dibagi kuota."),
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("menggantikan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("penerima bantuan iuran")
        verbose_name_plural = _("penerima bantuan iuran")
        ordering = ["programme", "rank"]
        indexes = [
            models.Index(fields=["person_key"], name="beneficiary_person"),
            models.Index(fields=["kabkota", "programme"], name="beneficiary_kabkota"),
            models.Index(fields=["programme", "status"], name="beneficiary_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "worker"], name="beneficiary_unique_worker"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} · {self.programme}"


class Scenario(models.Model):
    """A what-if variant of a programme (budget, months, package, income tier, rules).

    ``params`` holds the complete parameter set compared (not only what differs), and
    ``result`` the evaluated figures as shown, so a brief prints exactly what was compared even
    after the registry or the programme changed. Nothing is saved as beneficiaries.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.CASCADE, related_name="scenarios"
    )
    name = models.CharField(_("nama skenario"), max_length=120)
    params = models.JSONField(_("parameter"), default=dict)
    result = models.JSONField(_("hasil"), default=dict, blank=True)
    evaluated_at = models.DateTimeField(_("dihitung"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("skenario program")
        verbose_name_plural = _("skenario program")
        ordering = ["programme", "id"]

    def __str__(self) -> str:
        return f"{self.programme} · {self.name}"
