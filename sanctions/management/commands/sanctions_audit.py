"""Prove that every measure reported as applied was published, in force and proportionate when it was checked."""

from django.core.management.base import BaseCommand, CommandError

from sanctions.joint_check import audit_applied
from sanctions.models import CheckedMeasure


class Command(BaseCommand):
    help = "核验所有已实施的奖惩措施均为比对时已公布、与失信程度相适应的措施 / audit applied measures."

    def handle(self, *args, **options):
        applied = CheckedMeasure.objects.filter(outcome=CheckedMeasure.Outcome.APPLIED).count()
        problems = audit_applied()
        for p in problems:
            self.stdout.write(f"#{p.checked_measure_id} {p.measure}: {p.problem}")
        if problems:
            raise CommandError(f"{len(problems)} 项不符合 / {len(problems)} problems among {applied} applied measures")
        self.stdout.write(f"OK: {applied} 项已实施措施全部核验通过 / all {applied} applied measures verified")
