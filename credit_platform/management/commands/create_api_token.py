from django.core.management.base import BaseCommand, CommandError

from credit_platform.models import ApiToken, Department


class Command(BaseCommand):
    help = "为部门系统签发接口令牌（仅显示一次）/ Issue an API token for a department system; printed once."

    def add_arguments(self, parser):
        parser.add_argument("department_code")
        parser.add_argument("--name", default="", help="系统名称 / name of the calling system")

    def handle(self, department_code, name, **options):
        try:
            department = Department.objects.get(code__iexact=department_code, active=True)
        except Department.DoesNotExist:
            raise CommandError(f"没有启用的部门代码 {department_code!r} / no active department with that code") from None
        _, raw = ApiToken.issue(department, name=name)
        self.stdout.write(raw)
