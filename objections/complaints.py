"""Complaints about market (non-public) credit collectors (Heilongjiang art. 57): a written answer on the
statutory clock. Same clock functions, same sweeps as objections.

Where the active profile has no complaint period (Karamay, Qufu …) the complaint is still received and
tracked, with no statutory answer date ("及时处理"); nothing is escalated for want of a date.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from credit_platform import roles
from credit_platform.actors import actor_label, actor_user
from credit_platform.exceptions import DomainError
from credit_platform.models import User
from credit_platform.notifications import notify
from credit_platform.policies import active_policy
from credit_platform.workdays import local_date
from objections import clock
from objections.models import Channel, Complaint, ComplaintEvent, ComplaintStatus
from objections.services import _normalise_received_at


def admin_link(complaint: Complaint) -> str:
    try:
        return reverse("admin:objections_complaint_change", args=[complaint.pk])
    except NoReverseMatch:
        return ""


def handlers_for(complaint: Complaint) -> list:
    users = User.objects.filter(is_active=True, groups__name=roles.OBJECTION_HANDLER)
    own = list(users.filter(department=complaint.handling_department_id))
    return own or list(users.filter(department__is_credit_centre=True))


def record(complaint: Complaint, kind: str, actor, *, note: str = "", at: datetime | None = None) -> ComplaintEvent:
    return ComplaintEvent.objects.create(complaint=complaint, kind=kind, at=at or timezone.now(),
                                         actor=actor_user(actor), actor_label=actor_label(actor), note=note)


def file_complaint(*, collector_name: str, statement: str, actor, handling_department, channel: str = Channel.COUNTER,
                   collector_uscc: str = "", complainant=None, complainant_name: str = "", complainant_phone: str = "",
                   received_at: datetime | None = None, now: datetime | None = None) -> Complaint:
    now = now or timezone.now()
    received_at = _normalise_received_at(received_at, now)
    if not (collector_name or "").strip():
        raise DomainError("collector_required", "请填写被投诉的信用信息采集单位。", field="collector_name")
    if not (statement or "").strip():
        raise DomainError("statement_required", "请填写投诉事项。", field="statement")
    policy = active_policy()
    due = clock.complaint_reply_due(received_at, policy)
    if complainant is not None and not complainant_name:
        complainant_name = complainant.get_full_name() or complainant.username
    if not complainant_name:
        raise DomainError("complainant_required", "请填写投诉人。", field="complainant_name")
    with transaction.atomic():
        complaint = Complaint(
            number=f"tmp-{uuid.uuid4().hex[:24]}", policy_code=policy.code, channel=channel,
            complainant=actor_user(complainant), complainant_name=complainant_name[:200],
            complainant_phone=complainant_phone[:32], collector_name=collector_name.strip()[:200],
            collector_uscc=collector_uscc[:18], statement=statement.strip(), handling_department=handling_department,
            registered_by=actor_user(actor), received_at=received_at, received_on=local_date(received_at),
            reply_due=due.date if due else None, provisional=bool(due and due.provisional),
        )
        complaint._history_user = actor_user(actor)
        complaint.save()
        complaint.number = f"TS{complaint.received_on:%Y%m%d}{complaint.pk:06d}"
        Complaint.objects.filter(pk=complaint.pk).update(number=complaint.number)
        record(complaint, "received", actor, at=now, note=(
            f"答复期限 {complaint.reply_due:%Y-%m-%d}（{policy.complaint_reply_days.article}）" if complaint.reply_due
            else f"{policy.complaint_reply_days.article}：未规定答复期限，及时处理"
        ) + ("，临时推算" if complaint.provisional else "") + "。")
        if complaint.complainant_id:
            notify(complaint.complainant, f"complaint:{complaint.pk}:received", f"您的投诉已受理（{complaint.number}）",
                   f"答复期限 {complaint.reply_due:%Y-%m-%d}。" if complaint.reply_due else "")
    return complaint


def answer(complaint: Complaint, *, text: str, actor, now: datetime | None = None) -> Complaint:
    """The written answer (书面答复); closes the complaint."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise DomainError("answer_required", "请填写书面答复内容。", field="answer")
    with transaction.atomic():
        if Complaint.objects.filter(pk=complaint.pk).exclude(status=ComplaintStatus.ANSWERED).update(
            status=ComplaintStatus.ANSWERED, answered_at=now
        ) != 1:
            raise DomainError("invalid_state", "该投诉已答复。")
        complaint.refresh_from_db()
        complaint.answer = text
        complaint.answered_by = actor_user(actor)
        complaint.answered_on_time = None if complaint.reply_due is None else local_date(now) <= complaint.reply_due
        complaint._change_reason = "书面答复"
        complaint._history_user = actor_user(actor)
        complaint.save()
        record(complaint, "answered", actor, note=text, at=now)
        if complaint.complainant_id:
            notify(complaint.complainant, f"complaint:{complaint.pk}:answered", f"您的投诉已答复（{complaint.number}）",
                   text, sms=True)
    return complaint


def recompute(complaint: Complaint, *, now: datetime | None = None) -> bool:
    due = clock.complaint_reply_due(complaint.received_at, complaint.policy)
    new_due, new_prov = (due.date if due else None), bool(due and due.provisional)
    if (complaint.reply_due, complaint.provisional) == (new_due, new_prov):
        return False
    before = complaint.reply_due
    with transaction.atomic():
        if Complaint.objects.filter(pk=complaint.pk).exclude(status=ComplaintStatus.ANSWERED).update(
            reply_due=new_due, provisional=new_prov
        ) != 1:
            return False
        record(complaint, "recomputed", None, at=now, note=f"工作日历更新，答复期限 {before} → {new_due}。")
    return True
