"""Status changes the records app makes on another app's decision: a repair and its revocation.

A record's status has one owner, this app: repair (信用修复) asks here rather than writing ``Record.status``, so
every change of a record's state sends ``records_changed`` inside its transaction like a push, correction or
revocation does (disclosure recomputes the windows, sanctions re-reads the subject, the provincial forward queues
the change).

* ``repaired`` — an approved repair stops publicity from the repair date (《信用修复管理办法》（国家发展改革委令第36号）
  第十三条; Karamay art. 35; Heilongjiang arts. 51, 54): ``status = repaired``, ``public_until`` = that day.
* ``repair_revoked`` — a revoked repair restores each record's previous status and publicity end (Fuzhou art. 23).

The disclosure sweeps end a record's life cycle in bulk (``expired`` when its publicity ends, ``shielded`` when its
retention ends) through :func:`set_lifecycle_status`: one set-based update plus a history row per record, which is
what sanctions' history watermark reads. They send no ``records_changed``: that signal means "recompute the
windows", and these changes *are* the windows running out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from credit_platform.actors import actor_user
from records.models import LIVE_STATUSES, Record
from records.signals import send_records_changed

#: ``records_changed`` kinds sent from here.
REPAIRED = "repaired"
REPAIR_REVOKED = "repair_revoked"


@transaction.atomic
def change_status(changes: Iterable[tuple[Record, str, date | None]], *, kind: str, reason: str, actor=None) -> list[int]:
    """Set each ``(record, status, public_until)`` with a history row (who and why), then send ``records_changed``
    with ``kind`` for all of them. Returns the ids changed. The caller holds the rows locked (``select_for_update``)."""
    ids = []
    for record, status, public_until in changes:
        record.status = status
        record.public_until = public_until
        record.updated_at = timezone.now()
        record._change_reason = reason[:100]
        record._history_user = actor_user(actor)
        record.save(update_fields=["status", "public_until", "updated_at"])
        ids.append(record.pk)
    send_records_changed(kind, ids, reason=reason)
    return ids


#: life-cycle statuses the disclosure sweeps set, and the statuses each may follow
EXPIRED = "expired"
SHIELDED = "shielded"
_LIFECYCLE_FROM = {EXPIRED: tuple(LIVE_STATUSES)}


def record_history(record_ids: list[int], reason: str) -> None:
    """One history row per changed record, with ``reason``, in bulk (a queryset ``update()`` writes none itself)."""
    if not record_ids:
        return
    objs = list(Record.objects.filter(pk__in=record_ids))
    Record.history.bulk_history_create(objs, batch_size=1000, default_change_reason=reason[:100])


def set_lifecycle_status(record_ids: Iterable[int], status: str, *, reason: str, now=None) -> list[int]:
    """Set ``status`` (``expired`` or ``shielded``) on those of ``record_ids`` it may follow — live records expire;
    anything not yet shielded is shielded — with a history row each. Returns the ids changed."""
    if status not in (EXPIRED, SHIELDED):
        raise ValueError(f"not a life-cycle status: {status!r}")
    now = now or timezone.now()
    rows = Record.objects.filter(pk__in=list(record_ids))
    rows = rows.filter(status__in=_LIFECYCLE_FROM[status]) if status in _LIFECYCLE_FROM else rows.exclude(status=status)
    ids = list(rows.values_list("pk", flat=True))
    Record.objects.filter(pk__in=ids).exclude(status=status).update(status=status, updated_at=now)
    record_history(ids, reason)
    return ids


def set_disputed(record, disputed: bool, *, actor=None, reason: str) -> bool:
    """Show or remove the disputed mark (异议标注) an objection puts on a record while it is handled (the article is
    the profile's ``objection_mark_days``, e.g. Karamay art. 34). One history row with ``reason`` and who acted;
    returns whether the record changed."""
    record = Record.objects.get(pk=record.pk)
    if record.disputed == disputed:
        return False
    record.disputed = disputed
    record._change_reason = reason[:100]
    record._history_user = actor_user(actor)
    record.save(update_fields=["disputed"])
    return True
