"""The objection workflow: file → mark → review (assistance, pauses, extension) → decide.

Each step is a function that, in one transaction, claims the objection with a compare-and-swap
``UPDATE … WHERE status IN (…)`` (so a handler and a sweep, or two workers, never both act), changes it,
records a timeline event with who and why, and notifies whoever must know. Views, serializers, admin
actions and Celery tasks only call these functions.

All periods come from the policy profile the objection was received under (``Objection.policy_code``)
through :mod:`objections.clock`; nothing here knows a statutory number.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from credit_platform import object_permissions
from credit_platform.actors import actor_label, actor_user
from credit_platform.evidence import CheckedFile, check_uploads
from credit_platform.exceptions import DomainError
from credit_platform.notifications import notify
from credit_platform.policies import active_policy
from credit_platform.policies.labels import code_label
from credit_platform.workdays import local_date, working_days_between
from objections import clock, record_ops
from objections.conf import EVIDENCE_RULES, received_at_skew_seconds
from objections.models import (
    OPEN_STATUSES,
    AssistanceRequest,
    Channel,
    EventKind,
    Evidence,
    Ground,
    Objection,
    ObjectionEvent,
    ObjectionPause,
    ObjectionRecord,
    Outcome,
    Status,
)
from objections.people import handlers_for, officers_of
from records.models import Record
from records.outbox import publish_change
from records.services import status as record_status

logger = logging.getLogger(__name__)

OPEN = [s.value for s in OPEN_STATUSES]
MARKED_STATES = [Status.MARKED.value, Status.UNDER_REVIEW.value]


# --- helpers -----------------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _fmt(day: date | None) -> str:
    return day.isoformat() if day else "—"


def portal_link(objection: Objection) -> str:
    try:
        return reverse("objections:detail", args=[objection.pk])
    except NoReverseMatch:
        return ""


def admin_link(objection: Objection) -> str:
    try:
        return reverse("admin:objections_objection_change", args=[objection.pk])
    except NoReverseMatch:
        return ""


def record_event(objection, kind, *, actor=None, note: str = "", at: datetime | None = None, public: bool = True,
                 data: dict | None = None, label: str | None = None) -> ObjectionEvent:
    return ObjectionEvent.objects.create(
        objection=objection, kind=kind, at=_now(at), actor=actor_user(actor),
        actor_label=label if label is not None else actor_label(actor), note=note, public=public, data=data or {},
    )


def _save(objection: Objection, actor, reason: str) -> None:
    objection._change_reason = reason[:100]
    # Always set: a department system (or the system itself) is recorded as no user, never taken from the request.
    objection._history_user = actor_user(actor)
    objection.save()


def _claim(objection: Objection, statuses: Sequence[str], *, extra: Q | None = None, now: datetime | None = None) -> bool:
    """Compare-and-swap: touch the row only if it is still in one of ``statuses`` (and matches ``extra``).

    Acts as the lock for the rest of the transaction: a concurrent claim blocks on the row (PostgreSQL) or
    on the database write lock (SQLite) and then finds the status changed. Refreshes ``objection``.
    """
    qs = Objection.objects.filter(pk=objection.pk, status__in=list(statuses))
    if extra is not None:
        qs = qs.filter(extra)
    if qs.update(updated_at=_now(now)) != 1:
        return False
    objection.refresh_from_db()
    return True


def _refuse_unless_claimed(objection: Objection, statuses: Sequence[str], *, extra: Q | None = None, now=None) -> None:
    if not _claim(objection, statuses, extra=extra, now=now):
        objection.refresh_from_db()
        raise DomainError(
            "invalid_state", f"异议 {objection.number} 当前状态为“{objection.get_status_display()}”，不能办理此操作。"
        )


def _notify_applicant(objection: Objection, event: str, title: str, body: str, *, sms: bool = False) -> None:
    if objection.applicant_id:
        notify(objection.applicant, f"objection:{objection.pk}:{event}", title, body, portal_link(objection), sms=sms)


def _notify_handlers(objection: Objection, event: str, title: str, body: str = "") -> None:
    for user in handlers_for(objection):
        notify(user, f"objection:{objection.pk}:{event}", title, body, admin_link(objection))


def _schedule(objection: Objection) -> clock.ObjectionSchedule:
    pauses = objection.pauses.values_list("started_at", "ended_at")
    return clock.objection_schedule(
        objection.received_at, objection.policy, assisted=objection.assisted,
        paused_days=clock.paused_working_days(pauses), extended_total_days=objection.extended_total_days,
    )


def _apply_schedule(objection: Objection, schedule: clock.ObjectionSchedule) -> list[str]:
    """Copy the still-running due dates onto the objection; returns the names of the fields that changed."""
    changed = []
    if objection.status == Status.RECEIVED and objection.mark_due != schedule.mark_due:
        objection.mark_due = schedule.mark_due
        changed.append("mark_due")
    for field in ("decision_due", "decision_cap"):
        if getattr(objection, field) != getattr(schedule, field):
            setattr(objection, field, getattr(schedule, field))
            changed.append(field)
    provisional = schedule.provisional if objection.status == Status.RECEIVED else _decision_provisional(objection)
    if objection.provisional != provisional:
        objection.provisional = provisional
        changed.append("provisional")
    return changed


def _decision_provisional(objection: Objection) -> bool:
    """Once the mark is made only the decision date and cap still matter for provisionality."""
    policy = objection.policy
    sched = clock.objection_schedule(
        objection.received_at, _without_mark(policy), assisted=objection.assisted,
        paused_days=objection.paused_days, extended_total_days=objection.extended_total_days,
    )
    return sched.provisional


def _activity_label(code: str) -> str:
    return code_label(code)


def _without_mark(policy):
    return dataclasses.replace(policy, objection_mark_days=dataclasses.replace(policy.objection_mark_days, value=None))


# --- filing ---------------------------------------------------------------------------------------------


def _normalise_received_at(received_at: datetime | None, now: datetime) -> datetime:
    if received_at is None:
        return now
    if timezone.is_naive(received_at):
        raise DomainError("received_at_naive", "收到时间必须带时区（如 +08:00）。", field="received_at")
    if received_at > now + timedelta(seconds=received_at_skew_seconds()):
        raise DomainError("received_at_future", "收到时间不能晚于当前时间。", field="received_at")
    return received_at


def file_objection(
    *,
    records: Iterable,
    ground: str,
    statement: str,
    actor,
    channel: str,
    handling_department,
    received_at: datetime | None = None,
    applicant=None,
    applicant_name: str = "",
    applicant_phone: str = "",
    applicant_email: str = "",
    evidence: Iterable = (),
    now: datetime | None = None,
) -> Objection:
    """Receive an objection and start its clock.

    The caller has already checked that ``actor`` may file against every record (see ``objections.access``).
    The due dates are computed from the Asia/Shanghai date of ``received_at`` under the active profile and
    stored. Where the profile sets no marking period (Qufu art. 59, Fuzhou) the platform marks on receipt:
    a record under objection is never shown without its mark for want of a statutory day count.
    """
    now = _now(now)
    records = list(dict.fromkeys(records))
    if not records:
        raise DomainError("records_required", "请至少选择一条信用记录。", field="records")
    if ground not in Ground.values:
        raise DomainError("invalid_ground", "异议事由无效。", field="ground")
    statement = (statement or "").strip()
    if not statement:
        raise DomainError("statement_required", "请填写异议陈述（事实和理由）。", field="statement")
    if channel not in Channel.values:
        raise DomainError("invalid_channel", "受理渠道无效。", field="channel")
    received_at = _normalise_received_at(received_at, now)
    subjects = {r.subject_id for r in records}
    if len(subjects) != 1:
        raise DomainError("records_mixed_subjects", "一件异议只能针对同一信用主体的记录。", field="records")
    checked: list[CheckedFile] = check_uploads(evidence, EVIDENCE_RULES)
    policy = active_policy()
    schedule = clock.objection_schedule(received_at, policy)
    subject = records[0].subject
    if applicant is not None and not applicant_name:
        applicant_name = applicant.get_full_name() or applicant.username
    applicant_name = applicant_name or subject.name

    with transaction.atomic():
        busy = list(
            ObjectionRecord.objects.select_related("objection")
            .filter(record__in=records, objection__status__in=OPEN)
            .values_list("record_id", "objection__number")
        )
        if busy:
            numbers = "、".join(sorted({n for _, n in busy}))
            raise DomainError(
                "already_open", f"所选记录已有正在办理的异议（{numbers}），请在原异议中补充材料。", field="records"
            )
        objection = Objection(
            number=_temporary_number(), policy_code=policy.code, channel=channel, ground=ground, statement=statement,
            subject=subject, applicant=applicant if actor_user(applicant) else None, applicant_name=applicant_name[:200],
            applicant_phone=applicant_phone[:32], applicant_email=applicant_email, handling_department=handling_department,
            registered_by=actor_user(actor), received_at=received_at, received_on=local_date(received_at),
            status=Status.RECEIVED, mark_due=schedule.mark_due, decision_due=schedule.decision_due,
            decision_cap=schedule.decision_cap, provisional=schedule.provisional,
        )
        _save(objection, actor, "受理异议")
        objection.number = f"YY{objection.received_on:%Y%m%d}{objection.pk:06d}"
        Objection.objects.filter(pk=objection.pk).update(number=objection.number)
        ObjectionRecord.objects.bulk_create([ObjectionRecord(objection=objection, record=r) for r in records])
        for item in checked:
            _store_evidence(objection, item, actor, now)
        record_event(
            objection, EventKind.RECEIVED, actor=actor, at=now,
            note=_received_note(objection, policy),
            data={"received_at": received_at.isoformat(), "mark_due": _fmt(schedule.mark_due),
                  "decision_due": _fmt(schedule.decision_due), "provisional": schedule.provisional,
                  "evidence": [c.name for c in checked]},
        )
        if schedule.mark_due is None:
            _mark(objection, None, now=now, automatic=True,
                  note=f"{policy.objection_mark_days.article}；平台受理即作异议标注。")
        _notify_applicant(
            objection, "received", f"您的异议已受理（{objection.number}）",
            f"收到日期 {objection.received_on:%Y-%m-%d}；" + _due_sentence(objection),
        )
        _notify_handlers(objection, "new", f"新异议待办理：{objection.number}", _due_sentence(objection))
    return objection


def _temporary_number() -> str:
    return f"tmp-{uuid.uuid4().hex[:24]}"


def _received_note(objection: Objection, policy) -> str:
    parts = [f"适用{policy.title}"]
    if objection.mark_due:
        parts.append(f"标注期限 {objection.mark_due:%Y-%m-%d}（{policy.objection_mark_days.article}）")
    if objection.decision_due:
        parts.append(f"答复期限 {objection.decision_due:%Y-%m-%d}（{policy.objection_decision_days.article}）")
    else:
        parts.append(f"答复期限：{policy.objection_decision_days.article}，及时办理")
    if objection.provisional:
        parts.append("期限跨入工作日历尚未录入的年度，为临时推算，录入后自动重算")
    return "；".join(parts) + "。"


def _due_sentence(objection: Objection) -> str:
    bits = []
    if objection.mark_due and objection.status == Status.RECEIVED:
        bits.append(f"异议标注期限 {objection.mark_due:%Y-%m-%d}")
    if objection.decision_due:
        bits.append(f"答复期限 {objection.decision_due:%Y-%m-%d}" + ("（临时推算）" if objection.provisional else ""))
    return "，".join(bits) + ("。" if bits else "")


def _store_evidence(objection: Objection, item: CheckedFile, actor, now: datetime) -> Evidence:
    evidence = Evidence(
        objection=objection, original_name=item.name, content_type=item.content_type, size=item.size,
        sha256=item.sha256, uploaded_at=now, uploaded_by=actor_user(actor),
    )
    evidence.file.save(item.name, item.upload, save=False)
    evidence.save()
    return evidence


def add_evidence(objection: Objection, uploads, *, actor, now: datetime | None = None) -> list[Evidence]:
    """Add evidence to an open objection (the applicant or an official)."""
    now = _now(now)
    checked = check_uploads(uploads, EVIDENCE_RULES, already=objection.evidence.count())
    if not checked:
        raise DomainError("evidence_required", "请选择要上传的文件。", field="files")
    with transaction.atomic():
        _refuse_unless_claimed(objection, OPEN, now=now)
        stored = [_store_evidence(objection, item, actor, now) for item in checked]
        record_event(objection, EventKind.EVIDENCE_ADDED, actor=actor, at=now,
                     note="补充证明材料：" + "、".join(e.original_name for e in stored))
    return stored


# --- marking ------------------------------------------------------------------------------------------------


def _set_marks(objection: Objection, disputed: bool, actor, reason: str) -> int:
    changed = 0
    for item in objection.items.select_related("record"):
        if not disputed and _other_marked_objection(item.record_id, objection.pk):
            continue  # another open objection still holds the mark
        changed += record_status.set_disputed(item.record, disputed, actor=actor, reason=reason)
    return changed


def _other_marked_objection(record_id: int, objection_id: int) -> bool:
    return ObjectionRecord.objects.filter(record_id=record_id, objection__status__in=MARKED_STATES).exclude(
        objection_id=objection_id
    ).exists()


def _mark(objection: Objection, actor, *, now: datetime, automatic: bool, note: str = "") -> None:
    """Mark an objection already claimed in ``received`` (inside the caller's transaction)."""
    objection.status = Status.MARKED
    objection.marked_at = now
    objection.marked_automatically = automatic
    _set_marks(objection, True, actor, f"异议标注（{objection.number}）")
    objection.provisional = _decision_provisional(objection)
    _save(objection, actor, "到期自动标注" if automatic else "异议标注")
    late = objection.mark_due is not None and local_date(now) > objection.mark_due
    kind = EventKind.AUTO_MARKED if automatic and actor is None and objection.mark_due else EventKind.MARKED
    record_event(objection, kind, actor=actor, at=now, note=note or ("逾期标注" if late else ""),
                 data={"late": late, "mark_due": _fmt(objection.mark_due)})
    _notify_applicant(objection, "marked", f"您的异议所涉记录已作异议标注（{objection.number}）",
                      "在异议处理期间，相关信用记录显示“异议中”标注。" + _due_sentence(objection))


def mark(objection: Objection, *, actor, note: str = "", now: datetime | None = None) -> Objection:
    """A handler marks the records as disputed (异议标注)."""
    now = _now(now)
    with transaction.atomic():
        _refuse_unless_claimed(objection, [Status.RECEIVED], now=now)
        _mark(objection, actor, now=now, automatic=False, note=note)
    return objection


def auto_mark(objection_id: int, *, now: datetime) -> Objection | None:
    """The mark sweep's action: mark if (and only if) staff have not. ``None`` when another actor was first."""
    objection = Objection(pk=objection_id)
    with transaction.atomic():
        if not _claim(objection, [Status.RECEIVED], extra=Q(mark_due__lte=local_date(now)), now=now):
            return None
        _mark(objection, None, now=now, automatic=True, note="标注期限已到，系统自动作出异议标注。")
    return objection


# --- review ----------------------------------------------------------------------------------------------------


def start_review(objection: Objection, *, actor, note: str = "", now: datetime | None = None) -> Objection:
    """Begin verification (核查). An objection not yet marked is marked first: no review without the mark."""
    now = _now(now)
    with transaction.atomic():
        _refuse_unless_claimed(objection, [Status.RECEIVED, Status.MARKED], now=now)
        if objection.status == Status.RECEIVED:
            _mark(objection, actor, now=now, automatic=False)
        objection.status = Status.UNDER_REVIEW
        objection.review_started_at = now
        if objection.assigned_to_id is None and actor_user(actor) is not None:
            objection.assigned_to = actor_user(actor)
            object_permissions.make_sole_holder(object_permissions.HANDLE_OBJECTION, objection, objection.assigned_to)
        _save(objection, actor, "开始核查")
        record_event(objection, EventKind.REVIEW_STARTED, actor=actor, at=now, note=note)
    return objection


def assign(objection: Objection, handler, *, actor, now: datetime | None = None) -> Objection:
    now = _now(now)
    with transaction.atomic():
        _refuse_unless_claimed(objection, OPEN, now=now)
        objection.assigned_to = handler
        # the assigned handler holds the case (django-guardian), even when of another unit; the previous one no longer
        object_permissions.make_sole_holder(object_permissions.HANDLE_OBJECTION, objection, handler)
        _save(objection, actor, "指定承办人")
        record_event(objection, EventKind.ASSIGNED, actor=actor, at=now, note=f"承办人：{actor_label(handler)}",
                     public=False)
        notify(handler, f"objection:{objection.pk}:assigned:{handler.pk}", f"您被指定承办异议 {objection.number}",
               _due_sentence(objection), admin_link(objection))
    return objection


def request_assistance(objection: Objection, *, department, question: str, actor,
                       now: datetime | None = None) -> AssistanceRequest:
    """Ask another unit (usually the providing department) to verify.

    Its answer is due within the profile's assistance period (Heilongjiang art. 53) — stored on the request;
    the objection's decision period becomes the assisted one where the profile has it (Heilongjiang art. 53,
    Qufu art. 59); Karamay has no assisted period, so the decision date stays (use the extension).
    """
    now = _now(now)
    question = (question or "").strip()
    if not question:
        raise DomainError("question_required", "请写明需要协助核查的事项。", field="question")
    if department is None:
        raise DomainError("department_required", "请选择协助核查单位。", field="department")
    if department.pk == objection.handling_department_id:
        raise DomainError("assist_self", "协助单位不能是办理单位本身。", field="department")
    policy = objection.policy
    with transaction.atomic():
        _refuse_unless_claimed(objection, OPEN, now=now)
        if objection.status == Status.RECEIVED:
            _mark(objection, actor, now=now, automatic=False)
        due = clock.assistance_due(now, policy)
        request = AssistanceRequest(
            objection=objection, department=department, question=question, requested_at=now,
            requested_by=actor_user(actor), due=due.date if due else None, provisional=bool(due and due.provisional),
        )
        request._history_user = actor_user(actor)
        request.save()
        before = objection.decision_due
        objection.assisted = True
        _apply_schedule(objection, _schedule(objection))
        _save(objection, actor, "请求协助核查")
        moved = f"；答复期限由 {_fmt(before)} 调整为 {_fmt(objection.decision_due)}（{policy.objection_decision_days_assisted.article}）" if before != objection.decision_due else ""
        due_text = f"反馈期限 {_fmt(request.due)}（{policy.objection_assist_reply_days.article}）" if request.due else f"协助单位反馈期限：{policy.objection_assist_reply_days.article}，及时反馈"
        record_event(objection, EventKind.ASSISTANCE_REQUESTED, actor=actor, at=now,
                     note=f"请 {department.name} 协助核查：{question}；{due_text}{moved}。",
                     data={"assistance_id": request.pk, "due": _fmt(request.due), "decision_due": _fmt(objection.decision_due)})
        for officer in officers_of(department):
            notify(officer, f"objection:{objection.pk}:assist:{request.pk}", f"协助核查请求：异议 {objection.number}",
                   f"{question}\n{due_text}。", admin_link(objection))
        if before != objection.decision_due:
            _notify_applicant(objection, f"assisted:{request.pk}", f"您的异议需其他单位协助核查（{objection.number}）",
                              _due_sentence(objection))
    return request


def answer_assistance(request: AssistanceRequest, *, answer: str, actor, now: datetime | None = None) -> AssistanceRequest:
    """The assisting unit's answer (a department officer in the admin, or its system through the API)."""
    now = _now(now)
    answer = (answer or "").strip()
    if not answer:
        raise DomainError("answer_required", "请填写核查结果。", field="answer")
    with transaction.atomic():
        if AssistanceRequest.objects.filter(pk=request.pk, answered_at__isnull=True).update(answered_at=now) != 1:
            raise DomainError("already_answered", "该协助核查请求已反馈。")
        request.refresh_from_db()
        request.answer = answer
        request.answered_by_label = actor_label(actor)
        request._change_reason = "协助单位反馈"
        request._history_user = actor_user(actor)
        request.save()
        late = request.due is not None and local_date(now) > request.due
        record_event(request.objection, EventKind.ASSISTANCE_ANSWERED, actor=actor, at=now,
                     note=f"{request.department.name} 反馈核查结果" + ("（逾期）" if late else ""),
                     data={"assistance_id": request.pk, "late": late})
        _notify_handlers(request.objection, f"assist-answered:{request.pk}",
                         f"协助核查已反馈：异议 {request.objection.number}", answer[:500])
    return request


def pause(objection: Objection, *, activity: str, reason: str, actor, now: datetime | None = None) -> ObjectionPause:
    """Stop the decision clock for inspection, testing, quarantine, appraisal or expert review (Heilongjiang art. 53)."""
    now = _now(now)
    policy = objection.policy
    refusal = clock.pause_allowed(policy, activity)
    if refusal:
        raise DomainError("pause_not_allowed", refusal, field="activity")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "请写明暂停计时的原因。", field="reason")
    with transaction.atomic():
        _refuse_unless_claimed(objection, OPEN, extra=Q(paused_since__isnull=True), now=now)
        item = ObjectionPause(objection=objection, activity=activity, reason=reason, started_at=now,
                              started_by=actor_user(actor))
        item._history_user = actor_user(actor)
        item.save()
        objection.paused_since = now
        _save(objection, actor, "暂停计时")
        record_event(objection, EventKind.PAUSED, actor=actor, at=now,
                     note=f"{_activity_label(activity)}：{reason}（{policy.objection_pause_not_counted.article}，所需时间不计入处理期限）",
                     data={"pause_id": item.pk, "activity": activity})
        _notify_applicant(objection, f"paused:{item.pk}", f"您的异议进入{_activity_label(activity)}，期间不计入处理期限",
                          reason)
    return item


