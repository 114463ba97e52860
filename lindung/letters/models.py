"""Official letters to employers: templates, numbering, the register of outgoing letters.

A ``LetterTemplate`` per kind (imbauan, teguran I, teguran II, rekomendasi sanksi) holds the
wording with ``{placeholders}`` and the signatory; ``LetterSequence`` hands out letter numbers
in blocks; ``OutgoingLetter`` is the buku agenda surat keluar, with the exact data each letter
was printed from and its pages in the batch PDF; ``LetterBatch`` is one run of the generator
with its print-ready PDF (and, on request, a ZIP of single-letter PDFs).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    IMBAUAN = "imbauan", _("Imbauan pendaftaran")
    TEGURAN_1 = "teguran_1", _("Teguran tertulis I")
    TEGURAN_2 = "teguran_2", _("Teguran tertulis II")
    REKOMENDASI_SANKSI = "rekomendasi_sanksi", _("Rekomendasi sanksi tidak mendapat layanan publik")


class Letterhead(models.Model):
    """The kop surat and the place of signing. The newest active row is used."""

    pemerintah = models.CharField(
        _("pemerintah"), max_length=120, default="Pemerintah Provinsi Kalimantan Timur"
    )
    instansi = models.CharField(
        _("instansi"), max_length=160, default="Dinas Tenaga Kerja dan Transmigrasi"
    )
    alamat = models.CharField(
        _("alamat"),
        max_length=250,
        default="Jalan Kesuma Bangsa Nomor 1, Samarinda, Kalimantan Timur 75123",
    )
    telepon = models.CharField(_("telepon"), max_length=60, default="(0541) 000000")
    email = models.CharField(_("surel"), max_length=120, default="disnakertrans@kaltimprov.go.id")
    laman = models.CharField(_("laman"), max_length=120, default="disnakertrans.kaltimprov.go.id")
    kota = models.CharField(_("tempat penandatanganan"), max_length=60, default="Samarinda")
    logo = models.FileField(
        _("logo (PNG, JPG atau SVG)"),
        upload_to="letters/logo/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "svg"])],
        help_text=_("Kosongkan untuk memakai logo contoh."),
    )
    active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("kop surat")
        verbose_name_plural = _("kop surat")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.instansi} ({self.kota})"

    @classmethod
    def current(cls) -> Letterhead:
        return cls.objects.filter(active=True).first() or cls()

    @property
    def kontak(self) -> str:
        parts = [
            f"Telepon {self.telepon}" if self.telepon else "",
            f"Pos-el {self.email}" if self.email else "",
            f"Laman {self.laman}" if self.laman else "",
        ]
        return " · ".join(p for p in parts if p)


class LetterSequence(models.Model):
    """A numbering series: ``pattern`` formats ``{seq}`` and ``{year}``; restarts each year."""

    name = models.SlugField(_("nama"), max_length=60, unique=True)
    pattern = models.CharField(
        _("pola nomor"),
        max_length=120,
        default="500.15/{seq:04d}/Disnakertrans/{year}",
        help_text=_(
            "Memakai {seq} (nomor urut) dan {year} (tahun), "
            "mis. 500.15/{seq:04d}/Disnakertrans/{year}."
        ),
    )
    year = models.PositiveIntegerField(_("tahun"))
    next_number = models.PositiveIntegerField(_("nomor berikutnya"), default=1)

    class Meta:
        verbose_name = _("penomoran surat")
        verbose_name_plural = _("penomoran surat")

    def __str__(self) -> str:
        return f"{self.name} {self.year}: {self.next_number}"

    def clean(self) -> None:
        try:
            sample = self.format(1, 2026)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValidationError(
                {"pattern": _("Pola nomor hanya boleh memakai {seq} dan {year}.")}
            ) from exc
        if "{seq" not in self.pattern or not sample:
            raise ValidationError({"pattern": _("Pola nomor harus memuat {seq}.")})

    def format(self, seq: int, year: int | None = None) -> str:
        return self.pattern.format(seq=seq, year=year or self.year)


class LetterTemplate(models.Model):
    """The wording of one kind of letter. The newest active version of a kind is used."""

    kind = models.CharField(_("jenis"), max_length=24, choices=LetterKind.choices)
    name = models.CharField(_("nama templat"), max_length=120)
    version = models.PositiveIntegerField(_("versi"), default=1)
    active = models.BooleanField(_("aktif"), default=True)
    subject = models.CharField(_("perihal"), max_length=250)
    sifat = models.CharField(_("sifat"), max_length=40, default="Penting")
    lampiran = models.CharField(_("lampiran"), max_length=60, default="-")
    addressee = models.TextField(
        _("tujuan"),
        default="Pimpinan {nama_perusahaan}\n{alamat}",
        help_text=_("Satu baris per baris; baris pertama didahului 'Yth.'."),
    )
    place = models.CharField(
        _("di"), max_length=120, default="{di}", help_text=_("Tempat setelah 'di' pada alamat.")
    )
    body = models.TextField(
        _("isi surat"),
        help_text=_(
            "Teks biasa dengan {placeholder}. Paragraf dipisah baris kosong; baris yang diawali "
            "'- ' menjadi daftar; baris '[data perusahaan]' menjadi tabel angka perusahaan."
        ),
    )
    deadline_days = models.PositiveIntegerField(_("tenggat (hari)"), default=10)
    signer_position = models.TextField(
        _("jabatan penanda tangan"),
        default="a.n. Gubernur Kalimantan Timur\nKepala Dinas Tenaga Kerja dan Transmigrasi,",
        help_text=_("Satu baris per baris."),
    )
    signer_name = models.CharField(_("nama penanda tangan"), max_length=120)
    signer_rank = models.CharField(_("pangkat/golongan"), max_length=120, blank=True)
    signer_nip = models.CharField(_("NIP"), max_length=30, blank=True)
    copies_to = models.TextField(_("tembusan"), blank=True, help_text=_("Satu baris per tujuan."))
    sequence = models.ForeignKey(
        LetterSequence,
        verbose_name=_("penomoran"),
        on_delete=models.PROTECT,
        related_name="templates",
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("templat surat")
        verbose_name_plural = _("templat surat")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="letters_template_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @classmethod
    def current(cls, kind: str) -> LetterTemplate:
        found = cls.objects.filter(kind=kind, active=True).select_related("sequence").first()
        if found is None:
            raise LetterTemplate.DoesNotExist(
                f"Belum ada templat aktif untuk jenis surat '{LetterKind(kind).label}'."
            )
        return found

    def texts(self) -> tuple[str, ...]:
        """Every text that may carry placeholders."""
        return (
            self.subject,
            self.addressee,
            self.place,
            self.body,
            self.lampiran,
            self.sifat,
            self.copies_to,
        )


class BatchStatus(models.TextChoices):
    QUEUED = "antre", _("Menunggu")
    RUNNING = "berjalan", _("Sedang dibuat")
    DONE = "selesai", _("Selesai")
    FAILED = "gagal", _("Gagal")


class LetterBatch(models.Model):
    kind = models.CharField(_("jenis"), max_length=24, choices=LetterKind.choices)
    template = models.ForeignKey(
        LetterTemplate,
        verbose_name=_("templat"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    counts = models.JSONField(_("jumlah"), default=dict, blank=True)
    message = models.TextField(_("pesan"), blank=True)
    request = models.JSONField(
        _("permintaan"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Data surat yang diminta, untuk pekerja latar belakang."),
    )
    letterhead = models.JSONField(
        _("kop surat tercetak"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Kop surat persis seperti dicetak pada kumpulan ini."),
    )
    zip_file = models.FileField(
        _("ZIP"),
        upload_to="letters/batches/",
        blank=True,
        help_text=_("Satu PDF per surat; dibuat terpisah bila diminta."),
    )
    pdf_file = models.FileField(_("PDF siap cetak"), upload_to="letters/batches/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("kumpulan surat")
        verbose_name_plural = _("kumpulan surat")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in {BatchStatus.QUEUED, BatchStatus.RUNNING}


class OutgoingLetter(models.Model):
    """Buku agenda surat keluar: one row per numbered letter."""

    number = models.CharField(_("nomor surat"), max_length=120, unique=True)
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=24, choices=LetterKind.choices)
    company = models.ForeignKey(
        "compliance.Company",
        verbose_name=_("perusahaan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
    )
    addressee = models.CharField(_("kepada"), max_length=250)
    subject = models.CharField(_("perihal"), max_length=250)
    pdf_path = models.CharField(
        _("berkas PDF"),
        max_length=300,
        blank=True,
        help_text=_("Hanya surat lama; surat baru dibuat ulang dari salinan datanya."),
    )
    template = models.ForeignKey(
        LetterTemplate,
        verbose_name=_("templat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    template_version = models.PositiveIntegerField(_("versi templat"), null=True, blank=True)
    data = models.JSONField(
        _("data surat"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Salinan LetterData yang dipakai."),
    )
    content = models.JSONField(
        _("isi tercetak"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Masukan tata letak persis seperti dicetak (untuk membuat ulang PDF-nya)."),
    )
    page_first = models.PositiveIntegerField(_("halaman pertama di PDF kumpulan"), null=True)
    page_count = models.PositiveSmallIntegerField(_("jumlah halaman"), null=True)
    batch = models.ForeignKey(
        LetterBatch,
        verbose_name=_("kumpulan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("surat keluar")
        verbose_name_plural = _("buku agenda surat keluar")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"], name="letters_out_kind_date")]

    def __str__(self) -> str:
        return self.number
