"""Run the daily disclosure sweeps now (the same code beat runs nightly): end publicity, end retention."""

from datetime import datetime, time

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_date

from disclosure import sweeps


class Command(BaseCommand):
    help = "结束到期公示、屏蔽保存期满的信息（可重复执行）/ archive expired publicity and shield expired retention."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="按指定日期运行（测试和补跑用）YYYY-MM-DD")

    def handle(self, *args, **options):
        now = None
        if options.get("as_of"):
            day = parse_date(options["as_of"])
            if day is None:
                self.stderr.write("日期格式应为 YYYY-MM-DD")
                raise SystemExit(2)
            now = timezone.make_aware(datetime.combine(day, time(2, 0)))
        result = sweeps.run_all(now)
        for name, acted in result.items():
            self.stdout.write(f"{name}: {acted}")