def resume(objection: Objection, *, actor, note: str = "", now: datetime | None = None) -> ObjectionPause:
    """Restart the clock; the decision date (and any cap) move by the paused working days."""
    now = _now(now)
    with transaction.atomic():
        _refuse_unless_claimed(objection, OPEN, extra=Q(paused_since__isnull=False), now=now)
        item = objection.pauses.get(ended_at__isnull=True)
        item.ended_at = now
        item.ended_by = actor_user(actor)
        item.working_days = max(0, working_days_between(item.started_at, now))
        item._change_reason = "恢复计时"
        item._history_user = actor_user(actor)
        item.save()
        before = objection.decision_due
        objection.paused_since = None
        objection.paused_days = clock.paused_working_days(objection.pauses.values_list("started_at", "ended_at"))
        _apply_schedule(objection, _schedule(objection))
        _save(objection, actor, "恢复计时")
        record_event(objection, EventKind.RESUMED, actor=actor, at=now,
                     note=(note + "；" if note else "") + f"不计时 {item.working_days} 个工作日，答复期限由 {_fmt(before)} 顺延至 {_fmt(objection.decision_due)}。",
                     data={"pause_id": item.pk, "working_days": item.working_days, "decision_due": _fmt(objection.decision_due)})
        _notify_applicant(objection, f"resumed:{item.pk}", f"您的异议恢复计时（{objection.number}）", _due_sentence(objection))
    return item


