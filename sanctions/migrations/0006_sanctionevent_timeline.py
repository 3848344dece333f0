"""``SanctionEvent`` adopts the shared timeline event (``credit_platform.timeline.TimelineEvent``): the printed actor
column becomes ``actor_label`` and the user foreign key becomes ``actor``. Renames, so every step logged so far keeps
who acted."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("sanctions", "0005_measure_clean_record_condition"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="sanctionevent", old_name="actor", new_name="actor_label"),
        migrations.RenameField(model_name="sanctionevent", old_name="actor_user", new_name="actor"),
        migrations.AlterField(
            model_name="sanctionevent",
            name="actor_label",
            field=models.CharField(blank=True, max_length=200, verbose_name="操作人（显示）"),
        ),
        migrations.AlterField(
            model_name="sanctionevent",
            name="actor",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to=settings.AUTH_USER_MODEL, verbose_name="操作人"),
        ),
    ]
