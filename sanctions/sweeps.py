"""Idempotent sweeps (DESIGN.md principle 2: the database is the clock).

Each sweep claims the overdue rows in batches with ``SELECT … FOR UPDATE SKIP LOCKED``
(``credit_platform.sweeps.in_batches``; one transaction per batch with every side row — events, notifications,
history): when two workers run at once they take different rows, and a worker killed mid-sweep leaves whole
batches done. The services still claim each row with a compare-and-swap ``UPDATE … WHERE <old state>``, so a
handler acting at the same moment never makes a row acted on twice either. A sweep missed for days finds every row
that fell due meanwhile on its next run.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from credit_platform.sweeps import each_in_batches, run_sweep
from credit_platform.workdays import local_date
from records.models import Record, Subject
from sanctions import conf, history_gaps, implementation, services
from sanctions.models import Commitment, Evaluation, RecordCursor, RedListEntry, SevereListEntry

SEVERE = SevereListEntry.Status
logger = logging.getLogger(__name__)


def severe_list_terms(now: datetime) -> int:
    """Remove entries whose term has ended (the term end is the first day off the list)."""
    day = local_date(now)

    def remove(pk: int) -> bool:
        entry = SevereListEntry.objects.get(pk=pk)
        return services.remove_from_severe_list(entry, reason=SevereListEntry.Removal.TERM_END, actor="system:sweep",
                                                note=f"列入期限于 {entry.term_end:%Y-%m-%d} 届满", now=now)

    due = SevereListEntry.objects.filter(status=SEVERE.LISTED, term_end__lte=day, parent__isnull=True)
    return each_in_batches("sanctions.severe_list_terms", due, remove)


def red_list_terms(now: datetime) -> int:
    day = local_date(now)

    def remove(pk: int) -> bool:
        entry = RedListEntry.objects.get(pk=pk)
        return services.remove_from_red_list(entry, reason=RedListEntry.Removal.TERM_END, actor="system:sweep",
                                             note=f"有效期至 {entry.valid_until:%Y-%m-%d} 届满")

    due = RedListEntry.objects.filter(status=RedListEntry.Status.LISTED, valid_until__lt=day)
    return each_in_batches("sanctions.red_list_terms", due, remove)


def publicity(now: datetime) -> int:
    """Stop the publicity of removed entries (Qufu art. 35: within 3 working days of removal). Every removed entry
    still public is stopped at the first run; one stopped after its deadline is marked late and reported."""
    due = SevereListEntry.objects.filter(status=SEVERE.REMOVED, public=True)
    return each_in_batches("sanctions.publicity", due, lambda pk: services.stop_publicity(pk, now))


def commitments(now: datetime) -> dict:
    """Remind the department before a verification falls due (Heilongjiang art. 30) and escalate to the credit
    centre once it is overdue; remind again when a rectification term has run out."""
    day = local_date(now)
    open_statuses = (Commitment.Status.PENDING, Commitment.Status.RECTIFICATION)
    soon = day + timedelta(days=conf.commitment_remind_days())

    def remind(pk: int) -> bool:
        with transaction.atomic():
            if not Commitment.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
                return False
            c = Commitment.objects.select_related("subject", "department").get(pk=pk)
            services.log_step(c, "reminded", "system:sweep", f"核查期限 {c.verification_due}")
            services.notify_all(services.department_officers(c.department), f"sanctions:commitment:{c.pk}:remind",
                                 f"信用承诺核查即将到期：{c.subject.name}",
                                 f"{c.title}，核查期限 {c.verification_due:%Y-%m-%d}（{c.verification_article}）")
        return True

    def escalate(pk: int) -> bool:
        with transaction.atomic():
            if not Commitment.objects.filter(pk=pk, escalated_at__isnull=True).update(escalated_at=now):
                return False
            c = Commitment.objects.select_related("subject", "department").get(pk=pk)
            services.log_step(c, "escalated", "system:sweep", f"核查逾期（期限 {c.verification_due}）")
            users = services.department_officers(c.department) + services.platform_admins()
            services.notify_all(users, f"sanctions:commitment:{c.pk}:overdue",
                                 f"信用承诺核查逾期：{c.subject.name}（{c.department.name}）",
                                 f"{c.title}，核查期限 {c.verification_due:%Y-%m-%d} 已过（{c.verification_article}）")
        return True

    def rectify(pk: int) -> bool:
        c = Commitment.objects.select_related("subject", "department").get(pk=pk)
        return bool(services.notify_all(services.department_officers(c.department),
                                         f"sanctions:commitment:{c.pk}:rectify:{c.rectify_by}",
                                         f"承诺整改期限已届满，请作出核查结论：{c.subject.name}", c.title))

    open_ = Commitment.objects.filter(status__in=open_statuses)
    return {
        "reminded": each_in_batches("sanctions.commitment_reminders",
                                    open_.filter(verification_due__lte=soon, reminded_at__isnull=True), remind),
        "escalated": each_in_batches("sanctions.commitment_escalations",
                                     open_.filter(verification_due__lt=day, escalated_at__isnull=True), escalate),
        "rectification_due": each_in_batches(
            "sanctions.commitment_rectification",
            Commitment.objects.filter(status=Commitment.Status.RECTIFICATION, rectify_by__lt=day), rectify),
    }


def evaluations(now: datetime) -> int:
    """Recompute the evaluations whose score changes by age alone today (recency brackets)."""
    day = local_date(now)

    def recompute(pk: int) -> bool:
        subject = Subject.objects.get(evaluation__pk=pk)
        services.recompute_evaluation(subject, now=now)
        return True

    return each_in_batches("sanctions.evaluations", Evaluation.objects.filter(recompute_on__lte=day), recompute)


def record_changes(now: datetime, *, max_batches: int = 20) -> int:
    """Catch record writes that sent no signal (set-based ingestion): read the records' history past the watermark,
    react to the records it names, then move the watermark (compare-and-swap). The ids it passes that are not visible
    yet (a push still open) are kept as gaps and read again by every later batch (``sanctions.history_gaps``).
    Reacting is idempotent."""
    return _record_changes(now, max_batches)[0]


#: the cache key that says "a catch-up is already on its way" (receivers.records_written sets it, catch_up clears it)
CATCH_UP_PENDING = "sanctions:record_changes:catch_up_pending"


def catch_up(now: datetime | None = None, *, max_batches: int = 20) -> tuple[int, bool]:
    """The pushes' coalesced reaction: clear the "pending" flag FIRST, then read everything past the watermark. A push
    whose commit hook saw the flag still set committed before this clear, hence before the read below, so no push is
    left behind; one that commits later finds the flag gone and sends a new catch-up. Returns (subjects touched,
    whether a backlog remains after ``max_batches`` batches)."""
    try:
        cache.delete(CATCH_UP_PENDING)
    except Exception:  # a cache backend down (redis, file system): pushes then send a catch-up each, still correct
        logger.warning("sanctions: the catch-up flag could not be cleared", exc_info=True)
    return _record_changes(now or timezone.now(), max_batches)


def _record_changes(now: datetime, max_batches: int) -> tuple[int, bool]:
    history = Record.history.model
    cursor, _ = RecordCursor.objects.get_or_create(name="records")
    touched = 0
    for _ in range(max_batches):
        with transaction.atomic():
            # the watermark row is the lock: a second worker skips it and leaves the batch to the holder
            held = RecordCursor.objects.select_for_update(skip_locked=True).filter(pk=cursor.pk).first()
            if held is None:
                return touched, False
            start, gaps = held.last_history_id, history_gaps.waited_for(held.gaps or [], now)
            in_gaps = history_gaps.lookup(gaps)
            late = list(history.objects.filter(in_gaps).values_list("history_id", "id")) if in_gaps else []
            rows = list(history.objects.filter(history_id__gt=start).order_by("history_id")
                        .values_list("history_id", "id")[: conf.record_sync_batch()])
            changed = {rid for _, rid in [*rows, *late]}
            acted = services.on_records_changed(changed, actor="system:sweep") if changed else 0
            end = rows[-1][0] if rows else start
            gaps = history_gaps.bounded(history_gaps.still_missing(gaps, {hid for hid, _ in late})
                                        + history_gaps.between(start, [hid for hid, _ in rows], now))
            if (end, gaps) != (start, held.gaps) and not RecordCursor.objects.filter(
                    pk=cursor.pk, last_history_id=start).update(last_history_id=end, gaps=gaps, updated_at=now):
                transaction.set_rollback(True)  # SQLite (no row locks): another worker moved it first
                return touched, False
        touched += acted
        if not rows:
            return touched, False
    return touched, history.objects.filter(history_id__gt=RecordCursor.objects.get(pk=cursor.pk).last_history_id).exists()


def implementation_report(now: datetime) -> dict:
    """Qufu art. 41: refresh the published joint reward/punishment implementation report."""
    return implementation.refresh(now)


SWEEPS = {
    "sanctions_severe_list_terms": severe_list_terms,
    "sanctions_red_list_terms": red_list_terms,
    "sanctions_publicity": publicity,
    "sanctions_commitments": commitments,
    "sanctions_evaluations": evaluations,
    "sanctions_record_changes": record_changes,
    "sanctions_implementation": implementation_report,
}


def run_all(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {name: run_sweep(name, func, now) for name, func in SWEEPS.items()}
