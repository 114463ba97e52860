"""PP 50/2025 excludes participants paid through APBN/APBD. A village budget (APBDes) is public
money too — most of it is Dana Desa transferred from the APBN — so a village-paid programme is
planned at the full Rp 16,800 as well. Administrators can change this row if BPJS TK rules
otherwise; planning at the undiscounted rate never leaves a programme short of budget."""

from django.db import migrations


def exclude_village(apps, schema_editor):
    Discount = apps.get_model("subsidy", "Discount")
    Discount.objects.filter(name="PP 50/2025", excluded_payers="pemerintah").update(
        excluded_payers="pemerintah,desa"
    )


def include_village(apps, schema_editor):
    Discount = apps.get_model("subsidy", "Discount")
    Discount.objects.filter(name="PP 50/2025", excluded_payers="pemerintah,desa").update(
        excluded_payers="pemerintah"
    )


class Migration(migrations.Migration):
    dependencies = [("subsidy", "0002_seed_rules")]

    operations = [migrations.RunPython(exclude_village, include_village)]
