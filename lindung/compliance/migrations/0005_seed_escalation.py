"""Seed the escalation rules (edited in the admin afterwards).

Only the 10 days between written warning I and II are set by PP 86/2013; the other durations
are regional policy ("kebijakan daerah, dapat diubah"). Days are calendar days from the letter
date. A case never escalates before the deadline printed in its letter (see cases_service).
"""

from django.db import migrations

POLICY = "kebijakan daerah, dapat diubah"
RULES = [
    (
        "imbauan",
        14,
        "teguran_1",
        f"Inpres 2/2021 (perluasan kepesertaan); {POLICY}",
        False,
    ),
    (
        "teguran_1",
        10,
        "teguran_2",
        "PP 86/2013: teguran tertulis II bila teguran tertulis I tidak dipenuhi dalam 10 hari",
        True,
    ),
    (
        "teguran_2",
        30,
        "rekomendasi_sanksi",
        "PP 86/2013 (denda, lalu sanksi tidak mendapat pelayanan publik tertentu) dan "
        f"Permenaker 4/2018 (tata cara); lama 30 hari: {POLICY}",
        False,
    ),
]


def seed(apps, schema_editor):
    EscalationRule = apps.get_model("compliance", "EscalationRule")
    for stage, days, next_stage, basis, fixed in RULES:
        EscalationRule.objects.update_or_create(
            stage=stage,
            defaults={
                "days": days,
                "next_stage": next_stage,
                "legal_basis": basis,
                "fixed_by_regulation": fixed,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("compliance", "EscalationRule").objects.filter(
        stage__in=[r[0] for r in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0004_cases")]
    operations = [migrations.RunPython(seed, unseed)]
