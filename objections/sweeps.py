"""The statutory sweeps: set-based, idempotent, compare-and-swap (DESIGN.md principle 2; healthchecks' sweep).

Each sweep selects the candidate rows with one indexed query on the stored due dates (``<= today``, never
"the last 24 hours", so a sweep missed for days catches up on its next run) and claims them in batches with
``SELECT … FOR UPDATE SKIP LOCKED`` (``credit_platform.sweeps.in_batches``): each batch is acted on and committed
in one transaction, and a second worker takes other rows. Inside a batch each row is still claimed with an
``UPDATE … WHERE <still in the old state>`` and acted on only if that changed exactly one row, so a retried
task or a handler clicking at the same moment never acts twice either, and ``notify``'s (user, event_key)
uniqueness means nobody is notified twice.

Every function takes ``now`` and returns a dict of counts for ``credit_platform.sweeps.run_sweep``.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse

from credit_platform.models import Department
from credit_platform.notifications import notify
from credit_platform.sweeps import each_in_batches, run_sweep
from credit_platform.workdays import add_working_days, local_date
from objections import complaints, conf, services
from objections.models import (
    OPEN_STATUSES,
    AssistanceRequest,
    ChangeDeadlineState,
    Complaint,
    ComplaintStatus,
    EventKind,
    Objection,
    ObjectionRecord,
    Status,
)
from objections.people import handlers_for, heads_for, officers_of
from records.models import Record, RecordChange
from records.services.status import set_disputed

logger = logging.getLogger(__name__)

OPEN = [s.value for s in OPEN_STATUSES]


def _remind_until(now: datetime):
    """Due dates up to this date get their reminder now (``OBJECTION_REMIND_WORKING_DAYS`` ahead)."""
    return add_working_days(now, conf.remind_working_days()).date


# --- marks ----------------------------------------------------------------------------------------------


def sweep_marks(now: datetime) -> dict:
    """Mark every objection whose marking date has come and that staff have not marked; escalate late ones.

    Runs on the due date itself (``mark_due <= today``), so the mark is made inside the statutory window
    even when nobody acted; after an outage it marks late and escalates — exactly once.
    """
    today = local_date(now)
    counts = {"marked": 0, "mark_escalated": 0}

    def mark(pk: int) -> None:
        objection = services.auto_mark(pk, now=now)
        if objection is None:
            return  # a handler got there first
        counts["marked"] += 1
        if objection.mark_due is not None and today > objection.mark_due:
            counts["mark_escalated"] += _escalate(objection.pk, "mark", now)

    each_in_batches("objections.marks", Objection.objects.filter(status=Status.RECEIVED, mark_due__lte=today), mark)
    return {**counts, "mark_restored": _restore_marks()}


def _restore_marks() -> int:
    """Put back a disputed mark that something else removed while the objection is still open (e.g. the
    provider re-pushed the record): the mark stays until the objection is decided or withdrawn. The record rows
    are claimed (not the objection items), so a record in two open objections is restored once."""
    marked_items = ObjectionRecord.objects.filter(objection__status__in=services.MARKED_STATES)
    # The records of the marked objections are read first (as many as objections are open: thousands, not millions).
    # Asked as one join, PostgreSQL walked the records' primary key up to the largest of them, every ten minutes
    # with nothing to restore (0.8 s over the first million of 10,000,000 records, bench/EXPLAIN.md).
    record_ids = sorted(set(marked_items.values_list("record_id", flat=True)))
    if not record_ids:
        return 0
    due = Record.objects.filter(disputed=False, pk__in=record_ids)

    def restore(record_id: int) -> bool:
        item = marked_items.filter(record_id=record_id).select_related("record", "objection").order_by("pk").first()
        if item is None or not set_disputed(item.record, True, reason=f"恢复异议标注（{item.objection.number} 仍在办理）"):
            return False
        services.record_event(item.objection, EventKind.MARKED, at=None, public=False,
                              note=f"记录 {item.record.source_ref} 的异议标注被覆盖，已恢复。")
        return True

    return each_in_batches("objections.restore_marks", due, restore)


# --- escalation -----------------------------------------------------------------------------------------------


def _escalate(pk: int, which: str, now: datetime) -> int:
    """Claim ``<which>_escalated_at`` (NULL → now) and, if this call won, flag, record and tell the head.

    The claim also requires the objection to be still open: without row locks (SQLite) a handler may decide it
    after the sweep selected it, and a decided objection is never overdue (Karamay art. 34)."""
    column = f"{which}_escalated_at"
    with transaction.atomic():
        won = Objection.objects.filter(pk=pk, status__in=OPEN, **{f"{column}__isnull": True}).update(
            **{column: now}, escalated_at=Coalesce(F("escalated_at"), Value(now))
        )
        if won != 1:
            return 0
        objection = Objection.objects.select_related("handling_department", "assigned_to").get(pk=pk)
        if which == "mark":
            what = f"标注期限 {objection.mark_due:%Y-%m-%d} 已过（{objection.policy.objection_mark_days.article}）"
        else:
            what = f"答复期限 {objection.decision_due:%Y-%m-%d} 已过仍未作出决定（{objection.policy.objection_decision_days.article}）"
        services.record_event(objection, EventKind.ESCALATED, actor=None, at=now, note=f"逾期督办：{what}，已报负责人。",
                              data={"which": which}, public=False)
        title = f"逾期督办：异议 {objection.number}"
        body = f"{objection.handling_department.name}办理的异议 {objection.number}，{what}。"
        for user in {u.pk: u for u in heads_for(objection.handling_department) + handlers_for(objection)}.values():
            notify(user, f"objection:{pk}:escalate:{which}", title, body, services.admin_link(objection), sms=True)
    return 1


def sweep_escalations(now: datetime) -> dict:
    """Escalate every overdue decision, assistance answer, complaint answer and provider correction, once."""
    today = local_date(now)
    counts = {}
    overdue = Objection.objects.filter(
        status__in=OPEN, paused_since__isnull=True, decision_due__lt=today, decision_escalated_at__isnull=True
    )
    counts["decision_escalated"] = each_in_batches(
        "objections.decision_escalations", overdue, lambda pk: _escalate(pk, "decision", now)
    )
    late_help = AssistanceRequest.objects.filter(
        answered_at__isnull=True, due__lt=today, escalated_at__isnull=True, objection__status__in=OPEN
    )
    counts["assistance_escalated"] = each_in_batches(
        "objections.assistance_escalations", late_help, lambda pk: _escalate_assistance(pk, now)
    )
    counts.update(sweep_complaint_escalations(now))
    counts.update(sweep_change_escalations(now))
    return counts


def _escalate_assistance(pk: int, now: datetime) -> bool:
    with transaction.atomic():
        if AssistanceRequest.objects.filter(pk=pk, escalated_at__isnull=True, answered_at__isnull=True,
                                            objection__status__in=OPEN).update(
            escalated_at=now
        ) != 1:
            return False
        request = AssistanceRequest.objects.select_related("objection", "department").get(pk=pk)
        objection = request.objection
        note = (f"{request.department.name} 未在 {request.due:%Y-%m-%d} 前反馈协助核查结果"
                f"（{objection.policy.objection_assist_reply_days.article}）")
        services.record_event(objection, EventKind.ESCALATED, at=now, note=f"逾期督办：{note}。",
                              data={"which": "assistance", "assistance_id": pk}, public=False)
        people = heads_for(request.department) + officers_of(request.department) + handlers_for(objection)
        for user in {u.pk: u for u in people}.values():
            notify(user, f"assistance:{pk}:escalate", f"协助核查逾期：异议 {objection.number}", note + "。",
                   services.admin_link(objection))
    return True


# --- reminders --------------------------------------------------------------------------------------------------


def sweep_reminders(now: datetime) -> dict:
    """Remind handlers (and assisting departments) once per due date, shortly before it."""
    today, until = local_date(now), _remind_until(now)
    counts = {"mark_reminded": 0, "decision_reminded": 0, "assistance_reminded": 0}

    for field, claim, which in (
        ("mark_due", "reminded_mark_for", "mark"),
        ("decision_due", "reminded_decision_for", "decision"),
    ):
        base = Objection.objects.filter(**{f"{field}__gte": today, f"{field}__lte": until})
        base = base.filter(status=Status.RECEIVED) if which == "mark" else base.filter(status__in=OPEN, paused_since__isnull=True)
        base = base.exclude(**{claim: F(field)})
        counts[f"{which}_reminded"] = each_in_batches(
            f"objections.{which}_reminders", base,
            lambda pk, field=field, claim=claim, which=which: _remind(pk, field, claim, which, now),
        )

    helps = AssistanceRequest.objects.filter(
        answered_at__isnull=True, due__gte=today, due__lte=until, objection__status__in=OPEN
    ).exclude(reminded_for=F("due"))
    counts["assistance_reminded"] = each_in_batches("objections.assistance_reminders", helps, _remind_assistance)

    counts.update(sweep_complaint_reminders(now))
    counts.update(sweep_change_reminders(now))
    return counts


def _remind(pk: int, field: str, claim: str, which: str, now: datetime) -> bool:
    with transaction.atomic():
        won = Objection.objects.filter(pk=pk).filter(
            Q(**{f"{claim}__isnull": True}) | ~Q(**{claim: F(field)})
        ).update(**{claim: F(field)})
        if won != 1:
            return False
        objection = Objection.objects.get(pk=pk)
        due = getattr(objection, field)
        label = "异议标注" if which == "mark" else "异议答复"
        for user in handlers_for(objection):
            notify(user, f"objection:{pk}:remind:{which}:{due:%Y%m%d}",
                   f"{label}期限提醒：{objection.number} 须于 {due:%Y-%m-%d} 前办理",
                   services._due_sentence(objection), services.admin_link(objection))
        services.record_event(objection, EventKind.REMINDED, at=now, public=False,
                              note=f"已提醒承办人：{label}期限 {due:%Y-%m-%d}。", data={"which": which})
    return True


def _remind_assistance(pk: int) -> bool:
    with transaction.atomic():
        unreminded = Q(reminded_for__isnull=True) | ~Q(reminded_for=F("due"))
        if AssistanceRequest.objects.filter(unreminded, pk=pk).update(reminded_for=F("due")) != 1:
            return False
        request = AssistanceRequest.objects.select_related("objection", "department").get(pk=pk)
        for user in officers_of(request.department):
            notify(user, f"assistance:{pk}:remind:{request.due:%Y%m%d}",
                   f"协助核查反馈期限提醒：异议 {request.objection.number} 须于 {request.due:%Y-%m-%d} 前反馈",
                   request.question, services.admin_link(request.objection))
    return True


# --- complaints (Heilongjiang art. 57) --------------------------------------------------------------------------


def sweep_complaint_reminders(now: datetime) -> dict:
    today, until = local_date(now), _remind_until(now)
    qs = Complaint.objects.exclude(status=ComplaintStatus.ANSWERED).filter(reply_due__gte=today, reply_due__lte=until)

    def remind(pk: int) -> bool:
        with transaction.atomic():
            if Complaint.objects.filter(pk=pk).filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("reply_due"))).update(
                reminded_for=F("reply_due")
            ) != 1:
                return False
            complaint = Complaint.objects.get(pk=pk)
            for user in complaints.handlers_for(complaint):
                notify(user, f"complaint:{pk}:remind:{complaint.reply_due:%Y%m%d}",
                       f"投诉答复期限提醒：{complaint.number} 须于 {complaint.reply_due:%Y-%m-%d} 前书面答复",
                       complaint.statement[:300], complaints.admin_link(complaint))
        return True

    return {"complaint_reminded": each_in_batches(
        "objections.complaint_reminders", qs.exclude(reminded_for=F("reply_due")), remind)}


def sweep_complaint_escalations(now: datetime) -> dict:
    today = local_date(now)
    qs = Complaint.objects.exclude(status=ComplaintStatus.ANSWERED).filter(reply_due__lt=today, escalated_at__isnull=True)

    def escalate(pk: int) -> bool:
        with transaction.atomic():
            if Complaint.objects.filter(pk=pk, escalated_at__isnull=True).exclude(status=ComplaintStatus.ANSWERED).update(
                escalated_at=now
            ) != 1:
                return False
            complaint = Complaint.objects.select_related("handling_department").get(pk=pk)
            note = f"投诉 {complaint.number} 答复期限 {complaint.reply_due:%Y-%m-%d} 已过仍未书面答复（{complaint.policy.complaint_reply_days.article}）"
            complaints.record(complaint, "escalated", None, note=f"逾期督办：{note}。", at=now)
            people = heads_for(complaint.handling_department) + complaints.handlers_for(complaint)
            for user in {u.pk: u for u in people}.values():
                notify(user, f"complaint:{pk}:escalate", f"逾期督办：投诉 {complaint.number}", note + "。",
                       complaints.admin_link(complaint), sms=True)
        return True

    return {"complaint_escalated": each_in_batches("objections.complaint_escalations", qs, escalate)}


# --- providers' corrections and revocations (Heilongjiang art. 52, Qufu arts. 57–58) ------------------------------


def _open_changes():
    return RecordChange.objects.filter(done_at__isnull=True)


def sweep_change_reminders(now: datetime) -> dict:
    """Remind the providing department's officers before a correction or revocation falls due."""
    today, until = local_date(now), _remind_until(now)

    def remind(pk: int) -> bool:
        change = _open_changes().select_related("department", "record").get(pk=pk)
        state, _ = ChangeDeadlineState.objects.get_or_create(change=change)
        with transaction.atomic():
            if ChangeDeadlineState.objects.filter(pk=state.pk).filter(
                Q(reminded_for__isnull=True) | ~Q(reminded_for=change.due_on)
            ).update(reminded_for=change.due_on) != 1:
                return False
            for user in officers_of(change.department):
                notify(user, f"recordchange:{change.pk}:remind:{change.due_on:%Y%m%d}",
                       f"{change.get_kind_display()}期限提醒：记录 {change.record.source_ref} 须于 {change.due_on:%Y-%m-%d} 前报送",
                       change.reason[:300], _change_link(change))
        return True

    due = _open_changes().filter(due_on__gte=today, due_on__lte=until)
    return {"change_reminded": each_in_batches("objections.change_reminders", due, remind)}


