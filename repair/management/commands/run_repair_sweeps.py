"""Run the repair sweeps now (reminders, escalation, outbox redelivery). Safe to run at any time, any number of times."""

from django.core.management.base import BaseCommand

from repair.sweeps import run_all


class Command(BaseCommand):
    help = "执行信用修复期限提醒、逾期督办和变更投递补发 / run the repair sweeps."

    def handle(self, **options):
        for name, acted in run_all().items():
            self.stdout.write(f"{name}: {acted}")
