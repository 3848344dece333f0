"""The query log's chain head, and on PostgreSQL a trigger that refuses UPDATE and DELETE on the log itself.

TRUNCATE is not trapped here: it needs the table owner's privilege, which the application's role should not
hold in production (README), and Django's test runner empties tables with it between transactional tests.
A truncated log is still detected: the chain head no longer matches (``verify_query_log``)."""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION disclosure_querylog_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'disclosure_querylogentry is append-only (%%)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS disclosure_querylog_append_only ON disclosure_querylogentry;
CREATE TRIGGER disclosure_querylog_append_only BEFORE UPDATE OR DELETE ON disclosure_querylogentry
  FOR EACH STATEMENT EXECUTE FUNCTION disclosure_querylog_append_only();
"""
UNGUARD = """
DROP TRIGGER IF EXISTS disclosure_querylog_append_only ON disclosure_querylogentry;
DROP FUNCTION IF EXISTS disclosure_querylog_append_only();
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD)


def head(apps, schema_editor):
    apps.get_model("disclosure", "QueryLogHead").objects.get_or_create(id=1)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [
        migrations.RunPython(head, migrations.RunPython.noop),
        migrations.RunPython(guard, unguard),
    ]
