"""Contribution rules (iuran BPJS Ketenagakerjaan) as versioned, admin-editable data.

A :class:`RuleSet` is one version of the rules for one segment (BPU or PU), in force from
``effective_from`` to ``effective_to`` (inclusive; open-ended when blank), with its legal basis
and the source of its figures. Its child rows hold the rates, the BPU declared-income tiers and
the discounts. When several versions of a segment are in force on a date, the one with the
latest ``effective_from`` wins, so an administrator adds a new version without closing the old
one first. Every premium in Lindung is computed from these rows by :mod:`lindung.subsidy.premiums`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lindung.core.formats import rupiah


class Segment(models.TextChoices):
    BPU = "BPU", _("Bukan Penerima Upah (BPU)")
    PU = "PU", _("Penerima Upah (PU)")


class Programme(models.TextChoices):
    JKK = "JKK", _("JKK — Jaminan Kecelakaan Kerja")
    JKM = "JKM", _("JKM — Jaminan Kematian")
    JHT = "JHT", _("JHT — Jaminan Hari Tua")
    JP = "JP", _("JP — Jaminan Pensiun")
    JKP = "JKP", _("JKP — Jaminan Kehilangan Pekerjaan")


class Payer(models.TextChoices):
    """Who pays a BPU participant's premium."""

    GOVERNMENT = "pemerintah", _("Pemerintah (APBN/APBD)")
    VILLAGE = "desa", _("Desa (APBDes/Dana Desa)")
    CSR = "csr", _("CSR/sponsor")
    SELF = "mandiri", _("Mandiri (peserta sendiri)")


class Sector(models.TextChoices):
    """Sectors that discounts distinguish; a blank sector on a discount means "all others"."""

    TRANSPORT = "transportasi", _("Transportasi")
    OTHER = "lainnya", _("Sektor lainnya")


class RiskClass(models.IntegerChoices):
    VERY_LOW = 1, _("I — sangat rendah")
    LOW = 2, _("II — rendah")
    MEDIUM = 3, _("III — sedang")
    HIGH = 4, _("IV — tinggi")
    VERY_HIGH = 5, _("V — sangat tinggi")


def split_codes(value: str) -> list[str]:
    """``"JKK, jkm"`` → ``["JKK", "JKM"]`` (comma-separated lists kept editable in the admin)."""
    return [part.strip() for part in value.split(",") if part.strip()]


class RuleSetQuerySet(models.QuerySet["RuleSet"]):
    def in_force(self, on: object) -> RuleSetQuerySet:
        return self.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on
        )


class RuleSet(models.Model):
    """One version of the contribution rules of one segment."""

    name = models.CharField(_("nama versi"), max_length=120)
    segment = models.CharField(_("segmen"), max_length=3, choices=Segment.choices)
    effective_from = models.DateField(_("berlaku mulai"))
    effective_to = models.DateField(
        _("berlaku sampai"),
        null=True,
        blank=True,
        help_text=_("Inklusif. Kosongkan bila masih berlaku; versi yang lebih baru tetap menang."),
    )
    legal_basis = models.TextField(_("dasar hukum"))
    source = models.TextField(_("sumber angka"), blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("versi aturan iuran")
        verbose_name_plural = _("versi aturan iuran")
        ordering = ["segment", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="subsidy_ruleset_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["segment", "effective_from"], name="subsidy_ruleset_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.segment} · {self.name} (mulai {self.effective_from:%d-%m-%Y})"


class BpuRate(models.Model):
    """A BPU programme's premium: a percentage of declared income or a flat amount per month."""

    class Kind(models.TextChoices):
        PERCENT = "persen", _("Persen dari penghasilan dilaporkan")
        FLAT = "tetap", _("Nominal tetap (Rp)")

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("versi aturan"), on_delete=models.CASCADE, related_name="bpu_rates"
    )
    programme = models.CharField(_("program"), max_length=3, choices=Programme.choices)
    kind = models.CharField(_("jenis"), max_length=6, choices=Kind.choices)
    value = models.DecimalField(
        _("nilai"),
        max_digits=12,
        decimal_places=4,
        validators=[MinValueValidator(0)],
        help_text=_("Persen (mis. 1,00) atau rupiah (mis. 6800)."),
    )
    mandatory = models.BooleanField(_("wajib"), default=False)

    class Meta:
        verbose_name = _("tarif BPU")
        verbose_name_plural = _("tarif BPU")
        ordering = ["rule_set", "programme"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "programme"], name="subsidy_bpurate_unique_programme"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="subsidy_bpurate_value_gte_0"),
        ]

    def __str__(self) -> str:
        unit = "%" if self.kind == self.Kind.PERCENT else " Rp"
        return f"{self.programme} {self.value}{unit}"


