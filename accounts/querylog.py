"""The tamper-evident query log (Qufu art. 38: 不得虚构、篡改、违规删除…查询日志; Heilongjiang art. 25: 建立查询日志).

Each entry stores ``prev_hash`` and ``hash = HMAC-SHA256(QUERY_LOG_HASH_KEY, canonical JSON of its fields, with
prev_hash)``; entries carry a consecutive ``seq`` and the chain head (``QueryLogHead``) holds the last ``seq`` and hash.
The key lives in the environment, never in the database (``settings.QUERY_LOG_HASH_KEY``): with database access alone
one can delete or alter an entry but cannot recompute a chain that verifies (a plain SHA-256 chain can be recomputed
by anyone, so it only proves the absence of clumsy edits). ``verify_chain`` finds the
first entry that was altered, inserted or deleted (including a deleted tail). Appending takes the head row's lock
first (an ``UPDATE`` on the single head row), so concurrent writers on PostgreSQL or SQLite never fork the chain.

The model refuses updates and deletes; on PostgreSQL a trigger refuses them in the database too (disclosure migration 0002;
the table kept its name when the model moved to ``accounts``).

A natural person's identification number is not kept in the log: ``subject_code`` holds its mask and
``subject_code_hash`` its keyed hash (``credit_platform.privacy``), both covered by the entry's hash. Entries written
before that were verified and re-hashed in that form by disclosure migration 0004, and the unkeyed SHA-256 chain was
verified and re-chained under the key by ``disclosure.0005_query_log_hmac`` (both recorded in ``QueryLogHead.rechained``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import QueryLogEntry, QueryLogHead
from credit_platform.privacy import identifier_hash, stored_form

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq", "at", "actor_kind", "actor_id", "actor_label", "department_code", "subject_id", "subject_code",
    "subject_code_hash", "action", "scope", "purpose", "purpose_label", "channel", "reference", "prev_hash",
)


def _normal(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def canonical(fields: dict) -> str:
    body = {name: _normal(fields.get(name)) for name in HASHED_FIELDS}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(fields: dict) -> str:
    """HMAC-SHA256 under the key kept outside the database (Qufu art. 38: a log one cannot silently rewrite)."""
    key = settings.QUERY_LOG_HASH_KEY.encode("utf-8")
    return hmac.new(key, canonical(fields).encode("utf-8"), hashlib.sha256).hexdigest()


def _fields_of(entry: QueryLogEntry) -> dict:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


def append(
    *,
    actor,
    subject,
    action: str,
    scope,
    channel: str,
    purpose: str = "",
    purpose_label: str = "",
    reference: str = "",
    actor_kind: str | None = None,
) -> QueryLogEntry:
    """Append one entry; returns it. Runs in its own (nested) transaction."""
    department = getattr(actor, "department", None)
    if actor_kind is None:
        if getattr(actor, "is_department_client", False):
            actor_kind = "dept_system"
        elif getattr(actor, "kind", "") == "official":
            actor_kind = "official"
        else:
            actor_kind = getattr(actor, "kind", "") or "user"
    label = getattr(actor, "username", "") or str(actor)
    full_name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    if department is not None:
        label = f"{department.name} {full_name or label}".strip()
    elif full_name:
        label = full_name
    at = timezone.now()
    with transaction.atomic():
        QueryLogHead.objects.get_or_create(id=1)
        QueryLogHead.objects.filter(id=1).update(seq=F("seq") + 1)  # takes the head's write lock first
        head = QueryLogHead.objects.select_for_update().get(id=1)
        fields = {
            "seq": head.seq,
            "at": at,
            "actor_kind": actor_kind,
            "actor_id": getattr(actor, "pk", None),
            "actor_label": label[:200],
            "department_code": getattr(department, "code", "") or "",
            "subject_id": subject.pk,
            "subject_code": stored_form(subject.code, subject.type == "natural_person"),
            "subject_code_hash": identifier_hash(subject.code),
            "action": action,
            "scope": scope,
            "purpose": purpose,
            "purpose_label": purpose_label[:300],
            "channel": channel,
            "reference": reference,
            "prev_hash": head.hash or GENESIS,
        }
        # Round-trip the JSON so that what is hashed is exactly what the database gives back.
        fields["scope"] = json.loads(json.dumps(scope, ensure_ascii=False))
        digest = entry_hash(fields)
        entry = QueryLogEntry(**fields, hash=digest)
        entry.save()
        QueryLogHead.objects.filter(id=1).update(hash=digest)
    return entry


@dataclass(frozen=True)
class Problem:
    kind: str  # altered | inserted | deleted
    seq: int
    entry_id: int | None
    message: str


def verify_chain(batch_size: int = 5000) -> tuple[int, Problem | None]:
    """Walk the whole chain; return (entries checked, first problem or None)."""
    expected_seq, prev, prev_entry, checked = 1, GENESIS, None, 0
    last_id = 0
    while True:
        chunk = list(QueryLogEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not chunk:
            break
        # Ordered by id (insertion order); a row slipped in later has a higher id and a seq out of order.
        for entry in chunk:
            last_id = entry.id
            checked += 1
            fields = _fields_of(entry)
            if entry.seq < expected_seq:
                return checked, Problem("inserted", entry.seq, entry.id, f"第 {entry.seq} 号之后插入了不属于日志链的条目（id={entry.id}）/ entry inserted (id={entry.id}, seq={entry.seq} out of order)")
            if not hmac.compare_digest(entry.hash, entry_hash(fields)):
                return checked, Problem("altered", entry.seq, entry.id, f"第 {entry.seq} 号条目被篡改（内容与摘要不符）/ entry {entry.seq} altered")
            if entry.seq > expected_seq:
                missing = f"{expected_seq}" if entry.seq == expected_seq + 1 else f"{expected_seq}–{entry.seq - 1}"
                return checked, Problem("deleted", expected_seq, None, f"第 {missing} 号条目被删除 / entries {missing} deleted")
            if entry.prev_hash != prev:
                bad = prev_entry.seq if prev_entry else entry.seq
                return checked, Problem("altered", bad, prev_entry.id if prev_entry else entry.id, f"第 {bad} 号条目被篡改（链接断裂于第 {entry.seq} 号）/ entry {bad} altered (chain broken at {entry.seq})")
            prev, prev_entry, expected_seq = entry.hash, entry, expected_seq + 1
    head = QueryLogHead.objects.filter(id=1).first()
    head_seq = head.seq if head else 0
    if head_seq > expected_seq - 1:
        missing = f"{expected_seq}" if head_seq == expected_seq else f"{expected_seq}–{head_seq}"
        return checked, Problem("deleted", expected_seq, None, f"日志末尾第 {missing} 号条目被删除 / tail entries {missing} deleted")
    if head_seq < expected_seq - 1 or (head and head.hash and head.hash != prev):
        return checked, Problem("inserted", expected_seq - 1, prev_entry.id if prev_entry else None, f"日志末尾被追加了不属于日志链的条目（第 {expected_seq - 1} 号）/ entry appended outside the chain")
    return checked, None
