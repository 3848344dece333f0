"""Joint-check log: a natural person's number kept as its mask and keyed hash, not in full (issue #8)."""

from django.db import migrations, models


def mask_checks(apps, schema_editor):
    from credit_platform.privacy import identifier_hash, looks_like_organisation_code, stored_form

    JointCheck = apps.get_model("sanctions", "JointCheck")
    for check in JointCheck.objects.filter(subject_code_hash="").select_related("subject").iterator():
        plain = check.subject_code
        personal = (check.subject.type == "natural_person" if check.subject_id is not None
                    else not looks_like_organisation_code(plain))
        check.subject_code = stored_form(plain, personal)
        check.subject_code_hash = identifier_hash(plain)
        answer = dict(check.answer or {})
        if "subject" in answer:
            answer["subject"] = check.subject_code
        check.answer = answer
        check.save(update_fields=["subject_code", "subject_code_hash", "answer"])


class Migration(migrations.Migration):

    dependencies = [
        ('sanctions', '0001_initial'),
        ('records', '0003_lean_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='jointcheck',
            name='subject_code_hash',
            field=models.CharField(blank=True, db_index=True, max_length=64, verbose_name='主体代码密钥摘要'),
        ),
        migrations.AlterField(
            model_name='jointcheck',
            name='subject_code',
            field=models.CharField(help_text='自然人为脱敏形式', max_length=64, verbose_name='查询的主体代码'),
        ),
        migrations.RunPython(mask_checks, migrations.RunPython.noop),
    ]
