"""Seed the working-day calendar from chinesecalendar (2004–2026 with chinesecalendar 1.11). Idempotent."""

from django.db import migrations


def seed(apps, schema_editor):
    from credit_platform.workdays import seed_calendar

    seed_calendar(
        apps.get_model("credit_platform", "CalendarDay"),
        apps.get_model("credit_platform", "CalendarYear"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("credit_platform", "0003_calendar"),
    ]

    operations = [
        # Reversing leaves the rows: 0003's reversal drops the tables anyway.
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