class IncomeTier(models.Model):
    """One declared-income step of the BPU table; declared income is snapped UP to a tier."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("versi aturan"), on_delete=models.CASCADE, related_name="tiers"
    )
    income = models.PositiveBigIntegerField(_("penghasilan (Rp)"))

    class Meta:
        verbose_name = _("tier penghasilan BPU")
        verbose_name_plural = _("tier penghasilan BPU")
        ordering = ["rule_set", "income"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "income"], name="subsidy_tier_unique"),
        ]

    def __str__(self) -> str:
        return rupiah(self.income)


class Discount(models.Model):
    """A temporary discount on some BPU programmes, for one sector (blank = all other sectors).

    Rows of one discount share a ``name``: a row for a specific sector takes precedence over the
    blank-sector row of the same name, so "transport Jan 2026–Mar 2027, other sectors Apr–Dec
    2026" is two rows. Participants whose payer is in ``excluded_payers`` never get it.
    """

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("versi aturan"), on_delete=models.CASCADE, related_name="discounts"
    )
    name = models.CharField(_("nama"), max_length=120)
    programmes = models.CharField(
        _("program"), max_length=40, help_text=_("Dipisah koma, mis. JKK,JKM.")
    )
    percent = models.DecimalField(
        _("diskon (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    sector = models.CharField(
        _("sektor"),
        max_length=20,
        choices=Sector.choices,
        blank=True,
        help_text=_("Kosong = semua sektor yang tidak punya baris sendiri untuk diskon ini."),
    )
    valid_from = models.DateField(_("berlaku mulai"))
    valid_to = models.DateField(_("berlaku sampai (inklusif)"))
    excluded_payers = models.CharField(
        _("pembayar yang dikecualikan"),
        max_length=60,
        blank=True,
        help_text=_("Dipisah koma: pemerintah, desa, csr, mandiri."),
    )
    legal_basis = models.TextField(_("dasar hukum"))
    source = models.TextField(_("sumber"), blank=True)

    class Meta:
        verbose_name = _("diskon iuran")
        verbose_name_plural = _("diskon iuran")
        ordering = ["rule_set", "name", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="subsidy_discount_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="subsidy_discount_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.percent}% {self.sector or 'lainnya'}"

    def programme_list(self) -> list[str]:
        return [p.upper() for p in split_codes(self.programmes)]

    def excluded_payer_list(self) -> list[str]:
        return [p.lower() for p in split_codes(self.excluded_payers)]

    def clean(self) -> None:
        bad = [p for p in self.programme_list() if p not in Programme.values]
        if bad:
            raise ValidationError({"programmes": _("Program tidak dikenal: %s") % ", ".join(bad)})
        bad = [p for p in self.excluded_payer_list() if p not in Payer.values]
        if bad:
            raise ValidationError(
                {"excluded_payers": _("Pembayar tidak dikenal: %s") % ", ".join(bad)}
            )


class PuRate(models.Model):
    """One share of a PU programme, as a percentage of the monthly wage (capped if ``wage_cap``).

    ``payer`` says who carries the share: employer, worker, the central government, or a
    recomposition (a part of another programme's contribution moved here: not an extra cost).
    """

    class PaidBy(models.TextChoices):
        EMPLOYER = "pemberi_kerja", _("Pemberi kerja")
        WORKER = "pekerja", _("Pekerja")
        GOVERNMENT = "pemerintah", _("Pemerintah pusat")
        RECOMPOSITION = "rekomposisi", _("Rekomposisi (bagian iuran program lain)")

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("versi aturan"), on_delete=models.CASCADE, related_name="pu_rates"
    )
    programme = models.CharField(_("program"), max_length=3, choices=Programme.choices)
    paid_by = models.CharField(_("ditanggung oleh"), max_length=14, choices=PaidBy.choices)
    risk_class = models.PositiveSmallIntegerField(
        _("kelompok risiko"),
        choices=RiskClass.choices,
        null=True,
        blank=True,
        help_text=_("Hanya untuk JKK."),
    )
    percent = models.DecimalField(
        _("persen upah"), max_digits=6, decimal_places=3, validators=[MinValueValidator(0)]
    )
    wage_cap = models.PositiveBigIntegerField(
        _("batas atas upah (Rp)"), null=True, blank=True, help_text=_("Mis. batas upah JP.")
    )
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tarif PU")
        verbose_name_plural = _("tarif PU")
        ordering = ["rule_set", "programme", "risk_class", "paid_by"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "programme", "paid_by", "risk_class"],
                condition=Q(risk_class__isnull=False),
                name="subsidy_purate_unique_by_risk",
            ),
            models.UniqueConstraint(
                fields=["rule_set", "programme", "paid_by"],
                condition=Q(risk_class__isnull=True),
                name="subsidy_purate_unique",
            ),
            models.CheckConstraint(condition=Q(percent__gte=0), name="subsidy_purate_percent"),
        ]

    def __str__(self) -> str:
        risk = f" kelas {self.risk_class}" if self.risk_class else ""
        return f"{self.programme}{risk} {self.percent}% ({self.get_paid_by_display()})"


class Benefit(models.Model):
    """A benefit figure used to explain impact in reports (e.g. the JKM death benefit)."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    programme = models.CharField(_("program"), max_length=3, choices=Programme.choices)
    description = models.CharField(_("uraian"), max_length=255)
    amount = models.PositiveBigIntegerField(_("nilai (Rp)"))
    legal_basis = models.TextField(_("dasar hukum"))
    source = models.TextField(_("sumber"), blank=True)

    class Meta:
        verbose_name = _("manfaat")
        verbose_name_plural = _("manfaat")
        ordering = ["programme", "code"]

    def __str__(self) -> str:
        return f"{self.programme}: {self.description}"
