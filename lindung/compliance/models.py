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
    wage_reported = models.PositiveIntegerField(
        _("rata-rata upah dilaporkan WLKP (Rp)"), null=True, blank=True
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
    # db_default: the set-based loader inserts only the columns it knows.
    nib = models.CharField(_("NIB"), max_length=20, blank=True, default="", db_default="")
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
        self.nib = self.nib.strip()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def programme_list(self) -> list[str]:
        return [p for p in self.programmes.split(",") if p]


# --- compliance rules (data an admin edits) ------------------------------------------------------


class MinimumWage(models.Model):
    """UMP (region = the province) or UMK (region = a kab/kota) of one year."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"code__startswith": "64", "level__in": ("provinsi", "kabkota")},
    )
    amount = models.DecimalField(_("besaran (Rp/bulan)"), max_digits=12, decimal_places=2)
    legal_basis = models.CharField(_("dasar hukum"), max_length=255, blank=True)
    source = models.CharField(_("sumber"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("upah minimum")
        verbose_name_plural = _("upah minimum")
        ordering = ["-year", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="minimumwage_year_region")
        ]

    def __str__(self) -> str:
        kind = "UMP" if "." not in self.region_id else "UMK"
        return f"{kind} {self.region_id} {self.year}: Rp {self.amount:,.0f}"


class ProgrammeRequirement(models.Model):
    """Programmes a company of one size class must register its workers in."""

    size_class = models.CharField(
        _("skala usaha"), max_length=8, choices=SizeClass.choices, unique=True
    )
    programmes = models.CharField(
        _("program wajib"), max_length=40, help_text=_("Dipisah koma, mis. JKK,JKM,JHT,JP.")
    )
    legal_basis = models.CharField(_("dasar hukum"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("program wajib per skala usaha")
        verbose_name_plural = _("program wajib per skala usaha")
        ordering = ["size_class"]

    def __str__(self) -> str:
        return f"{self.get_size_class_display()}: {self.programmes}"

    @property
    def programme_list(self) -> list[str]:
        return [p.strip().upper() for p in self.programmes.split(",") if p.strip()]


class ComplianceSettings(models.Model):
    """Thresholds of matching and of the compliance findings (one row, edited in the admin)."""

    auto_match_score = models.DecimalField(
        _("skor minimal cocok otomatis"), max_digits=4, decimal_places=3, default=0.92
    )
    review_min_score = models.DecimalField(
        _("skor minimal untuk ditinjau"), max_digits=4, decimal_places=3, default=0.75
    )
    workforce_tolerance_pct = models.DecimalField(
        _("toleransi selisih tenaga kerja (%)"), max_digits=5, decimal_places=2, default=10
    )
    workforce_tolerance_min = models.PositiveIntegerField(
        _("toleransi selisih tenaga kerja minimal (orang)"), default=2
    )
    wage_tolerance_pct = models.DecimalField(
        _("toleransi upah di bawah acuan (%)"), max_digits=5, decimal_places=2, default=0
    )
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("ambang kepatuhan")
        verbose_name_plural = _("ambang kepatuhan")

    def __str__(self) -> str:
        return str(_("Ambang kepatuhan"))

    @classmethod
    def current(cls) -> ComplianceSettings:
        obj = cls.objects.order_by("pk").first()
        return obj if obj is not None else cls.objects.create()


# --- results -------------------------------------------------------------------------------------


class MatchDecision(models.TextChoices):
    AUTO = "otomatis", _("Otomatis")
    REVIEW = "perlu_tinjauan", _("Perlu tinjauan")
    ACCEPTED = "diterima", _("Diterima")
    REJECTED = "ditolak", _("Ditolak")


#: Decisions that link a company to an employer.
LINKED = (MatchDecision.AUTO, MatchDecision.ACCEPTED)
#: Decisions made by a person: kept when matching runs again.
DECIDED = (MatchDecision.ACCEPTED, MatchDecision.REJECTED)


class MatchMethod(models.TextChoices):
    NIB = "nib", _("NIB sama")
    NPWP = "npwp", _("NPWP sama")
    NAME = "nama", _("Nama, alamat dan kab/kota")


class CompanyMatch(models.Model):
    """A company found (or proposed) among the employers registered with BPJS."""

    scope_field = "company__kabkota"

    company = models.ForeignKey(
        Company, verbose_name=_("perusahaan"), on_delete=models.CASCADE, related_name="matches"
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("pemberi kerja"), on_delete=models.CASCADE, related_name="matches"
    )
    score = models.FloatField(_("skor"))
    reason = models.CharField(_("alasan"), max_length=255)
    method = models.CharField(_("metode"), max_length=8, choices=MatchMethod.choices)
    decision = models.CharField(
        _("keputusan"), max_length=16, choices=MatchDecision.choices, db_index=True
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("diputuskan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("pencocokan perusahaan")
        verbose_name_plural = _("pencocokan perusahaan")
        ordering = ["company_id", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["company", "employer"], name="companymatch_unique")
        ]

    def __str__(self) -> str:
        return f"{self.company_id} ↔ {self.employer_id} ({self.get_decision_display()})"


class ComplianceStatus(models.TextChoices):
    """Headline statuses, from the most serious down (see ``SEVERITY``)."""

    UNREGISTERED = "wajib_belum_daftar", _("Wajib belum daftar")
    PDS_WORKFORCE = "pds_tenaga_kerja", _("PDS tenaga kerja")
    PDS_WAGE = "pds_upah", _("PDS upah")
    PDS_PROGRAMME = "pds_program", _("PDS program")
    COMPLIANT = "patuh", _("Patuh")


SEVERITY = {status: rank for rank, status in enumerate(reversed(ComplianceStatus.values))}


class CompanyStatus(models.Model):
    """The latest compliance finding of one company, with the figures behind it."""

    scope_field = "company__kabkota"

    company = models.OneToOneField(
        Company,
        verbose_name=_("perusahaan"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="compliance",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ComplianceStatus.choices, db_index=True
    )
    findings = models.JSONField(_("temuan"), default=list, blank=True)
    evidence = models.JSONField(_("bukti"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("dihitung pada"))

    class Meta:
        verbose_name = _("status kepatuhan")
        verbose_name_plural = _("status kepatuhan")

    def __str__(self) -> str:
        return f"{self.company_id}: {self.get_status_display()}"

    @property
    def further_findings(self) -> list[str]:
        """Labels of the findings after the headline one ("PDS upah", "PDS program")."""
        return [str(ComplianceStatus(f["status"]).label) for f in self.findings[1:]]


# --- case tracking (letters, responses, escalation): see cases.py --------------------------------

from lindung.compliance.cases import (  # noqa: E402, F401 (Django finds them here)
    Case,
    CaseEvent,
    CaseResponse,
    EscalationRule,
)
