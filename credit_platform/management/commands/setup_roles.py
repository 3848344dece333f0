from django.core.management.base import BaseCommand

from credit_platform.roles import sync_role_groups


class Command(BaseCommand):
    help = "创建业务角色与三员分立角色并同步权限 / create the role groups and sync their permissions."

    def handle(self, **options):
        for role, count in sync_role_groups().items():
            self.stdout.write(f"{role}: {count} permissions")
