"""Load the shipped province/kab-kota/kecamatan/desa reference data (idempotent upsert)."""

from django.db import migrations


def load(apps, schema_editor):
    from lindung.regions.services import load_reference_regions

    region = apps.get_model("regions", "Region")
    load_reference_regions(region, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
