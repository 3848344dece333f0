"""``records_changed``: sent inside the transaction that pushes, corrects, revokes, repairs or un-repairs records.

The records app sits below disclosure, sanctions and repair, so it does not import them; they connect here:
disclosure stores the publicity windows in the same transaction, sanctions updates lists and evaluations after
commit, repair delivers corrections and revocations to the subscribers through the outbox (``records.outbox``,
一处修复、处处认).

Arguments: ``kind`` — ``"pushed"``, ``"corrected"``, ``"revoked"``, or ``"repaired"`` / ``"repair_revoked"``
(``records.services.status``, on a repair decision and its revocation); ``record_ids`` — every record created or
changed, including the responsible persons' records derived from them; ``department``; ``reason``;
``created`` — those of ``record_ids`` the write has just created (a push; empty for corrections and revocations).

Two more signals are defined here because both their senders and their receivers sit above records, on floors that
may not import each other (disclosure | sanctions):

``report_assessments`` — sent by disclosure while a standard credit report is built, with ``subject`` and ``day``. A
receiver returns a list of rows for the report's 信用评价 section, each a dict with ``item``, ``summary``,
``decided_on`` and ``source``. The sanctions app answers with the subject's 公共信用综合评价, so the report says what
``/lists/mine/`` says.

``severe_list_removed`` — sent by sanctions when a subject leaves the severe dishonesty list, with ``entry`` (the
list entry) and ``removed_on``. Disclosure stops the listing's publicity and restarts retention from the removal
(Qufu art. 35).
"""

from django.dispatch import Signal

records_changed = Signal()
report_assessments = Signal()
severe_list_removed = Signal()


def send_records_changed(kind: str, record_ids, *, department=None, reason: str = "", created=()) -> None:
    ids = sorted({int(i) for i in record_ids})
    if ids:
        records_changed.send(sender=kind, kind=kind, record_ids=ids, department=department, reason=reason,
                             created=sorted({int(i) for i in created}))
