"""The registry of vulnerable workers (pekerja rentan) proposed by the kab/kota offices."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung import nik as nik_module
from lindung.registry.names import search_key


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Occupation(models.TextChoices):
    """Informal occupations that make a worker "rentan" in Kaltim's programmes."""

    NELAYAN = "nelayan", _("Nelayan")
    PETANI = "petani", _("Petani/pekebun")
    BURUH_TANI = "buruh_tani", _("Buruh tani/kebun")
    BURUH_HARIAN = "buruh_harian_lepas", _("Buruh harian lepas")
    PEDAGANG = "pedagang_kaki_lima", _("Pedagang kaki lima/keliling")
    OJEK = "ojek", _("Pengemudi ojek")
    SOPIR = "sopir", _("Sopir angkutan")
    TUKANG_PARKIR = "tukang_parkir", _("Juru parkir")
    BURUH_PELABUHAN = "buruh_pelabuhan", _("Buruh pelabuhan/bongkar muat")
    TUKANG = "tukang_bangunan", _("Tukang/kuli bangunan")
    PRT = "pekerja_rumah_tangga", _("Pekerja rumah tangga")
    PENGRAJIN = "pengrajin", _("Pengrajin/industri rumahan")
    KEAGAMAAN = "pekerja_keagamaan", _("Pekerja keagamaan (marbot, guru ngaji)")
    PEMULUNG = "pemulung", _("Pemulung")
    PETERNAK = "peternak", _("Peternak")
    LAINNYA = "lainnya", _("Lainnya")


class WorkerStatus(models.TextChoices):
    PROPOSED = "diusulkan", _("Diusulkan")
    VERIFIED = "terverifikasi", _("Terverifikasi")
    REJECTED = "ditolak", _("Ditolak")
    INACTIVE = "nonaktif", _("Nonaktif (meninggal/pindah)")


class NikStatus(models.TextChoices):
    VALID = nik_module.NikStatus.VALID.value, _("Valid")
    DAMAGED = nik_module.NikStatus.DAMAGED.value, _("Rusak (Excel)")
    INVALID = nik_module.NikStatus.INVALID.value, _("Tidak valid")
    EMPTY = nik_module.NikStatus.EMPTY.value, _("Kosong")


class Worker(models.Model):
    """One proposal of a vulnerable worker by one office.

    The same person may be proposed by the province and by a regency: each proposal is a row
    (natural key: proposing office + NIK); duplicates across offices are found by matching.
    ``kabkota`` and ``kecamatan`` repeat what ``desa`` implies so that scoping, filters and keyset
    pagination use one indexed column each at a million rows.
    """

    scope_field = "kabkota"

    nik = models.CharField(_("NIK"), max_length=32, blank=True)
    nik_status = models.CharField(
        _("status NIK"), max_length=12, choices=NikStatus.choices, default=NikStatus.VALID
    )
    name = models.CharField(_("nama"), max_length=150)
    name_search = models.CharField(max_length=150, editable=False)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    desa = models.ForeignKey(
        "regions.Region",
        db_index=False,
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "desa"},
    )
    kecamatan = models.ForeignKey(
        "regions.Region",
        db_index=False,
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "kecamatan"},
    )
    kabkota = models.ForeignKey(
        "regions.Region",
        db_index=False,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "kabkota", "code__startswith": "64."},
    )
    occupation = models.CharField(
        _("pekerjaan"), max_length=24, choices=Occupation.choices, default=Occupation.LAINNYA
    )
    monthly_income = models.PositiveIntegerField(
        _("penghasilan per bulan (Rp)"), null=True, blank=True
    )
    poverty_decile = models.PositiveSmallIntegerField(
        _("desil kesejahteraan"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    proposer = models.ForeignKey(
        "regions.Region",
        db_index=False,
        verbose_name=_("instansi pengusul"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Provinsi atau kabupaten/kota yang mengusulkan."),
    )
    source = models.CharField(_("sumber data"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=WorkerStatus.choices, default=WorkerStatus.PROPOSED
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("pekerja rentan")
        verbose_name_plural = _("pekerja rentan")
        ordering = ["-id"]
        # Few, composite indexes: every one costs time on a million-row import. Foreign keys
        # carry no index of their own (db_index=False): each leads one of these instead.
        # PostgreSQL also gets a trigram index on name_search (migration 0002).
        indexes = [
            models.Index(fields=["nik"], name="worker_nik"),
            models.Index(fields=["desa", "-id"], name="worker_desa_id"),
            models.Index(fields=["kabkota", "-id"], name="worker_kabkota_id"),
            models.Index(fields=["kecamatan", "-id"], name="worker_kecamatan_id"),
            models.Index(fields=["occupation", "-id"], name="worker_occupation_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["proposer", "nik"],
                condition=models.Q(nik_status=NikStatus.VALID),
                name="worker_unique_nik_per_proposer",
            ),
            models.CheckConstraint(
                condition=models.Q(poverty_decile__isnull=True)
                | models.Q(poverty_decile__gte=1, poverty_decile__lte=10),
                name="worker_decile_1_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.masked_nik})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_search = search_key(self.name)
        if self.desa_id and not self.kecamatan_id:
            self.kecamatan_id = self.desa_id.rsplit(".", 1)[0]
        if self.kecamatan_id and not self.kabkota_id:
            self.kabkota_id = self.kecamatan_id.rsplit(".", 1)[0]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def masked_nik(self) -> str:
        return nik_module.mask(self.nik)
