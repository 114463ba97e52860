"""Database triggers that refuse UPDATE and DELETE on the audit log, for raw SQL too."""

from django.db import migrations

from lindung.audit.db import create_triggers, drop_triggers


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: create_triggers(schema_editor.connection),
            lambda apps, schema_editor: drop_triggers(schema_editor.connection),
        )
    ]
