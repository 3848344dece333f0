"""Run the objection sweeps now, the same code path as the Celery beat tasks (e.g. from cron during a
broker outage, or to catch up by hand)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from objections.sweeps import SWEEPS, run_all


class Command(BaseCommand):
    help = "运行异议期限扫描（自动标注、期限提醒、逾期督办）/ run the objection sweeps."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=sorted(SWEEPS), help="只运行一项扫描")
        parser.add_argument("--now", help="按此时间运行（ISO 8601，须带时区；用于补跑与演练）")

    def handle(self, *args, only=None, now=None, **options):
        moment = None
        if now:
            moment = parse_datetime(now)
            if moment is None or moment.tzinfo is None:
                raise CommandError("--now 须为带时区的 ISO 8601 时间，如 2026-10-12T08:00:00+08:00")
        for name, acted in run_all(moment, only=only).items():
            self.stdout.write(f"{name}: {acted}")
