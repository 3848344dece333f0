import sys
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from credit_platform.audit import iter_audit_events, write_csv, write_jsonl


def _day_start(value: str | None):
    if not value:
        return None
    day = parse_date(value)
    if day is None:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}")
    return timezone.make_aware(datetime.combine(day, time.min))


class Command(BaseCommand):
    help = "导出审计记录（全部变更历史和登录记录）/ export the audit trail (all change history and logins)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="first day, YYYY-MM-DD (Asia/Shanghai)")
        parser.add_argument("--until", help="day after the last, YYYY-MM-DD")
        parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, since, until, format, output, **options):
        events = iter_audit_events(_day_start(since), _day_start(until))
        writer = write_csv if format == "csv" else write_jsonl
        if output:
            with open(output, "w", encoding="utf-8", newline="") as out:
                count = writer(events, out)
        else:
            count = writer(events, self.stdout)
        print(f"exported {count} events", file=sys.stderr)
