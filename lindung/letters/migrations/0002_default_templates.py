from django.db import migrations


def forwards(apps, schema_editor):
    from lindung.letters.defaults import ensure_default_templates

    ensure_default_templates(apps)


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