def sweep_change_escalations(now: datetime) -> dict:
    """Escalate a provider's overdue correction/revocation to its head and the credit centre, once; likewise
    the platform's own overdue step (``platform_due_on``, Heilongjiang art. 52)."""
    today = local_date(now)
    counts = {"change_escalated": 0, "platform_change_escalated": 0}
    overdue = _open_changes().filter(Q(due_on__lt=today) | Q(platform_due_on__lt=today))
    each_in_batches("objections.change_escalations", overdue, lambda pk: _escalate_change(pk, today, now, counts))
    return counts


def _escalate_change(pk: int, today, now: datetime, counts: dict) -> None:
    change = _open_changes().select_related("department", "record").get(pk=pk)
    state, _ = ChangeDeadlineState.objects.get_or_create(change=change)
    for due, column, key in (
        (change.due_on, "escalated_at", "change_escalated"),
        (change.platform_due_on, "platform_escalated_at", "platform_change_escalated"),
    ):
        if due is None or due >= today:
            continue
        with transaction.atomic():
            if ChangeDeadlineState.objects.filter(pk=state.pk, **{f"{column}__isnull": True}).update(**{column: now}) != 1:
                continue
            who = "平台" if column == "platform_escalated_at" else change.department.name
            note = f"{who}未在 {due:%Y-%m-%d} 前完成记录 {change.record.source_ref} 的{change.get_kind_display()}" + (
                f"（{change.article}）" if change.article else "")
            people = heads_for(change.department) + officers_of(change.department)
            if column == "platform_escalated_at":
                centre = Department.objects.filter(is_credit_centre=True).first()
                people = heads_for(centre) if centre else people
            for user in {u.pk: u for u in people}.values():
                notify(user, f"recordchange:{change.pk}:{column}", f"逾期督办：{change.get_kind_display()} {change.record.source_ref}",
                       note + "。", _change_link(change), sms=True)
            counts[key] += 1


