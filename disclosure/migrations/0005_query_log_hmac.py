"""The query log's chain keyed (issue 14 item 5): every entry's hash becomes an HMAC-SHA256 under
``settings.QUERY_LOG_HASH_KEY``, a key kept outside the database (Qufu art. 38: query logs must not be altered or
deleted; an unkeyed SHA-256 chain can be recomputed by anyone who can write the table).

As migration 0004 did, the chain is first verified in its old form (unkeyed SHA-256) and the migration refuses to run
if it does not verify — a broken chain must not be laundered by a re-hash; investigate with ``verify_query_log`` on
the previous release first. Then every entry is re-hashed under the key in order and the old and new heads are
recorded in ``QueryLogHead.rechained``. Reversing does the same the other way (verify keyed, re-chain unkeyed).
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime

from django.conf import settings
from django.db import migrations
from django.utils import timezone

GENESIS = "0" * 64
FIELDS = (
    "seq", "at", "actor_kind", "actor_id", "actor_label", "department_code", "subject_id", "subject_code",
    "subject_code_hash", "action", "scope", "purpose", "purpose_label", "channel", "reference", "prev_hash",
)


def _canonical(entry) -> bytes:
    def normal(value):
        if isinstance(value, datetime):
            return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return value

    body = {name: normal(getattr(entry, name)) for name in FIELDS}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def plain(entry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def keyed(entry) -> str:
    return hmac.new(settings.QUERY_LOG_HASH_KEY.encode("utf-8"), _canonical(entry), hashlib.sha256).hexdigest()


def _rechain(apps, schema_editor, old, new, reason):
    Entry = apps.get_model("disclosure", "QueryLogEntry")
    Head = apps.get_model("disclosure", "QueryLogHead")
    entries = list(Entry.objects.order_by("id"))
    if not entries:
        return
    prev, expected = GENESIS, 1
    for entry in entries:
        if entry.seq != expected or entry.prev_hash != prev or not hmac.compare_digest(entry.hash, old(entry)):
            raise RuntimeError(
                f"查询日志在第 {entry.seq} 号条目处校验失败，不能重新计算哈希链；请先用 verify_query_log 调查 / the query "
                f"log does not verify at seq {entry.seq}: not re-hashing a broken chain (run verify_query_log)"
            )
        prev, expected = entry.hash, expected + 1
    head = Head.objects.filter(id=1).first()
    if head is None or head.seq != expected - 1 or head.hash != prev:
        raise RuntimeError("查询日志链头与日志不符，不能重新计算哈希链 / the query log head does not match the log")
    old_head = head.hash
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE disclosure_querylogentry DISABLE TRIGGER disclosure_querylog_append_only")
        prev = GENESIS
        for entry in entries:
            entry.prev_hash = prev
            entry.hash = new(entry)
            Entry._base_manager.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, hash=entry.hash)
            prev = entry.hash
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE disclosure_querylogentry ENABLE TRIGGER disclosure_querylog_append_only")
    head.hash = prev
    head.rechained = [*(head.rechained or []), {
        "at": timezone.now().isoformat(), "migration": "disclosure.0005_query_log_hmac", "reason": reason,
        "entries": len(entries), "verified_previous_head": old_head, "head": prev,
    }]
    head.save(update_fields=["hash", "rechained"])


def to_keyed(apps, schema_editor):
    _rechain(apps, schema_editor, plain, keyed,
             "哈希链改为以库外密钥计算的 HMAC-SHA256 / chain keyed with HMAC-SHA256 under QUERY_LOG_HASH_KEY")


def to_plain(apps, schema_editor):
    _rechain(apps, schema_editor, keyed, plain, "迁移回退：哈希链改回 SHA-256 / migration reversed: unkeyed SHA-256 chain")


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0004_identifier_hashes"),
    ]

    operations = [
        migrations.RunPython(to_keyed, to_plain),
    ]
