"""Seed the editable rules: UMP/UMK Kalimantan Timur 2025–2026, programmes by size, thresholds.

Figures come from press reports quoting the governor's decisions (not from the decrees
themselves): every ``source`` says so and asks for a check against the SK Gubernur. Where the
reports disagree the row is marked PERKIRAAN. Mahakam Ulu has no UMK for 2026 (it follows the
UMP), so no row is seeded: the status computation falls back to the UMP.
"""

from decimal import Decimal

from django.db import migrations

PRESS_2025 = (
    "Pemberitaan 17–18 Des 2024 (portalberau.online, iknpos.id, borneoflash.com) mengutip "
    "penetapan Gubernur; belum dicocokkan dengan naskah SK — periksa SK Gubernur"
)
PRESS_2026 = (
    "Pemberitaan 24–25 Des 2025 (narasi.co, cuitankaltim.com, kasakkusuk.com) mengutip "
    "Pengumuman Gubernur; belum dicocokkan dengan naskah — periksa SK Gubernur"
)
UMP = {
    2025: ("3579313.77", "UMP 2025 (Permenaker 16/2024, naik 6,5%)", PRESS_2025),
    2026: (
        "3762431.00",
        "UMP 2026, Pengumuman Gubernur Kaltim 500.15.14.1/5097/DTKT.Srk-IV/2025 (PP 49/2025)",
        PRESS_2026 + " (satu sumber menulis Rp 3.763.431)",
    ),
}
UMK_2025_BASIS = "UMK 2025, Keputusan Gubernur Kaltim 100.3.3.1/530/2024 (menurut pemberitaan)"
UMK_2026_BASIS = "UMK 2026, Pengumuman Gubernur Kaltim 500.15.14.1/5096/DTKT.Srk-IV/2025"
UMK = {
    2025: {
        "64.01": "3591565.53",  # Paser
        "64.02": "3766379.19",  # Kutai Kartanegara
        "64.03": "4081376.31",  # Berau
        "64.07": "3952233.98",  # Kutai Barat
        "64.08": "3743820.00",  # Kutai Timur
        "64.09": "3957345.89",  # Penajam Paser Utara
        "64.11": "3952233.98",  # Mahakam Ulu: reports differ, see below
        "64.71": "3701508.68",  # Balikpapan
        "64.72": "3724437.20",  # Samarinda
        "64.74": "3780012.66",  # Bontang
    },
    2026: {
        "64.01": "3776998.06",
        "64.02": "3991797.00",
        "64.03": "4391337.55",
        "64.07": "4231617.40",
        "64.08": "4067436.00",
        "64.09": "4181134.00",
        "64.71": "3856694.43",
        "64.72": "3983882.00",
        "64.74": "3799480.00",
    },
}
MAHULU_2025 = (
    "PERKIRAAN — periksa SK Gubernur: pemberitaan berbeda (Rp 3.952.233,98 'sama dengan Kutai "
    "Barat' atau Rp 3.953.233; satu sumber menyebut Mahakam Ulu belum menetapkan UMK)"
)
PERPRES = (
    "Perpres 109/2013 pasal 6 (TIDAK DIKONFIRMASI / UNCONFIRMED: rincian per skala usaha "
    "perlu diperiksa pada naskah)"
)
PROGRAMMES = {
    "mikro": "JKK,JKM",
    "kecil": "JKK,JKM,JHT",
    "menengah": "JKK,JKM,JHT,JP",
    "besar": "JKK,JKM,JHT,JP",
}


def seed(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    MinimumWage = apps.get_model("compliance", "MinimumWage")
    ProgrammeRequirement = apps.get_model("compliance", "ProgrammeRequirement")
    ComplianceSettings = apps.get_model("compliance", "ComplianceSettings")
    if not Region.objects.filter(code="64").exists():
        return  # regions are loaded by regions/0002; without them there is nothing to attach to
    for year, (amount, basis, source) in UMP.items():
        MinimumWage.objects.update_or_create(
            year=year,
            region_id="64",
            defaults={"amount": Decimal(amount), "legal_basis": basis, "source": source},
        )
    for year, rows in UMK.items():
        basis = UMK_2025_BASIS if year == 2025 else UMK_2026_BASIS
        for code, amount in rows.items():
            source = PRESS_2025 if year == 2025 else PRESS_2026
            if (year, code) == (2025, "64.11"):
                source = MAHULU_2025
            MinimumWage.objects.update_or_create(
                year=year,
                region_id=code,
                defaults={"amount": Decimal(amount), "legal_basis": basis, "source": source},
            )
    for size, programmes in PROGRAMMES.items():
        ProgrammeRequirement.objects.update_or_create(
            size_class=size, defaults={"programmes": programmes, "legal_basis": PERPRES}
        )
    if not ComplianceSettings.objects.exists():
        ComplianceSettings.objects.create(
            note="Nilai awal; ubah sesuai kebijakan Disnakertrans dan BPJS Ketenagakerjaan."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0002_rules_and_results"),
        ("regions", "0002_load_reference_regions"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
