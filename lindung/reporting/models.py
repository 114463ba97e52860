"""Pre-computed coverage counts for the dashboard and the reports, and monthly snapshots.

Counting two million workers per page view is too slow for fifty leaders at once, so
:func:`lindung.reporting.summary.refresh_summaries` rebuilds these tables set-based after each
matching run, import or selection (and on ``lindung refresh-dashboard``):

* :class:`CoverageCell` — the finest grain: desa × occupation × sex × age group × coverage;
* :class:`RegionCount` — its roll-ups per region (province, kab/kota, kecamatan, desa), in total
  and split by one dimension, which is what pages read (a few hundred indexed rows per page);
* :class:`SummaryState` — when the tables were last rebuilt, and a version for the caches.

:class:`CoverageSnapshot` keeps one row per month × region × measure (``lindung snapshot``), so
trends show what was really counted each month; nothing is back-filled.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


def _region(verbose_name: Any, **options: Any) -> models.ForeignKey:  # type: ignore[type-arg]
    """A reference to a region code without a database constraint or index of its own: rows
    are rebuilt wholesale from the registry, whose own foreign keys already checked the codes."""
    return models.ForeignKey(
        "regions.Region",
        verbose_name=verbose_name,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        **options,
    )


class Dimension(models.TextChoices):
    TOTAL = "total", _("Jumlah")
    OCCUPATION = "occupation", _("Pekerjaan")
    SEX = "sex", _("Jenis kelamin")
    AGE = "age", _("Kelompok usia")
    NIK = "nik", _("Status NIK")


class CoverageCell(models.Model):
    """Workers of one desa, occupation, sex and age group with one coverage value.

    ``coverage`` is a :class:`~lindung.matching.models.CoverageStatus` value, or
    ``belum_dicocokkan`` for a worker no run has matched yet. ``age_group`` is an
    :attr:`~lindung.registry.ages.AgeRange.param` on the day of the refresh (``""``: unknown).
    """

    scope_field = "kabkota"

    kabkota = _region(_("kabupaten/kota"))
    kecamatan = _region(_("kecamatan"), null=True)
    desa = _region(_("desa/kelurahan"), null=True)
    occupation = models.CharField(_("pekerjaan"), max_length=24)
    sex = models.CharField(_("jenis kelamin"), max_length=1)
    age_group = models.CharField(_("kelompok usia"), max_length=10)
    #: The registry's NIK status (the home page's "valid NIK" figures).
    nik_status = models.CharField(_("status NIK"), max_length=12, default="")
    coverage = models.CharField(_("cakupan"), max_length=20)
    n = models.PositiveIntegerField(_("jumlah"))

    class Meta:
        verbose_name = _("sel ringkasan cakupan")
        verbose_name_plural = _("sel ringkasan cakupan")
        indexes = [models.Index(fields=["kabkota"], name="cell_kabkota")]

    def __str__(self) -> str:
        return f"{self.desa_id or self.kabkota_id} {self.occupation}/{self.sex}/{self.age_group}"


class RegionCount(models.Model):
    """Workers of one region with one coverage value, in total or for one value of a split."""

    scope_field = "kabkota"

    region = _region(_("wilayah"))
    parent = models.CharField(_("wilayah induk"), max_length=13, blank=True)
    level = models.CharField(_("tingkat"), max_length=10)
    kabkota = _region(_("kabupaten/kota"), null=True, help_text=_("Kosong: baris provinsi."))
    dimension = models.CharField(_("pemilahan"), max_length=10, choices=Dimension.choices)
    value = models.CharField(_("nilai"), max_length=24, blank=True)
    coverage = models.CharField(_("cakupan"), max_length=20)
    n = models.PositiveIntegerField(_("jumlah"))

    class Meta:
        verbose_name = _("jumlah per wilayah")
        verbose_name_plural = _("jumlah per wilayah")
        indexes = [
            models.Index(fields=["region", "dimension"], name="regioncount_region"),
            models.Index(fields=["parent", "dimension"], name="regioncount_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.dimension}={self.value} {self.coverage}: {self.n}"


class SummaryState(models.Model):
    """The one row telling when the summary tables were rebuilt (``pk`` is always 1)."""

    refreshed_at = models.DateTimeField(_("diperbarui"))
    as_of = models.DateField(_("usia dihitung per tanggal"))
    seconds = models.FloatField(_("lama (detik)"))
    workers = models.PositiveIntegerField(_("pekerja dihitung"))
    version = models.PositiveIntegerField(_("versi"), default=0)

    class Meta:
        verbose_name = _("status ringkasan dasbor")
        verbose_name_plural = _("status ringkasan dasbor")

    def __str__(self) -> str:
        return f"v{self.version} {self.refreshed_at:%Y-%m-%d %H:%M}"


class CoverageSnapshot(models.Model):
    """One measure of one region (the province or a kab/kota) in one month.

    ``measure`` is a coverage value (as in :class:`CoverageCell`) or ``total``; the value is the
    count at the last snapshot taken in that month.
    """

    scope_field = "region"

    month = models.DateField(_("bulan"), help_text=_("Hari pertama bulan."))
    region = _region(_("wilayah"))
    measure = models.CharField(_("ukuran"), max_length=20)
    value = models.PositiveBigIntegerField(_("nilai"))
    taken_at = models.DateTimeField(_("diambil"))

    class Meta:
        verbose_name = _("potret bulanan cakupan")
        verbose_name_plural = _("potret bulanan cakupan")
        ordering = ["month", "region", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region", "measure"], name="snapshot_unique_month_measure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id} {self.measure}: {self.value}"