def extend(objection: Objection, *, approved_by: str, reason: str, actor, total_days: int | None = None,
           now: datetime | None = None) -> Objection:
    """Extend a complex case with the head's approval, never beyond the cumulative cap (Karamay art. 34).

    ``total_days`` is the new cumulative period in working days from receipt (default: the cap). Refused
    where the profile has no extension, after the decision date has passed, or beyond the cap.
    """
    now = _now(now)
    policy = objection.policy
    refusal = clock.extension_allowed(policy)
    if refusal:
        raise DomainError("extension_not_allowed", refusal)
    approved_by, reason = (approved_by or "").strip(), (reason or "").strip()
    if not approved_by:
        raise DomainError("approval_required", "延长期限须经负责人批准，请填写批准人。", field="approved_by")
    if not reason:
        raise DomainError("reason_required", "请写明情况复杂需要延长的理由。", field="reason")
    cap_days = policy.objection_extension_total_days.value
    total_days = cap_days if total_days is None else int(total_days)
    with transaction.atomic():
        _refuse_unless_claimed(objection, OPEN, now=now)
        current = max(filter(None, [objection.extended_total_days, policy.objection_decision_days.value,
                                    policy.objection_decision_days_assisted.value if objection.assisted else None]),
                      default=0)
        if total_days > cap_days:
            raise DomainError("extension_over_cap", f"异议处理期限累计不得超过 {cap_days} 个工作日（{policy.objection_extension_total_days.article}）。", field="total_days")
        if total_days <= current:
            raise DomainError("extension_not_longer", f"延长后的累计期限须长于现有的 {current} 个工作日。", field="total_days")
        if objection.decision_due and local_date(now) > objection.decision_due:
            raise DomainError("extension_too_late", f"答复期限 {objection.decision_due:%Y-%m-%d} 已过，不能再延长；请尽快作出决定。")
        before = objection.decision_due
        objection.extended_total_days = total_days
        _apply_schedule(objection, _schedule(objection))
        _save(objection, actor, "延长期限")
        record_event(objection, EventKind.EXTENDED, actor=actor, at=now,
                     note=f"情况复杂，经 {approved_by} 批准延长核查期限：{reason}；答复期限由 {_fmt(before)} 延长至 {_fmt(objection.decision_due)}（累计 {total_days} 个工作日，{policy.objection_extension_total_days.article}）。",
                     data={"approved_by": approved_by, "total_days": total_days, "decision_due": _fmt(objection.decision_due)})
        _notify_applicant(objection, f"extended:{total_days}", f"您的异议处理期限已延长（{objection.number}）",
                          f"理由：{reason}。" + _due_sentence(objection), sms=True)
    return objection


