"""Recompute the trust opt-out's provisional stop date once a year's working-day calendar is entered.

``TrustOptOut.stop_due`` is the statutory deadline to stop external queries of the subject's trust information
(Qufu art. 61: within 2 working days of receiving the request; Karamay 36 and Heilongjiang 51 set no number). It is
counted from ``requested_at``; the platform stops at once, so ``stopped_at`` is compared with the recomputed date.
Registered in :mod:`credit_platform.deadlines` (``DisclosureConfig.ready``).
"""

from __future__ import annotations

from django.db import transaction

from credit_platform.policies import active_policy
from credit_platform.sweeps import each_in_batches
from credit_platform.workdays import add_working_days
from disclosure.models import TrustOptOut


def recompute_stop_due(opt_out_id: int) -> bool:
    days = active_policy().trust_opt_out_days.value
    with transaction.atomic():
        opt = TrustOptOut.objects.select_for_update().filter(
            pk=opt_out_id, withdrawn_at__isnull=True, stop_due_provisional=True
        ).first()
        if opt is None:
            return False
        due = add_working_days(opt.requested_at, days or 0)
        if (opt.stop_due, opt.stop_due_provisional) == (due.date, due.provisional):
            return False
        opt.stop_due, opt.stop_due_provisional = due.date, due.provisional
        opt._change_reason = "工作日历录入后重算期限"
        opt.save(update_fields=["stop_due", "stop_due_provisional"])
    return True


def recompute_provisional(year: int) -> dict:
    """Calendar hook: recompute every open trust opt-out whose stop date is still provisional."""
    due = TrustOptOut.objects.filter(withdrawn_at__isnull=True, stop_due_provisional=True)
    return {"trust_opt_out": each_in_batches("disclosure.recompute_opt_out", due, recompute_stop_due)}
