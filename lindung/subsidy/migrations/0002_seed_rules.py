"""Seed the contribution rules (BPU, PU), the PP 50/2025 discount and benefit figures.

All figures are data: an administrator adds a new version in the admin when a regulation
changes. Figures marked UNCONFIRMED / BELUM DIKONFIRMASI must be checked against the decree.

BPU income tiers: the step of the Lampiran II PP 44/2015 table is UNCONFIRMED. Seeded choice:
every Rp 100.000 from Rp 1.000.000 to Rp 20.700.000 (198 tiers), which contains the known table
points (1.000.000; 1.100.000; …; 20.700.000). Snapping a declared income UP to this table
overcharges JKK by at most Rp 999 if the real table is finer; if it is coarser, delete the
extra tiers in the admin.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

BPU_BASIS = (
    "PP 44/2015 (Lampiran II dan III) jo. PP 82/2019 jo. PP 49/2023 tentang Penyelenggaraan "
    "Program JKK dan JKM; Permenaker 1/2016 dan Permenaker 5/2021 (tata cara, peserta BPU)"
)
BPU_SOURCE = (
    "JKK 1% penghasilan dilaporkan, JKM Rp 6.800 tetap, JHT 2%; paket minimum JKK+JKM "
    "Rp 16.800, dengan JHT Rp 36.800; JKK Rp 10.000 (Rp 1.000.000) s.d. Rp 207.000 "
    "(Rp 20.700.000). Sumber: catatan domain Lindung; suara.com 2023-07-06, star.grid.id."
)
BPU_NOTES = (
    "Tabel tier BELUM DIKONFIRMASI (UNCONFIRMED): diisi kelipatan Rp 100.000 dari Rp 1.000.000 "
    "s.d. Rp 20.700.000 (198 tier). Periksa Lampiran II PP 44/2015 dan sesuaikan di Admin. "
    "Penghasilan dibulatkan ke ATAS ke tier berikutnya; di atas tier tertinggi dihitung pada "
    "tier tertinggi. Tanggal mulai = berlakunya PP 44/2015 (1 Juli 2015); angka untuk periode "
    "sebelum PP 82/2019 belum diverifikasi."
)
PP50_BASIS = "PP 50/2025 (ditetapkan 22 Desember 2025): diskon 50% iuran JKK dan JKM peserta BPU"
PP50_SOURCE = (
    "Sumber sekunder: cnbcindonesia.com 2026-02-04 ('diskon 50 iuran JKK JKM pekerja "
    "informal'), star.grid.id. Peserta yang iurannya dibayar APBN/APBD dikecualikan. Status "
    "peserta yang dibayar APBDes/Dana Desa BELUM DIKONFIRMASI (tidak dikecualikan di sini) — "
    "periksa naskah PP 50/2025."
)
PU_BASIS = (
    "PP 44/2015 Lampiran I jo. PP 82/2019 (JKK per kelompok risiko, JKM 0,30%); "
    "PP 46/2015 (JHT 3,7% + 2%); PP 45/2015 pasal 28–29 (JP 2% + 1%, batas upah direvisi tiap "
    "Maret)"
)
PU_SOURCE_2024 = (
    "Tarif: catatan domain Lindung. Batas upah JP Rp 10.042.300 mulai Maret 2024: sumber "
    "sekunder (pemberitaan), belum dicocokkan dengan surat/keputusan BPJS Ketenagakerjaan."
)
PU_SOURCE_2025 = (
    "Tarif: catatan domain Lindung. Batas upah JP Rp 10.547.400 mulai 1 Maret 2025: sumber "
    "sekunder (pemberitaan), belum dicocokkan dengan surat/keputusan BPJS Ketenagakerjaan. "
    "JKP 0,36% (0,22% pemerintah pusat + 0,14% rekomposisi dari JKK) menurut PP 6/2025."
)
JKP_BASIS = "; PP 6/2025 (JKP 0,36% mulai 7 Februari 2025)"
JKP_CAP_NOTE = (
    "Batas upah JKP Rp 5.000.000 (dasar iuran dan manfaat) — untuk dasar iuran BELUM "
    "DIKONFIRMASI, periksa PP 37/2021 jo. PP 6/2025"
)

JKK_BY_RISK = {1: "0.24", 2: "0.54", 3: "0.89", 4: "1.27", 5: "1.74"}


def pu_rows(jp_cap, with_jkp):
    rows = [("JKK", "pemberi_kerja", risk, pct, None, "") for risk, pct in JKK_BY_RISK.items()]
    rows += [
        ("JKM", "pemberi_kerja", None, "0.30", None, ""),
        ("JHT", "pemberi_kerja", None, "3.70", None, ""),
        ("JHT", "pekerja", None, "2.00", None, ""),
        ("JP", "pemberi_kerja", None, "2.00", jp_cap, "Batas upah JP (PP 45/2015 pasal 29)"),
        ("JP", "pekerja", None, "1.00", jp_cap, "Batas upah JP (PP 45/2015 pasal 29)"),
    ]
    if with_jkp:
        rows += [
            ("JKP", "pemerintah", None, "0.22", 5_000_000, JKP_CAP_NOTE),
            ("JKP", "rekomposisi", None, "0.14", 5_000_000, "Dari iuran JKK; " + JKP_CAP_NOTE),
        ]
    return rows


PU_VERSIONS = [
    (
        "PU — batas upah JP Maret 2024",
        dt.date(2024, 3, 1),
        dt.date(2025, 2, 6),
        PU_BASIS,
        PU_SOURCE_2024,
        "JKP sebelum PP 6/2025 (PP 37/2021) tidak diisi: belum ada di catatan domain.",
        pu_rows(10_042_300, with_jkp=False),
    ),
    (
        "PU — PP 6/2025 (JKP 0,36%)",
        dt.date(2025, 2, 7),
        dt.date(2025, 2, 28),
        PU_BASIS + JKP_BASIS,
        PU_SOURCE_2024 + " JKP 0,36% menurut PP 6/2025.",
        "Versi antara: JKP baru berlaku, batas upah JP masih Rp 10.042.300.",
        pu_rows(10_042_300, with_jkp=True),
    ),
    (
        "PU — batas upah JP Maret 2025",
        dt.date(2025, 3, 1),
        None,
        PU_BASIS + JKP_BASIS,
        PU_SOURCE_2025,
        "Tambahkan versi baru tiap Maret saat batas upah JP direvisi (PP 45/2015 pasal 29).",
        pu_rows(10_547_400, with_jkp=True),
    ),
]

JKM_BENEFIT_BASIS = "PP 44/2015 jo. PP 82/2019 (manfaat JKM)"
BENEFITS = [
    (
        "jkm-santunan-kematian",
        "JKM",
        "Santunan kematian total (Rp 20 jt sekaligus + Rp 12 jt berkala + Rp 10 jt pemakaman)",
        42_000_000,
        JKM_BENEFIT_BASIS,
    ),
    ("jkm-santunan-sekaligus", "JKM", "Santunan sekaligus", 20_000_000, JKM_BENEFIT_BASIS),
    ("jkm-santunan-berkala", "JKM", "Santunan berkala", 12_000_000, JKM_BENEFIT_BASIS),
    ("jkm-biaya-pemakaman", "JKM", "Biaya pemakaman", 10_000_000, JKM_BENEFIT_BASIS),
    (
        "jkm-beasiswa-maksimal",
        "JKM",
        "Beasiswa pendidikan paling banyak 2 anak, total maksimal (kematian bukan akibat "
        "kecelakaan kerja: kepesertaan minimal 3 tahun)",
        174_000_000,
        JKM_BENEFIT_BASIS,
    ),
    (
        "jkp-uang-tunai-maksimal-bulanan",
        "JKP",
        "Uang tunai JKP per bulan, maksimal (60% × batas upah Rp 5.000.000), paling lama 6 bulan",
        3_000_000,
        "PP 6/2025",
    ),
]
BENEFIT_SOURCE = "Catatan domain Lindung (bagian Benefits); periksa naskah peraturan."


def seed(apps, schema_editor):
    RuleSet = apps.get_model("subsidy", "RuleSet")
    BpuRate = apps.get_model("subsidy", "BpuRate")
    IncomeTier = apps.get_model("subsidy", "IncomeTier")
    Discount = apps.get_model("subsidy", "Discount")
    PuRate = apps.get_model("subsidy", "PuRate")
    Benefit = apps.get_model("subsidy", "Benefit")

    bpu, created = RuleSet.objects.get_or_create(
        segment="BPU",
        effective_from=dt.date(2015, 7, 1),
        defaults={
            "name": "BPU — PP 44/2015 jo. PP 82/2019",
            "legal_basis": BPU_BASIS,
            "source": BPU_SOURCE,
            "notes": BPU_NOTES,
        },
    )
    if created:
        BpuRate.objects.bulk_create(
            [
                BpuRate(rule_set=bpu, programme="JKK", kind="persen", value=Decimal("1.00"),
                        mandatory=True),
                BpuRate(rule_set=bpu, programme="JKM", kind="tetap", value=Decimal("6800"),
                        mandatory=True),
                BpuRate(rule_set=bpu, programme="JHT", kind="persen", value=Decimal("2.00"),
                        mandatory=False),
            ]
        )
        IncomeTier.objects.bulk_create(
            [IncomeTier(rule_set=bpu, income=i) for i in range(1_000_000, 20_700_001, 100_000)]
        )
        for sector, start, end in [
            ("transportasi", dt.date(2026, 1, 1), dt.date(2027, 3, 31)),
            ("", dt.date(2026, 4, 1), dt.date(2026, 12, 31)),
        ]:
            Discount.objects.create(
                rule_set=bpu,
                name="PP 50/2025",
                programmes="JKK,JKM",
                percent=Decimal("50"),
                sector=sector,
                valid_from=start,
                valid_to=end,
                excluded_payers="pemerintah",
                legal_basis=PP50_BASIS,
                source=PP50_SOURCE,
            )

    for name, start, end, basis, source, notes, rows in PU_VERSIONS:
        rule_set, created = RuleSet.objects.get_or_create(
            segment="PU",
            effective_from=start,
            defaults={
                "name": name,
                "effective_to": end,
                "legal_basis": basis,
                "source": source,
                "notes": notes,
            },
        )
        if created:
            PuRate.objects.bulk_create(
                [
                    PuRate(rule_set=rule_set, programme=programme, paid_by=paid_by,
                           risk_class=risk, percent=Decimal(pct), wage_cap=cap, note=note)
                    for programme, paid_by, risk, pct, cap, note in rows
                ]
            )

    for code, programme, description, amount, basis in BENEFITS:
        Benefit.objects.get_or_create(
            code=code,
            defaults={
                "programme": programme,
                "description": description,
                "amount": amount,
                "legal_basis": basis,
                "source": BENEFIT_SOURCE,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("subsidy", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
