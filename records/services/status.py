"""Status changes the records app makes on another app's decision: a repair and its revocation.

A record's status has one owner, this app: repair (信用修复) asks here rather than writing ``Record.status``, so
every change of a record's state sends ``records_changed`` inside its transaction like a push, correction or
revocation does (disclosure recomputes the windows, sanctions re-reads the subject, the provincial forward queues
the change).

* ``repaired`` — an approved repair stops publicity from the repair date (《信用修复管理办法》（国家发展改革委令第36号）
  第十三条; Karamay art. 35; Heilongjiang arts. 51, 54): ``status = repaired``, ``public_until`` = that day.
* ``repair_revoked`` — a revoked repair restores each record's previous status and publicity end (Fuzhou art. 23).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from credit_platform.actors import actor_user
from records.models import Record
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
