"""Load demo data, idempotently: the platform's departments and accounts, then each app's ``demo.populate``."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import catalog.demo
import credit_platform.demo
import disclosure.demo
import objections.demo
import records.demo
import repair.demo
import sanctions.demo

# In dependency order: records need the catalog, disclosure needs records, and so on.
APP_DEMOS = (
    ("catalog", catalog.demo),
    ("records", records.demo),
    ("disclosure", disclosure.demo),
    ("sanctions", sanctions.demo),
    ("objections", objections.demo),
    ("repair", repair.demo),
)


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）/ load demo data (safe to run again)."

    def handle(self, **options):
        # The demo creates a superuser and officials with a published password and no second factor: whoever signs
        # in first would enrol their own authenticator. It exists for development only (DEBUG on), never production.
        if not settings.DEBUG:
            raise CommandError(
                "演示数据只能在开发环境（DEBUG=true）中载入：生产环境拒绝创建使用公开密码的演示账号。"
                " / bootstrap_demo refuses to run with DEBUG off (it creates accounts with a published password)."
            )
        credit_platform.demo.populate(self.stdout)
        for label, module in APP_DEMOS:
            self.stdout.write(f"demo: {label}")
            module.populate(self.stdout)
        self.stdout.write(credit_platform.demo.demo_logins_text())