# --- decision ---------------------------------------------------------------------------------------------------


def decide(objection: Objection, *, outcome: str, reasons: str, actor, corrections: dict | None = None,
           item_outcomes: dict | None = None, now: datetime | None = None) -> Objection:
    """Decide: correct, delete, or leave unchanged with written reasons; apply it to the records; lift the mark.

    ``corrections`` maps record id → {field: new value} for corrected records; ``item_outcomes`` may give a
    different outcome per record (default: ``outcome`` for all). The mark is removed from every record once
    decided (corrected or deleted records no longer carry the disputed information; unchanged ones carry
    no error — Heilongjiang art. 53: 不存在错误、遗漏的，应当取消异议标注), unless another open objection holds it.
    Every subscriber holding a record hears the decision (``records.outbox.publish_change(record,
    "objection_decided", …)`` in the same transaction).
    """
    now = _now(now)
    if outcome not in Outcome.values:
        raise DomainError("invalid_outcome", "处理结果无效。", field="outcome")
    reasons = (reasons or "").strip()
    policy = objection.policy
    corrections = {int(k): v for k, v in (corrections or {}).items()}
    item_outcomes = {int(k): v for k, v in (item_outcomes or {}).items()}
    record_ids = set(objection.items.values_list("record_id", flat=True))
    if set(corrections) - record_ids or set(item_outcomes) - record_ids:
        raise DomainError("unknown_records", "更正内容中含有不属于本异议的记录。", field="corrections")
    outcomes = {rid: item_outcomes.get(rid, outcome) for rid in record_ids}
    if any(o not in Outcome.values for o in outcomes.values()):
        raise DomainError("invalid_outcome", "处理结果无效。", field="item_outcomes")
    if Outcome.UNCHANGED in outcomes.values() and not reasons:
        article = policy.objection_refusal_reason_required.article if policy.objection_refusal_reason_required.value else ""
        raise DomainError("reasons_required", "作出不予变更决定的，应当书面说明理由" + (f"（{article}）" if article else "") + "。", field="reasons")
    if not reasons:
        raise DomainError("reasons_required", "请填写处理意见。", field="reasons")
    for rid, o in outcomes.items():
        if o == Outcome.CORRECTED and not corrections.get(rid):
            raise DomainError("correction_required", "予以更正的记录须写明更正内容。", field="corrections")
        if o != Outcome.CORRECTED and corrections.get(rid):
            raise DomainError("correction_unexpected", "只有予以更正的记录才能填写更正内容。", field="corrections")

    with transaction.atomic():
        _refuse_unless_claimed(objection, OPEN, now=now)
        if objection.status == Status.RECEIVED:
            _mark(objection, actor, now=now, automatic=False)
        if objection.paused_since is not None:  # deciding ends any running pause
            _close_open_pause(objection, actor, now)
        objection.status = Status.DECIDED
        objection.decided_at = now
        objection.outcome = outcome
        objection.decision_reasons = reasons
        objection.decided_on_time = None if objection.decision_due is None else local_date(now) <= objection.decision_due
        _save(objection, actor, "作出异议处理决定")
        record_event(objection, EventKind.DECIDED, actor=actor, at=now,
                     note=f"{Outcome(outcome).label}：{reasons}",
                     data={"outcome": outcome, "on_time": objection.decided_on_time, "items": outcomes})
        changes: dict[int, int] = {}
        decided_items = []
        for item in objection.items.select_related("record", "record__source_department"):
            o = outcomes[item.record_id]
            item.outcome = o
            reason = f"异议 {objection.number} {Outcome(o).label}"
            decided_items.append(item)
            try:
                if o == Outcome.CORRECTED:
                    item.correction = corrections[item.record_id]
                    change = record_ops.apply_correction(item.record, item.correction, actor=actor, reason=reason,
                                                         confirmed_at=now)
                    changes[item.record_id] = change.pk
                    record_event(objection, EventKind.CORRECTION_APPLIED, actor=actor, at=now,
                                 note=f"记录 {item.record.source_ref} 已更正（{'、'.join(change.changed_fields) or '内容'}）"
                                 + _correction_clock_note(policy, now) + "。",
                                 data={"record": item.record_id, "record_change": change.pk})
                elif o == Outcome.DELETED:
                    change = record_ops.delete_record(item.record, actor=actor, reason=reason,
                                                      decision_number=objection.number,
                                                      decided_by=objection.handling_department, decided_at=now)
                    changes[item.record_id] = change.pk
                    record_event(objection, EventKind.CORRECTION_APPLIED, actor=actor, at=now,
                                 note=f"记录 {item.record.source_ref} 已删除（停止公示和使用）。",
                                 data={"record": item.record_id, "record_change": change.pk})
            except DomainError as exc:  # the records app refused the change
                # The whole decision rolls back: a decision that cannot be carried out is not made.
                raise DomainError(
                    f"correction_{exc.code}", f"记录 {item.record.source_ref} 的更正未通过校验：{exc.message}", field="corrections"
                ) from exc
            item.save()
        if _set_marks(objection, False, actor, f"异议 {objection.number} 办结，取消异议标注"):
            record_event(objection, EventKind.MARK_REMOVED, actor=actor, at=now, note="异议办结，取消异议标注。")
        _publish_decision(objection, decided_items, changes, now)
        _notify_applicant(objection, "decided", f"您的异议已办结：{Outcome(outcome).label}（{objection.number}）",
                          reasons, sms=True)
    return objection


