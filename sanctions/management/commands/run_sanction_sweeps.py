"""Run every sanctions sweep once (the Celery beat entries run them on schedule)."""

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_datetime

from sanctions.sweeps import run_all


class Command(BaseCommand):
    help = "运行奖惩相关的定时清扫（名单期限、终止公示、承诺核查提醒、评价重算、记录变化）/ run the sanctions sweeps once."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO datetime to run as (testing and catch-up only)")

    def handle(self, *args, now=None, **options):
        moment = parse_datetime(now) if now else None
        for name, acted in run_all(moment).items():
            self.stdout.write(f"{name}: {acted}")
