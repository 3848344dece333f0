"""Seed the working-day calendar from the chinesecalendar package (idempotent; re-run after upgrading it)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from credit_platform import workdays


class Command(BaseCommand):
    help = (
        "Seed CalendarDay/CalendarYear from chinesecalendar for every year it covers. Idempotent: rows an "
        "official entered or edited, and years an official marked complete, are left alone. Years whose schedule "
        "changed trigger the recompute hooks (open provisional due dates are recomputed)."
    )

    def handle(self, *args, **options):
        changed = workdays.seed_calendar()
        for year in changed:
            workdays.notify_schedule_changed(year)
        until = workdays.covered_until()
        if changed:
            self.stdout.write(self.style.SUCCESS(f"Seeded/updated years: {', '.join(map(str, changed))}."))
        else:
            self.stdout.write("Calendar already up to date.")
        self.stdout.write(f"Calendar covered until: {until.isoformat() if until else 'nothing'}.")
        warning = workdays.coverage_warning()
        if warning:
            self.stdout.write(self.style.WARNING(warning))
