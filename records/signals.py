"""``records_changed``: sent inside the transaction that pushes, corrects or revokes records.

The records app sits below disclosure, sanctions and repair, so it does not import them; they connect here:
disclosure stores the publicity windows in the same transaction, sanctions updates lists and evaluations after
commit, repair delivers corrections and revocations to the subscribers through its outbox (一处修复、处处认).

Arguments: ``kind`` — ``"pushed"``, ``"corrected"`` or ``"revoked"``; ``record_ids`` — every record created or
changed, including the responsible persons' records derived from them; ``department``; ``reason``;
``created`` — those of ``record_ids`` the write has just created (a push; empty for corrections and revocations).
"""

from django.dispatch import Signal

records_changed = Signal()


def send_records_changed(kind: str, record_ids, *, department=None, reason: str = "", created=()) -> None:
    ids = sorted({int(i) for i in record_ids})
    if ids:
        records_changed.send(sender=kind, kind=kind, record_ids=ids, department=department, reason=reason,
                             created=sorted({int(i) for i in created}))
