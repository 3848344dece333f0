"""Public search by name: a trigram index on subject names (PostgreSQL), so LIKE 'x%' and '%x%' stay fast at scale.

The index lives on records_subject but serves only the disclosure search; it is skipped where pg_trgm cannot be
installed (the search still works, only slower).
"""

from django.db import migrations

CREATE = """
DO $$
BEGIN
  BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
  EXCEPTION WHEN insufficient_privilege OR undefined_file THEN
    RAISE NOTICE 'pg_trgm not available: public search by name runs without a trigram index';
  END;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    EXECUTE 'CREATE INDEX IF NOT EXISTS disc_subject_name_trgm ON records_subject USING gin (name gin_trgm_ops) WHERE type <> ''natural_person''';
  END IF;
END $$;
"""
DROP = "DROP INDEX IF EXISTS disc_subject_name_trgm;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_query_log_guard"), ("records", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
