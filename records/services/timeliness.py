"""Push timeliness (Heilongjiang art. 22: within the profile's working days of the information arising).

The due date is computed once at the first push and stored (``push_due``); a push after it is accepted and
flagged (``pushed_late``). Due dates that fell in a year whose working-day schedule had not been entered are
provisional and are recomputed when that year's schedule is entered (the workdays recompute hook).
"""

from __future__ import annotations

import logging
from datetime import date

from django.db.models import Count, Q

from credit_platform.policies import active_policy
from credit_platform.workdays import add_working_days, local_date
from records.models import Record, RecordChange

logger = logging.getLogger(__name__)


def push_rule() -> tuple[int | None, str]:
    rule = active_policy().push_deadline_days
    return rule.value, rule.article


def recompute_provisional(year: int) -> int:
    """Recompute provisional push and change due dates touching ``year``; return how many rows changed."""
    days, _article = push_rule()
    changed = 0
    if days is not None:
        rows = Record.objects.filter(push_due_provisional=True, push_due__year__gte=year).only(
            "id", "decided_on", "basis_issued_on", "occurred_on", "received_at", "push_due", "pushed_late"
        )
        for record in rows.iterator(chunk_size=2000):
            produced = record.decided_on or record.basis_issued_on or record.occurred_on
            if produced is None:
                continue
            due = add_working_days(produced, days)
            late = local_date(record.received_at) > due.date
            Record.objects.filter(pk=record.pk).update(push_due=due.date, push_due_provisional=due.provisional, pushed_late=late)
            changed += 1
    policy = active_policy()
    for change in RecordChange.objects.filter(due_provisional=True, due_on__year__gte=year):
        name = "correction_days" if change.kind == RecordChange.Kind.CORRECTION else "revocation_provider_days"
        rule = getattr(policy, name)  # one of the two named rules above: a typo raises
        if rule.value is None:

            continue
        due = add_working_days(change.trigger_date, rule.value)
        change.due_on, change.due_provisional = due.date, due.provisional
        if change.done_at:
            change.on_time = local_date(change.done_at) <= due.date
        change.save(update_fields=["due_on", "due_provisional", "on_time"])
        changed += 1
    if changed:
        logger.info("recomputed %s provisional due dates after the %s schedule changed", changed, year)
    return changed


def on_time_rates(since: date | None = None) -> dict[int, dict]:
    """department id → {total, with_deadline, on_time, late, rate} over first pushes (derived records excluded)."""
    qs = Record.objects.filter(parent__isnull=True)
    if since:
        qs = qs.filter(received_at__date__gte=since)
    rows = qs.values("source_department_id").annotate(
        total=Count("id"),
        with_deadline=Count("id", filter=Q(pushed_late__isnull=False)),
        late=Count("id", filter=Q(pushed_late=True)),
    )
    out = {}
    for row in rows:
        with_deadline = row["with_deadline"]
        on_time = with_deadline - row["late"]
        out[row["source_department_id"]] = {
            "total": row["total"], "with_deadline": with_deadline, "on_time": on_time, "late": row["late"],
            "rate": (on_time / with_deadline) if with_deadline else None,
        }
    return out