def _publish_decision(objection: Objection, items, changes: dict[int, int], now: datetime) -> int:
    """一处修复、处处认可: every subscriber holding a record hears the decision — through the records outbox,
    inside the decision's transaction (if the decision rolls back, so do the events). Returns the events written."""
    # the records as the decision left them (status, disputed mark)
    fresh = {r.pk: r for r in Record.objects.filter(pk__in=[i.record_id for i in items])}
    for item in items:
        record = fresh[item.record_id]
        publish_change(record, "objection_decided", {
            "objection_id": objection.pk,
            "objection_number": objection.number,
            "outcome": item.outcome,
            "outcome_label": Outcome(item.outcome).label,
            "objection_outcome": objection.outcome,
            "reasons": objection.decision_reasons,
            "decided_at": now,
            "correction": item.correction or None,
            "record_change_id": changes.get(item.record_id),
            "status": record.status,
            "disputed": record.disputed,
        })
    return len(items)


def _correction_clock_note(policy, now: datetime) -> str:
    """The correction is carried out with the decision, so it is always inside the period (Qufu art. 59)."""
    due = clock.due_after(now, policy.objection_correction_days)
    return f"，当日执行（更正期限 {due.date:%Y-%m-%d}，{policy.objection_correction_days.article}）" if due else ""


