"""Personal identification numbers out of the tables that only match them (issue #8, MLPS 2.0 level 3).

Account links, grantees of authorisations (and their history) and the query log keep a person's number as its keyed
hash (``credit_platform.privacy.identifier_hash``) and its mask; organisations' USCCs stay as they are.

The query log is hash-chained over its fields, so changing what it stores means re-hashing it. This migration first
verifies the whole chain in its old form and refuses to run if it does not verify (investigate with
``verify_query_log`` first: a broken chain must not be laundered by a re-hash), then rewrites each entry with the
masked code and the keyed hash, recomputes the chain and records the old and new heads in
``QueryLogHead.rechained``.
"""

import hashlib
import json
from datetime import UTC, datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

GENESIS = "0" * 64
V1_FIELDS = (
    "seq", "at", "actor_kind", "actor_id", "actor_label", "department_code", "subject_id", "subject_code",
    "action", "scope", "purpose", "purpose_label", "channel", "reference", "prev_hash",
)
V2_FIELDS = V1_FIELDS[:8] + ("subject_code_hash",) + V1_FIELDS[8:]


def _digest(fields: dict, names) -> str:
    def normal(value):
        if isinstance(value, datetime):
            return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return value

    body = {name: normal(fields.get(name)) for name in names}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _personal(code: str) -> bool:
    from credit_platform.privacy import looks_like_organisation_code

    return not looks_like_organisation_code(code)


def links_and_grants(apps, schema_editor):
    from credit_platform.privacy import identifier_hash, is_personal_code_type, normalise, stored_form

    Subject = apps.get_model("records", "Subject")
    for name in ("SubjectLink", "HistoricalSubjectLink"):
        model = apps.get_model("disclosure", name)
        for link in model.objects.filter(code_hash="").iterator():
            plain = normalise(link.code)
            link.code_hash = identifier_hash(plain)
            link.code = stored_form(plain, is_personal_code_type(link.code_type))
            link.subject_id = Subject.objects.filter(code_type=link.code_type, code=plain).values_list("id", flat=True).first()
            link.save(update_fields=["code_hash", "code", "subject"])
    for name in ("Authorisation", "HistoricalAuthorisation"):
        model = apps.get_model("disclosure", name)
        for grant in model.objects.filter(grantee_code_hash="").iterator():
            plain = normalise(grant.grantee_code)
            grant.grantee_code_hash = identifier_hash(plain)
            grant.grantee_code = stored_form(plain, _personal(plain))
            grant.save(update_fields=["grantee_code_hash", "grantee_code"])


