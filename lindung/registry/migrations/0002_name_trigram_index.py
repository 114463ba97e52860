"""On PostgreSQL, a trigram index lets "name contains" search stay fast at a million rows.

SQLite (the embedded demo) has no equivalent; there the search scans in keyset order and stops
at the first page of matches.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm;")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS worker_name_trgm ON registry_worker "
            "USING gin (name_search gin_trgm_ops);"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS worker_name_trgm;")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
