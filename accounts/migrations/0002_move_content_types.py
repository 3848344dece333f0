"""The moved models' content types follow them from ``disclosure`` to ``accounts`` (issue 16).

Renaming the existing ``django_content_type`` rows keeps their ids, so every permission on them (and every group,
user and django-guardian object permission holding one, and the admin log) carries over: ``disclosure.view_querylogentry``
becomes ``accounts.view_querylogentry`` for whoever held it. A database migrated from scratch has no content types yet
(they are created after ``migrate``), so there is nothing to do there. Should both rows already exist (the new one
created by a ``migrate`` that stopped half way), the grants on the old permissions are moved to the new ones and the
old content type is deleted.
"""

from django.conf import settings
from django.db import migrations

MOVED = ("subjectlink", "historicalsubjectlink", "agentletter", "historicalagentletter", "querylogentry",
         "queryloghead")


def _move(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    GroupObjectPermission = apps.get_model("guardian", "GroupObjectPermission")
    for model in MOVED:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
        for permission in Permission.objects.filter(content_type=old):
            replacement, _ = Permission.objects.get_or_create(
                content_type=new, codename=permission.codename, defaults={"name": permission.name})
            for group in Group.objects.filter(permissions=permission):
                group.permissions.add(replacement)
            for user in User.objects.filter(user_permissions=permission):
                user.user_permissions.add(replacement)
            for model_class in (UserObjectPermission, GroupObjectPermission):
                model_class.objects.filter(permission=permission).update(permission=replacement, content_type=new)
        old.delete()


def forwards(apps, schema_editor):
    _move(apps, "disclosure", "accounts")


def backwards(apps, schema_editor):
    _move(apps, "accounts", "disclosure")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("disclosure", "0008_accounts_models_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
