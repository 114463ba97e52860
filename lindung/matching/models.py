"""Participants of BPJS Ketenagakerjaan, as reported by BPJS, for matching against the registry.

A participant file lists who is covered: wage earners (PU) under an employer number (NPP),
informal workers (BPU, no employer) and construction-project workers (JAKON). Matching these
rows to proposed workers tells the province who is already covered and who still needs a
government-paid enrolment.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from lindung import nik as nik_module
from lindung.registry.models import NikStatus, Sex, WorkerStatus
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


# --- Coverage: the registry matched against the participants ------------------------------------


class CoverageStatus(models.TextChoices):
    """Where a proposed worker stands with BPJS TK after the latest matching run."""

    PU = "pu", _("Terlindungi sebagai penerima upah")
    BPU_MANDIRI = "bpu_mandiri", _("BPU mandiri")
    BPU_PROGRAM = "bpu_program", _("BPU dibayar pemerintah/CSR")
    NONAKTIF = "nonaktif", _("Kepesertaan nonaktif")
    # "Belum terlindungi" is the group (this + nonaktif) the dashboard counts: a different name
    BELUM = "belum", _("Tidak terdaftar di BPJS TK")
    TINJAUAN = "tinjauan", _("Perlu ditinjau")


#: Statuses that count as "already covered" (the province need not pay for them).
COVERED = (CoverageStatus.PU, CoverageStatus.BPU_MANDIRI, CoverageStatus.BPU_PROGRAM)
#: Statuses that still need protection: never found among participants, or a lapsed membership.
NOT_COVERED = (CoverageStatus.BELUM, CoverageStatus.NONAKTIF)


class CoverageGroup(models.TextChoices):
    """Values of the ``coverage`` filter beyond the single statuses (lists, exports, the API and
    the dashboard's links all use them): the two groups, and workers no run has matched yet."""

    TERLINDUNGI = "terlindungi", _("Terlindungi (PU + BPU)")
    BELUM_TERLINDUNGI = "belum_terlindungi", _("Belum terlindungi (tidak terdaftar + nonaktif)")
    BELUM_DICOCOKKAN = "belum_dicocokkan", _("Belum dicocokkan")


#: The statuses each group stands for (``belum_dicocokkan`` has none: no Coverage row).
GROUP_STATUSES: dict[str, tuple[CoverageStatus, ...]] = {
    CoverageGroup.TERLINDUNGI: COVERED,
    CoverageGroup.BELUM_TERLINDUNGI: NOT_COVERED,
}


def coverage_statuses(value: str) -> tuple[str, ...] | None:
    """The statuses a ``coverage`` filter value stands for, for counting Coverage rows; None for
    ``belum_dicocokkan`` and for an unknown value."""
    if value in GROUP_STATUSES:
        return tuple(GROUP_STATUSES[value])
    return (value,) if value in CoverageStatus.values else None


def worker_coverage_q(value: str, kabkota: str | None = None) -> Q | None:
    """A filter on ``registry.Worker`` for a ``coverage`` value; None when the value is unknown.

    Statuses join the one-to-one Coverage row through its unique ``worker`` index; when the
    workers are confined to one ``kabkota`` (an operator, a kab/kota filter), saying so on the
    Coverage side too lets PostgreSQL start from the (kabkota, status) index: a rare status in
    one kab/kota is then counted in milliseconds instead of scanning the province's rows.
    ``belum_dicocokkan`` is a NOT EXISTS (an anti-join: ``coverage__isnull`` would be a left
    join that PostgreSQL misestimates as one row once the page also selects the coverage
    columns: 14 s instead of milliseconds at a million workers). It leaves out rejected
    proposals (merged duplicates), which a run never matches, as the coverage overview does.
    """
    if value == CoverageGroup.BELUM_DICOCOKKAN:
        matched = Exists(Coverage.objects.filter(worker_id=OuterRef("pk")))
        return ~Q(matched) & ~Q(status=WorkerStatus.REJECTED)
    statuses = coverage_statuses(value)
    if not statuses:
        return None
    same_area = Q(coverage__kabkota_id=kabkota) if kabkota else Q()
    return Q(coverage__status__in=statuses) & same_area


class RunStatus(models.TextChoices):
    QUEUED = "antre", _("Menunggu giliran")
    RUNNING = "berjalan", _("Berjalan")
    DONE = "selesai", _("Selesai")
    FAILED = "gagal", _("Gagal")


class MatchRun(models.Model):
    """One matching of the registry against all participants (background job or command)."""

    scope_field = "kabkota"

    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    kabkota = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kosong: seluruh provinsi."),
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    stage = models.CharField(_("tahap"), max_length=100, blank=True)
    counts = models.JSONField(_("jumlah"), default=dict, blank=True)
    summary = models.JSONField(_("ringkasan mesin"), default=dict, blank=True)
    message = models.CharField(_("pesan"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("dijalankan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("proses pencocokan")
        verbose_name_plural = _("proses pencocokan")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Pencocokan #{self.pk} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in {RunStatus.QUEUED, RunStatus.RUNNING}

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class Coverage(models.Model):
    """The coverage of one proposed worker, as the latest run (or a reviewer) decided it.

    ``kabkota`` repeats the worker's kab/kota so that scoping and the per-region counts use one
    indexed column. ``participant`` is the linked participant (or, for ``tinjauan``, the
    candidate awaiting review); ``reason`` is the engine's Indonesian explanation.
    ``alternatives`` are the worker's other candidates above the review threshold, best first
    (``{"participant_id", "probability", "reason"}``): a rejected pair falls back to the next
    one at once, without waiting for (or re-running) the engine.
    """

    scope_field = "kabkota"

    worker = models.OneToOneField(
        "registry.Worker",
        verbose_name=_("pekerja"),
        on_delete=models.CASCADE,
        related_name="coverage",
    )
    kabkota = models.ForeignKey(
        "regions.Region",
        db_index=False,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status cakupan"), max_length=12, choices=CoverageStatus.choices)
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("peserta"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    probability = models.FloatField(_("probabilitas"), null=True, blank=True)
    reason = models.CharField(_("alasan"), max_length=255, blank=True)
    run = models.ForeignKey(
        MatchRun,
        verbose_name=_("proses"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("diputuskan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    alternatives = models.JSONField(
        _("calon lain"),
        default=list,
        blank=True,
        help_text=_(
            "Peserta lain yang mirip (terbaik dulu): pengganti bila pasangan ini ditolak petugas."
        ),
    )

    class Meta:
        verbose_name = _("cakupan pekerja")
        verbose_name_plural = _("cakupan pekerja")
        ordering = ["-id"]
        indexes = [models.Index(fields=["kabkota", "status"], name="coverage_kabkota_status")]

    def __str__(self) -> str:
        return f"{self.worker_id}: {self.get_status_display()}"


class Decision(models.TextChoices):
    ACCEPT = "terima", _("Diterima")
    REJECT = "tolak", _("Ditolak")


class ReviewDecision(models.Model):
    """A reviewer's word on one (worker, participant) pair, applied again on every run.

    A rejected pair never links again; an accepted pair always links, whatever the engine says.
    """

    scope_field = "kabkota"

    worker = models.ForeignKey(
        "registry.Worker", verbose_name=_("pekerja"), on_delete=models.CASCADE, related_name="+"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("peserta"), on_delete=models.CASCADE, related_name="+"
    )
    kabkota = models.ForeignKey(
        "regions.Region",
        db_index=False,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(_("keputusan"), max_length=6, choices=Decision.choices)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("petugas"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("waktu"), auto_now=True)

    class Meta:
        verbose_name = _("keputusan tinjauan")
        verbose_name_plural = _("keputusan tinjauan")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "participant"], name="review_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} ↔ {self.participant_id}: {self.get_decision_display()}"


class DuplicateStatus(models.TextChoices):
    OPEN = "terbuka", _("Belum diputuskan")
    MERGED = "digabung", _("Digabung")
    DISMISSED = "bukan", _("Bukan orang yang sama")


class DuplicatePair(models.Model):
    """Two proposals (by different offices) that the engine thinks are the same person."""

    scope_field = "kabkota"

    first = models.ForeignKey(
        "registry.Worker", verbose_name=_("usulan 1"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        "registry.Worker", verbose_name=_("usulan 2"), on_delete=models.CASCADE, related_name="+"
    )
    kabkota = models.ForeignKey(
        "regions.Region",
        db_index=False,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    probability = models.FloatField(_("probabilitas"))
    reason = models.CharField(_("alasan"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    kept = models.ForeignKey(
        "registry.Worker",
        verbose_name=_("usulan dipertahankan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("diputuskan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    run = models.ForeignKey(
        MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("usulan ganda")
        verbose_name_plural = _("usulan ganda")
        ordering = ["-probability", "id"]
        indexes = [models.Index(fields=["kabkota", "status"], name="duplicate_kabkota_status")]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.first_id} = {self.second_id}?"

    @property
    def workers(self) -> tuple[Any, Any]:
        return (self.first, self.second)