def rechain_query_log(apps, schema_editor):
    from credit_platform.privacy import identifier_hash, stored_form

    Entry = apps.get_model("disclosure", "QueryLogEntry")
    Head = apps.get_model("disclosure", "QueryLogHead")
    Subject = apps.get_model("records", "Subject")
    entries = list(Entry.objects.order_by("id"))
    if not entries:
        return
    prev, expected = GENESIS, 1
    for entry in entries:
        fields = {name: getattr(entry, name) for name in V1_FIELDS}
        if entry.seq != expected or entry.prev_hash != prev or entry.hash != _digest(fields, V1_FIELDS):
            raise RuntimeError(
                f"查询日志在第 {entry.seq} 号条目处校验失败，不能重新计算哈希链；请先用 verify_query_log 调查 / the query "
                f"log does not verify at seq {entry.seq}: not re-hashing a broken chain (run verify_query_log)"
            )
        prev, expected = entry.hash, expected + 1
    head = Head.objects.filter(id=1).first()
    old_head = head.hash if head else ""
    if head is None or head.seq != expected - 1 or head.hash != prev:
        raise RuntimeError("查询日志链头与日志不符，不能重新计算哈希链 / the query log head does not match the log")

    natural = set(Subject.objects.filter(id__in={e.subject_id for e in entries}, type="natural_person")
                  .values_list("id", flat=True))
    known = set(Subject.objects.filter(id__in={e.subject_id for e in entries}).values_list("id", flat=True))
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE disclosure_querylogentry DISABLE TRIGGER disclosure_querylog_append_only")
        prev = GENESIS
        for entry in entries:
            plain = entry.subject_code
            personal = entry.subject_id in natural if entry.subject_id in known else _personal(plain)
            entry.subject_code = stored_form(plain, personal)
            entry.subject_code_hash = identifier_hash(plain)
            entry.prev_hash = prev
            entry.hash = _digest({name: getattr(entry, name) for name in V2_FIELDS}, V2_FIELDS)
            Entry._base_manager.filter(pk=entry.pk).update(subject_code=entry.subject_code,
                                                     subject_code_hash=entry.subject_code_hash,
                                                     prev_hash=entry.prev_hash, hash=entry.hash)
            prev = entry.hash
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE disclosure_querylogentry ENABLE TRIGGER disclosure_querylog_append_only")
    head.hash = prev
    head.rechained = [*(head.rechained or []), {
        "at": timezone.now().isoformat(), "migration": "disclosure.0004_identifier_hashes",
        "reason": "个人证件号码改为脱敏形式与密钥摘要 / personal identifiers masked and hashed",
        "entries": len(entries), "verified_previous_head": old_head, "head": prev,
    }]
    head.save(update_fields=["hash", "rechained"])


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0003_search_index'),
        ('records', '0003_lean_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='subjectlink',
            name='disc_link_unique',
        ),
        migrations.RemoveConstraint(
            model_name='subjectlink',
            name='disc_one_self_account',
        ),
        migrations.AddField(
            model_name='authorisation',
            name='grantee_code_hash',
            field=models.CharField(db_index=True, default='', editable=False, max_length=64, verbose_name='被授权人证件号码密钥摘要'),
        ),
        migrations.AddField(
            model_name='historicalauthorisation',
            name='grantee_code_hash',
            field=models.CharField(db_index=True, default='', editable=False, max_length=64, verbose_name='被授权人证件号码密钥摘要'),
        ),
        migrations.AddField(
            model_name='historicalsubjectlink',
            name='code_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='证件号码密钥摘要'),
        ),
        migrations.AddField(
            model_name='historicalsubjectlink',
            name='subject',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='records.subject', verbose_name='信用主体'),
        ),
        migrations.AddField(
            model_name='querylogentry',
            name='subject_code_hash',
            field=models.CharField(blank=True, db_index=True, max_length=64, verbose_name='主体代码密钥摘要'),
        ),
        migrations.AddField(
            model_name='queryloghead',
            name='rechained',
            field=models.JSONField(blank=True, default=list, verbose_name='重新计算记录'),
        ),
        migrations.AddField(
            model_name='subjectlink',
            name='code_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='证件号码密钥摘要'),
        ),
        migrations.AddField(
            model_name='subjectlink',
            name='subject',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='records.subject', verbose_name='信用主体'),
        ),
        migrations.AlterField(
            model_name='authorisation',
            name='grantee_code',
            field=models.CharField(max_length=64, verbose_name='被授权人证件号码（脱敏）/统一社会信用代码'),
        ),
        migrations.AlterField(
            model_name='historicalauthorisation',
            name='grantee_code',
            field=models.CharField(max_length=64, verbose_name='被授权人证件号码（脱敏）/统一社会信用代码'),
        ),
        migrations.AlterField(
            model_name='historicalsubjectlink',
            name='code',
            field=models.CharField(max_length=64, verbose_name='证件号码（脱敏）/统一社会信用代码'),
        ),
        migrations.AlterField(
            model_name='querylogentry',
            name='subject_code',
            field=models.CharField(help_text='自然人为脱敏形式', max_length=64, verbose_name='被查询主体代码'),
        ),
        migrations.AlterField(
            model_name='subjectlink',
            name='code',
            field=models.CharField(max_length=64, verbose_name='证件号码（脱敏）/统一社会信用代码'),
        ),
        migrations.RunPython(links_and_grants, migrations.RunPython.noop),
        migrations.RunPython(rechain_query_log, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='subjectlink',
            index=models.Index(fields=['code_hash'], name='disc_link_code_hash_idx'),
        ),
        migrations.AddConstraint(
            model_name='subjectlink',
            constraint=models.UniqueConstraint(fields=('user', 'code_type', 'code_hash'), name='disc_link_unique_hash'),
        ),
        migrations.AddConstraint(
            model_name='subjectlink',
            constraint=models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True), ('role', 'self')), fields=('code_type', 'code_hash'), name='disc_one_self_account_hash'),
        ),
    ]
