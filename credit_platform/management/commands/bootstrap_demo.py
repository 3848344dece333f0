"""Load demo data, idempotently: the platform's departments and accounts, then each app's ``demo.populate``."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from credit_platform import demo

# In dependency order: records need the catalog, disclosure needs records, and so on.
PROJECT_APPS = ("catalog", "records", "disclosure", "sanctions", "objections", "repair")


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
        demo.populate(self.stdout)
        for label in PROJECT_APPS:
            if not apps.is_installed(label):
                continue
            try:
                module = import_module(f"{label}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{label}.demo":
                    raise
                continue
            self.stdout.write(f"demo: {label}")
            module.populate(self.stdout)
        self.stdout.write(demo.demo_logins_text())