def _change_link(change) -> str:
    try:
        return reverse("admin:records_recordchange_change", args=[change.pk])
    except NoReverseMatch:
        return ""


# --- all of them -------------------------------------------------------------------------------------------------

SWEEPS = {
    "objections_marks": sweep_marks,
    "objections_escalations": sweep_escalations,
    "objections_reminders": sweep_reminders,
}


def run_all(now: datetime | None = None, only: str | None = None) -> dict[str, int]:
    """Run every sweep (or one) through ``run_sweep``: the same code path as the Celery tasks."""
    results = {}
    for name, func in SWEEPS.items():
        if only and name != only and name != f"objections_{only}":
            continue
        results[name] = run_sweep(name, func, now=now)
    return results


# --- recompute hook ------------------------------------------------------------------------------------------------


def recompute_for_year(year: int) -> dict:
    """Workdays hook: ``year``'s schedule was entered — recompute every open provisional due date."""

    def recompute(now: datetime) -> dict:
        reason = f"{year} 年工作日历已录入，期限重算"
        open_requests = AssistanceRequest.objects.filter(answered_at__isnull=True, provisional=True)
        open_complaints = Complaint.objects.exclude(status=ComplaintStatus.ANSWERED).filter(provisional=True)
        return {
            "objections": each_in_batches(
                "objections.recompute", Objection.objects.filter(status__in=OPEN, provisional=True),
                lambda pk: services.recompute_due_dates(Objection.objects.get(pk=pk), now=now, reason=reason),
            ),
            "assistance": each_in_batches(
                "objections.recompute_assistance", open_requests,
                lambda pk: services.recompute_assistance(open_requests.select_related("objection").get(pk=pk)),
            ),
            "complaints": each_in_batches(
                "objections.recompute_complaints", open_complaints,
                lambda pk: complaints.recompute(Complaint.objects.get(pk=pk), now=now),
            ),
        }

    try:
        return {"acted": run_sweep(f"objections_recompute_{year}", recompute)}
    except Exception:  # a hook failure must not hide the calendar change; the run is logged as failed
        logger.exception("recomputing objection due dates for %s failed", year)
        return {}
