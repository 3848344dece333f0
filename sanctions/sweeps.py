"""Idempotent sweeps (DESIGN.md principle 2: the database is the clock).

Each sweep selects the overdue rows with one query and claims each with a compare-and-swap ``UPDATE … WHERE
<old state>`` (inside the service it calls): when two workers run at once, each row is acted on once. A sweep missed
for days finds every row that fell due meanwhile on its next run.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from credit_platform.workdays import local_date

from sanctions import conf, services
from sanctions.models import Commitment, Evaluation, RecordCursor, RedListEntry, SevereListEntry

SEVERE = SevereListEntry.Status


def severe_list_terms(now: datetime) -> int:
    """Remove entries whose term has ended (the term end is the first day off the list)."""
    day = local_date(now)
    ids = list(SevereListEntry.objects.filter(status=SEVERE.LISTED, term_end__lte=day, parent__isnull=True)
               .values_list("id", flat=True))
    acted = 0
    for entry in SevereListEntry.objects.filter(id__in=ids):
        if services.remove_from_severe_list(entry, reason=SevereListEntry.Removal.TERM_END, actor="system:sweep",
                                            note=f"列入期限于 {entry.term_end:%Y-%m-%d} 届满", now=now):
            acted += 1
    return acted


def red_list_terms(now: datetime) -> int:
    day = local_date(now)
    acted = 0
    for entry in RedListEntry.objects.filter(status=RedListEntry.Status.LISTED, valid_until__lt=day):
        if services.remove_from_red_list(entry, reason=RedListEntry.Removal.TERM_END, actor="system:sweep",
                                         note=f"有效期至 {entry.valid_until:%Y-%m-%d} 届满"):
            acted += 1
    return acted


def publicity(now: datetime) -> int:
    """Stop the publicity of removed entries (Qufu art. 35: within 3 working days of removal). Every removed entry
    still public is stopped at the first run; one stopped after its deadline is marked late and reported."""
    ids = list(SevereListEntry.objects.filter(status=SEVERE.REMOVED, public=True).values_list("id", flat=True))
    return sum(1 for pk in ids if services.stop_publicity(pk, now))


def commitments(now: datetime) -> dict:
    """Remind the department before a verification falls due (Heilongjiang art. 30) and escalate to the credit
    centre once it is overdue; remind again when a rectification term has run out."""
    day = local_date(now)
    open_statuses = (Commitment.Status.PENDING, Commitment.Status.RECTIFICATION)
    reminded = escalated = rectification = 0
    soon = day + timedelta(days=conf.commitment_remind_days())
    for c in Commitment.objects.filter(status__in=open_statuses, verification_due__lte=soon, reminded_at__isnull=True):
        with transaction.atomic():
            if Commitment.objects.filter(pk=c.pk, reminded_at__isnull=True).update(reminded_at=now):
                reminded += 1
                services.log_step(c, "reminded", "system:sweep", f"核查期限 {c.verification_due}")
                services._notify_all(services.department_officers(c.department), f"sanctions:commitment:{c.pk}:remind",
                                     f"信用承诺核查即将到期：{c.subject.name}",
                                     f"{c.title}，核查期限 {c.verification_due:%Y-%m-%d}（{c.verification_article}）")
    for c in Commitment.objects.filter(status__in=open_statuses, verification_due__lt=day, escalated_at__isnull=True):
        with transaction.atomic():
            if Commitment.objects.filter(pk=c.pk, escalated_at__isnull=True).update(escalated_at=now):
                escalated += 1
                services.log_step(c, "escalated", "system:sweep", f"核查逾期（期限 {c.verification_due}）")
                users = services.department_officers(c.department) + services.platform_admins()
                services._notify_all(users, f"sanctions:commitment:{c.pk}:overdue",
                                     f"信用承诺核查逾期：{c.subject.name}（{c.department.name}）",
                                     f"{c.title}，核查期限 {c.verification_due:%Y-%m-%d} 已过（{c.verification_article}）")
    for c in Commitment.objects.filter(status=Commitment.Status.RECTIFICATION, rectify_by__lt=day):
        if services._notify_all(services.department_officers(c.department),
                                f"sanctions:commitment:{c.pk}:rectify:{c.rectify_by}",
                                f"承诺整改期限已届满，请作出核查结论：{c.subject.name}", c.title):
            rectification += 1
    return {"reminded": reminded, "escalated": escalated, "rectification_due": rectification}


def evaluations(now: datetime) -> int:
    """Recompute the evaluations whose score changes by age alone today (recency brackets)."""
    from records.models import Subject

    day = local_date(now)
    ids = list(Evaluation.objects.filter(recompute_on__lte=day).values_list("subject_id", flat=True))
    for subject in Subject.objects.filter(id__in=ids):
        services.recompute_evaluation(subject, now=now)
    return len(ids)


def record_changes(now: datetime, *, max_batches: int = 20) -> int:
    """Catch record writes that sent no signal (set-based ingestion): read the records' history past the watermark,
    react to the records it names, then move the watermark (compare-and-swap). Reacting is idempotent."""
    from records.models import Record

    history = Record.history.model
    cursor, _ = RecordCursor.objects.get_or_create(name="records")
    touched = 0
    for _ in range(max_batches):
        start = RecordCursor.objects.get(pk=cursor.pk).last_history_id
        rows = list(history.objects.filter(history_id__gt=start).order_by("history_id")
                    .values_list("history_id", "id")[: conf.record_sync_batch()])
        if not rows:
            break
        touched += services.on_records_changed({rid for _, rid in rows}, actor="system:sweep")
        end = rows[-1][0]
        if not RecordCursor.objects.filter(pk=cursor.pk, last_history_id=start).update(last_history_id=end,
                                                                                      updated_at=now):
            break  # another worker moved it; it carries on from there
    return touched


SWEEPS = {
    "sanctions_severe_list_terms": severe_list_terms,
    "sanctions_red_list_terms": red_list_terms,
    "sanctions_publicity": publicity,
    "sanctions_commitments": commitments,
    "sanctions_evaluations": evaluations,
    "sanctions_record_changes": record_changes,
}


def run_all(now: datetime | None = None) -> dict[str, int]:
    from credit_platform.sweeps import run_sweep

    now = now or timezone.now()
    return {name: run_sweep(name, func, now) for name, func in SWEEPS.items()}