def _close_open_pause(objection: Objection, actor, now: datetime) -> None:
    item = objection.pauses.filter(ended_at__isnull=True).first()
    if item is None:
        objection.paused_since = None
        return
    item.ended_at = now
    item.ended_by = actor_user(actor)
    item.working_days = max(0, working_days_between(item.started_at, now))
    item._history_user = actor_user(actor)
    item.save()
    objection.paused_since = None
    objection.paused_days = clock.paused_working_days(objection.pauses.values_list("started_at", "ended_at"))
    record_event(objection, EventKind.RESUMED, actor=actor, at=now,
                 note=f"作出决定，结束暂停（不计时 {item.working_days} 个工作日）。")


def withdraw(objection: Objection, *, actor, reason: str = "", now: datetime | None = None) -> Objection:
    """The applicant withdraws; the mark is lifted."""
    now = _now(now)
    with transaction.atomic():
        _refuse_unless_claimed(objection, OPEN, now=now)
        was_marked = objection.status in MARKED_STATES
        objection.status = Status.WITHDRAWN
        objection.withdrawn_at = now
        if objection.paused_since is not None:
            _close_open_pause(objection, actor, now)
        _save(objection, actor, "申请人撤回")
        record_event(objection, EventKind.WITHDRAWN, actor=actor, at=now, note=reason)
        if was_marked and _set_marks(objection, False, actor, f"异议 {objection.number} 撤回，取消异议标注"):
            record_event(objection, EventKind.MARK_REMOVED, actor=actor, at=now, note="异议撤回，取消异议标注。")
        _notify_handlers(objection, "withdrawn", f"异议已撤回：{objection.number}", reason)
    return objection


