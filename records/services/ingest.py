"""Ingestion of pushed records: validate plain rows in bulk, then write them set-based in one transaction.

Each row is accepted or rejected on its own; rejected rows never block the others. Idempotent on
(department, source_ref): an unchanged re-push writes nothing, a changed one updates the record and leaves the
old state in its history.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone

from catalog.services import item_index
from credit_platform.policies import active_policy
from credit_platform.workdays import local_date
from records.models import IngestBatch, Record, RecordStatus, SubjectType
from records.rules import Context, Rejection, validate_row
from records.services import responsible, writer
from records.signals import send_records_changed

logger = logging.getLogger(__name__)


def batch_limit() -> int:
    return int(settings.RECORDS_BATCH_LIMIT)


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    late: int = 0
    rejected: list[dict] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)
    derived: int = 0

    def as_dict(self) -> dict:
        return {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "rejected_count": len(self.rejected), "late": self.late, "derived": self.derived,
            "rejected": self.rejected, "results": self.results,
        }


def _reject(result: BatchResult, index: int, raw, exc: Rejection, policy) -> None:
    source_ref = raw.get("source_ref") if isinstance(raw, dict) else None
    result.rejected.append({
        "index": index,
        "source_ref": source_ref if isinstance(source_ref, str) else None,
        "code": exc.code,
        "field": exc.field,
        "message": exc.message(policy),
    })


def make_context(department, *, today: date | None = None) -> Context:
    today = today or local_date(timezone.now())
    return Context(department_id=department.id, items=item_index(today), today=today, policy=active_policy())


def validate_rows(rows: list, ctx: Context, result: BatchResult) -> list[tuple[int, dict]]:
    accepted: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    policy = ctx.policy
    for index, raw in enumerate(rows):
        try:
            row = validate_row(raw, ctx)
            first = seen.get(row["source_ref"])
            if first is not None:
                raise Rejection("duplicate_in_batch", "source_ref", first=first)
            seen[row["source_ref"]] = index
        except Rejection as exc:
            _reject(result, index, raw, exc, policy)
            continue
        accepted.append((index, row))
    return accepted


def _prepare(row: dict, department_id: int, subject_id: int, now: datetime) -> dict:
    row["subject_id"] = subject_id
    row["catalog_item_id"] = row["item"].id
    row["source_department_id"] = department_id
    row["status"] = RecordStatus.ACTIVE
    row["received_at"] = now
    row["updated_at"] = now
    row["disputed"] = False
    row["parent_id"] = None
    row["derived_role"] = ""
    row["responsible_persons"] = [
        {"role": p["role"], "code_type": p["code_type"], "code": p["code"], "name": p["name"]}
        for p in row["responsible_persons_checked"]
    ]
    return row


def ingest(department, rows: list, *, channel: str = "batch", today: date | None = None) -> BatchResult:
    """Validate and store ``rows`` for ``department``; see the module docstring."""
    started = time.perf_counter()
    result = BatchResult()
    ctx = make_context(department, today=today)
    accepted = validate_rows(rows, ctx, result)
    now = timezone.now()
    if accepted:
        _write_with_retry(department, accepted, ctx, result, now, channel)
    result.rejected.sort(key=lambda r: r["index"])
    result.results.sort(key=lambda r: r["index"])
    codes = Counter(r["code"] for r in result.rejected)
    IngestBatch.objects.create(
        department=department, received_at=now, total=len(rows), created=result.created, updated=result.updated,
        unchanged=result.unchanged, rejected=len(result.rejected), late=result.late,
        duration_ms=int((time.perf_counter() - started) * 1000), rejection_codes=dict(codes),
    )
    return result


DEADLOCK_RETRIES = 3


def _write_with_retry(department, accepted, ctx, result: BatchResult, now: datetime, channel: str) -> None:
    """One transaction per batch; a deadlock or serialization failure against a concurrent push is retried."""
    for attempt in range(DEADLOCK_RETRIES + 1):
        rejected_before = list(result.rejected)  # the rows themselves need no copy: _write can start over on them
        try:
            with transaction.atomic():
                _write(department, accepted, ctx, result, now, channel)
            return
        except OperationalError as exc:
            code = getattr(getattr(exc, "__cause__", None), "sqlstate", None)
            if code not in ("40P01", "40001") or attempt == DEADLOCK_RETRIES:
                raise
            logger.warning("ingest batch retried after %s (attempt %s)", code, attempt + 1)
            result.created = result.updated = result.unchanged = result.late = result.derived = 0
            result.rejected = rejected_before
            result.results = []
            time.sleep(0.05 * (attempt + 1))


def _write(department, accepted: list[tuple[int, dict]], ctx: Context, result: BatchResult, now: datetime,
           channel: str) -> None:
    for _, row in accepted:
        if "responsible_persons_checked" in row:  # a retried attempt starts again from the validated persons
            row["responsible_persons"] = row.pop("responsible_persons_checked")

    # 1. subjects (the records' and their responsible persons')
    identities: dict[tuple[str, str], dict] = {}
    for _, row in accepted:
        s = row["subject"]
        identities.setdefault((s["code_type"], s["code"]), s)
        for p in row["responsible_persons"]:
            identities.setdefault((p["code_type"], p["code"]), {**p, "type": SubjectType.NATURAL_PERSON})
    subjects = writer.upsert_subjects(identities, now)

    prepared: list[tuple[int, dict]] = []
    for index, row in accepted:
        s = row["subject"]
        sid, kind = subjects[(s["code_type"], s["code"])]
        if kind != s["type"]:
            _reject(result, index, row, Rejection("subject_type_conflict", "subject.type"), ctx.policy)
            continue
        conflict = next(
            (i for i, p in enumerate(row["responsible_persons"])
             if subjects[(p["code_type"], p["code"])][1] != SubjectType.NATURAL_PERSON), None,
        )
        if conflict is not None:
            _reject(result, index, row, Rejection("subject_type_conflict", f"responsible_persons[{conflict}].code"), ctx.policy)
            continue
        row["responsible_persons_checked"] = row.pop("responsible_persons")
        prepared.append((index, _prepare(row, department.id, sid, now)))
    if not prepared:
        return

    # 2. records
    outcome = writer.upsert_records([row for _, row in prepared])
    created_ids, updated_ids = [], []
    for index, row in prepared:
        rid, status = outcome[row["source_ref"]]
        result.results.append({"index": index, "id": rid, "status": status})
        if status == "created":
            result.created += 1
            created_ids.append(rid)
            if row["pushed_late"]:
                result.late += 1
        elif status == "updated":
            result.updated += 1
            updated_ids.append(rid)
        else:
            result.unchanged += 1
        row["id"] = rid
        row["outcome"] = status
    code = department.code
    writer.copy_history(Record, created_ids, "+", f"{code} 推送新增 / created by {channel} push", now)
    writer.copy_history(Record, updated_ids, "~", f"{code} 重新推送更新 / updated by re-push", now)

    # 3. related persons on file, and the severe-dishonesty records of responsible persons
    changed = [row for _, row in prepared if row["outcome"] != "unchanged"]
    responsible.register_related_persons(changed, subjects, department.id, now)
    result.derived, derived_ids = responsible.sync_derived(changed, subjects, department, ctx, now)

    # 4. the other apps (publicity windows in this transaction; lists and evaluations after commit)
    touched = created_ids + updated_ids
    if touched:
        send_records_changed("pushed", touched + derived_ids, department=department,
                             reason=f"{code} {channel} push", created=created_ids)

