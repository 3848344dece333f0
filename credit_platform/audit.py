"""Audit trail export: every historical change (django-simple-history) and every login attempt (django-axes),
merged in time order, for the audit administrator (MLPS 2.0 level 3: audit records are kept and exportable).

Streaming: each model's history is read in date order with ``iterator()`` and merged lazily, so an export of
millions of rows uses constant memory.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
from collections.abc import Iterator
from datetime import datetime

from axes.models import AccessAttempt, AccessLog
from django.utils import timezone
from simple_history.models import registered_models

FIELDS = ["at", "kind", "model", "object_id", "action", "user", "reason", "changes"]
_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _history_events(model, since: datetime | None, until: datetime | None) -> Iterator[dict]:
    history = model.history.model
    qs = history.objects.all().select_related("history_user").order_by("history_date", "history_id")
    if since:
        qs = qs.filter(history_date__gte=since)
    if until:
        qs = qs.filter(history_date__lt=until)
    label = model._meta.label
    for row in qs.iterator(chunk_size=2000):
        changes = []
        if row.history_type == "~":
            previous = row.prev_record
            if previous is not None:
                changes = [change.field for change in row.diff_against(previous).changes]
        yield {
            "at": row.history_date,
            "kind": "change",
            "model": label,
            "object_id": str(getattr(row, model._meta.pk.attname)),
            "action": _ACTIONS.get(row.history_type, row.history_type),
            "user": row.history_user.get_username() if row.history_user else "",
            "reason": row.history_change_reason or "",
            "changes": ",".join(changes),
        }


def _login_events(since: datetime | None, until: datetime | None) -> Iterator[dict]:
    logs = AccessLog.objects.order_by("attempt_time")
    failures = AccessAttempt.objects.order_by("attempt_time")
    if since:
        logs, failures = logs.filter(attempt_time__gte=since), failures.filter(attempt_time__gte=since)
    if until:
        logs, failures = logs.filter(attempt_time__lt=until), failures.filter(attempt_time__lt=until)
    successes = (
        {"at": log.attempt_time, "kind": "login", "model": "", "object_id": "", "action": "login",
         "user": log.username or "", "reason": f"ip={log.ip_address}", "changes": ""}
        for log in logs.iterator()
    )
    failed = (
        {"at": a.attempt_time, "kind": "login", "model": "", "object_id": "", "action": "login_failed",
         "user": a.username or "", "reason": f"ip={a.ip_address} failures={a.failures_since_start}", "changes": ""}
        for a in failures.iterator()
    )
    return heapq.merge(successes, failed, key=lambda e: e["at"])


def iter_audit_events(since: datetime | None = None, until: datetime | None = None) -> Iterator[dict]:
    # M2M "through" models are registered too, but their changes live in the parent's history rows.
    models = [model for model in registered_models.values() if hasattr(model, "history")]
    streams = [_history_events(model, since, until) for model in models]
    streams.append(_login_events(since, until))
    return heapq.merge(*streams, key=lambda e: e["at"])


def _as_text(event: dict) -> dict:
    return {**event, "at": timezone.localtime(event["at"]).isoformat()}


def write_csv(events, out) -> int:
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(_as_text(event))
        count += 1
    return count


def write_jsonl(events, out) -> int:
    count = 0
    for event in events:
        out.write(json.dumps(_as_text(event), ensure_ascii=False) + "\n")
        count += 1
    return count


def csv_chunks(events) -> Iterator[str]:
    """CSV text in chunks for a streaming HTTP response (BOM first so spreadsheet software reads UTF-8)."""
    yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for event in events:
        writer.writerow(_as_text(event))
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