# --- recomputation when a year's calendar is entered -------------------------------------------------------------


def recompute_due_dates(objection: Objection, *, now: datetime | None = None, reason: str = "") -> bool:
    """Recompute a still-open objection's due dates from the calendar as it stands; True if any changed."""
    now = _now(now)
    with transaction.atomic():
        if not _claim(objection, OPEN, now=now):
            return False
        before = (objection.mark_due, objection.decision_due, objection.decision_cap)
        changed = _apply_schedule(objection, _schedule(objection))
        if not changed:
            return False
        _save(objection, None, "期限重算")
        dates = [f for f in changed if f != "provisional"]
        record_event(objection, EventKind.RECOMPUTED, actor=None, at=now,
                     note=(reason or "工作日历更新，期限重算") + "："
                     + "；".join(f"{Objection._meta.get_field(f).verbose_name} {_fmt(b)} → {_fmt(getattr(objection, f))}"
                                for f, b in zip(("mark_due", "decision_due", "decision_cap"), before, strict=True) if f in dates)
                     + ("" if dates else "期限未变") + ("；仍为临时推算" if objection.provisional else "；已按正式日历确定") + "。",
                     data={"changed": changed})
        if "decision_due" in changed or "mark_due" in changed:
            _notify_applicant(objection, f"recomputed:{_fmt(objection.decision_due)}",
                              f"您的异议期限已按正式工作日历确定（{objection.number}）", _due_sentence(objection))
    return True


def recompute_assistance(request: AssistanceRequest) -> bool:
    if request.answered_at is not None:
        return False
    due = clock.assistance_due(request.requested_at, request.objection.policy)
    new = (due.date if due else None, bool(due and due.provisional))
    if (request.due, request.provisional) == new:
        return False
    AssistanceRequest.objects.filter(pk=request.pk, answered_at__isnull=True).update(due=new[0], provisional=new[1])
    return True
