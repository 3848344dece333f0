"""Public search by name, in order: organisations' names by Unicode code point (``COLLATE "C"``) then id, so the
names that start with a query are one range of this index read in the order the result pages show them, and a word
most names contain is found by reading it in order (disclosure.services._search_parts). Natural persons are never
searched and are left out. PostgreSQL only (SQLite compares text by code point already)."""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS subject_public_name_idx ON records_subject ((name COLLATE "C"), id)
WHERE type <> 'natural_person';
ANALYZE records_subject;
"""
DROP = "DROP INDEX IF EXISTS subject_public_name_idx;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("records", "0008_repaired_index")]

    operations = [migrations.RunPython(forwards, backwards)]
