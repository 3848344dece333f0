"""Recompute the severe list's provisional due dates once a year's working-day calendar is entered.

Registered in :mod:`credit_platform.deadlines` (``SanctionsConfig.ready``):

* ``SevereListEntry.defence_due`` — the statement-and-defence period after the prior notice (Heilongjiang art. 55,
  Zhangye art. 47; the number comes from the profile or from the notice), counted from ``notified_at``;
* ``SevereListEntry.publicity_stop_due`` — publicity stops within the profile's working days after removal
  (Qufu art. 35), counted from the removal date.

Only open rows are recomputed: an entry still in its defence period, a removed entry still public.
"""

from __future__ import annotations

import logging

from django.db import transaction

from credit_platform.sweeps import each_in_batches
from credit_platform.workdays import add_working_days, local_date
from sanctions.models import SevereListEntry
from sanctions.services import log_step, publicity_stop_due

logger = logging.getLogger(__name__)

SEVERE = SevereListEntry.Status


def recompute_defence_due(entry_id: int, reason: str) -> bool:
    with transaction.atomic():
        entry = SevereListEntry.objects.select_for_update().filter(
            pk=entry_id, status=SEVERE.NOTIFIED, defence_due_provisional=True
        ).first()
        if entry is None or entry.notified_at is None or not entry.defence_days:
            return False
        due = add_working_days(entry.notified_at, entry.defence_days)
        if (entry.defence_due, entry.defence_due_provisional) == (due.date, due.provisional):
            return False
        before = entry.defence_due
        SevereListEntry.objects.filter(pk=entry.pk).update(defence_due=due.date, defence_due_provisional=due.provisional)
        log_step(entry, "recomputed", "system", reason, field="defence_due", before=before, after=due.date,
                 provisional=due.provisional)
    return True


def recompute_publicity_stop_due(entry_id: int, reason: str) -> bool:
    with transaction.atomic():
        entry = SevereListEntry.objects.select_for_update().filter(
            pk=entry_id, status=SEVERE.REMOVED, public=True, publicity_stop_provisional=True
        ).first()
        if entry is None or entry.removed_at is None:
            return False
        due, provisional, _article = publicity_stop_due(local_date(entry.removed_at))
        if (entry.publicity_stop_due, entry.publicity_stop_provisional) == (due, provisional):
            return False
        before = entry.publicity_stop_due
        SevereListEntry.objects.filter(pk=entry.pk).update(publicity_stop_due=due, publicity_stop_provisional=provisional)
        log_step(entry, "recomputed", "system", reason, field="publicity_stop_due", before=before, after=due,
                 provisional=provisional)
    return True


def recompute_provisional(year: int) -> dict:
    """Calendar hook: ``year``'s schedule was entered — recompute the open provisional severe-list due dates."""
    reason = f"{year} 年工作日历已录入，期限重算"
    defence = SevereListEntry.objects.filter(status=SEVERE.NOTIFIED, defence_due_provisional=True)
    stops = SevereListEntry.objects.filter(status=SEVERE.REMOVED, public=True, publicity_stop_provisional=True)
    counts = {
        "defence_due": each_in_batches("sanctions.recompute_defence", defence,
                                       lambda pk: recompute_defence_due(pk, reason)),
        "publicity_stop_due": each_in_batches("sanctions.recompute_publicity_stop", stops,
                                              lambda pk: recompute_publicity_stop_due(pk, reason)),
    }
    if any(counts.values()):
        logger.info("recomputed severe-list due dates after the %s schedule changed: %s", year, counts)
    return counts
