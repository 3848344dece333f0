# The joint check and the list / evaluation APIs look subjects up with code__iexact (UPPER(code) = UPPER(%s)),
# which the (code, code_type) unique index cannot serve: at 1,000,000 subjects every such lookup walked the table
# (bench/EXPLAIN.md). An expression index on UPPER(code) serves it — once the table is analysed: until then the
# planner has no statistics for the expression, guesses 0.5 % of the rows and keeps walking the primary key for
# ``ORDER BY id LIMIT 1``, so the migration analyses it.

import django.db.models.functions.text
from django.db import migrations, models


def analyse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE records_subject")


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0003_lean_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="subject",
            index=models.Index(django.db.models.functions.text.Upper("code"), name="subject_code_upper_idx"),
        ),
        migrations.RunPython(analyse, migrations.RunPython.noop, elidable=True),
    ]
