"""The repair workflow: apply, accept / refuse, extend, decide, terminate, revoke, withdraw.

Each step is one transaction, writes one timeline event (who, when, why) and stores every due date it
creates (DESIGN.md principle 2). The rules live in ``repair.eligibility`` (pure) and the profile; the
effects of a decision in ``repair.effects``.

Clock (``policy.repair_accept_days`` / ``repair_decision_days``, Order 36 by default):

* ``accept_due`` — the deciding department accepts or refuses within N working days of receipt (the day of
  receipt not counted, Asia/Shanghai dates).
* ``decision_due`` — the result within M working days *of acceptance* (受理之日起); an acceptance made late
  counts from ``accept_due``, so a late acceptance never moves the result date.
* an extension for a complex case sets ``extended_due`` with its reasons (Order 36 sets no length; the
  reviewer states the date and why).

An application whose record is not eligible is refused at once (``status = refused``) with the reasons and
the earliest date it could succeed: no clock starts and nobody has to look at it.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from credit_platform import object_permissions, roles
from credit_platform.actors import actor_label, actor_user
from credit_platform.evidence import CheckedFile, check_count, check_upload
from credit_platform.exceptions import DomainError
from credit_platform.models import User
from credit_platform.notifications import notify
from credit_platform.policies import PolicyProfile, active_policy, get_policy, national
from credit_platform.policies.labels import code_label
from credit_platform.workdays import add_working_days, local_date
from repair import access, effects
from repair.conf import EVIDENCE_RULES
from repair.eligibility import OTHER_LAW, Eligibility, evaluate, facts_from_record
from repair.models import (
    Channel,
    EventKind,
    EvidenceKind,
    NonRepairableMarking,
    RepairApplication,
    RepairEvent,
    RepairEvidence,
    RevocationGround,
    Status,
)

logger = logging.getLogger(__name__)

__all__ = [
    "accept",
    "add_evidence",
    "apply",
    "check_eligibility",
    "commitment_text",
    "decide",
    "assign",
    "extend",
    "find_by_progress_code",
    "mark_non_repairable",
    "open_application_for",
    "progress_code",
    "recompute_provisional",
    "refuse",
    "revoke",
    "terminate",
    "withdraw",
]


def policy_for(application: RepairApplication | None = None) -> PolicyProfile:
    if application is not None and application.policy_code:
        return get_policy(application.policy_code)
    return active_policy()


def _event(application, kind, actor, reason: str = "", *, public: bool = True, **data) -> RepairEvent:
    return RepairEvent.objects.create(
        application=application, kind=kind, **RepairEvent.attributed(actor), reason=reason or "", public=public, data=data,
    )


def _need_reason(reason: str, what: str = "理由") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", f"请填写{what}。", field="reason")
    return reason


def _lock(application, actor=None) -> RepairApplication:
    app = RepairApplication.objects.select_for_update().get(pk=application.pk)
    app._history_user = actor_user(actor)  # a department system is no User: never let the request's user be guessed
    return app


def _require(application, *statuses, action: str) -> None:
    if application.status not in statuses:
        raise DomainError(
            "invalid_state", f"申请当前状态为“{application.get_status_display()}”，不能{action}。", status=409
        )


# --- eligibility ------------------------------------------------------------------------------------------------


def check_eligibility(record, *, today: date | None = None, policy: PolicyProfile | None = None) -> Eligibility:
    return evaluate(facts_from_record(record), policy or active_policy(), today or local_date(timezone.now()))


def commitment_text(record, applicant_name: str, policy: PolicyProfile | None = None) -> str:
    """The credit commitment the applicant signs (stored verbatim with the time and the account)."""
    policy = policy or active_policy()
    subject = record.subject
    return (
        f"本人/本单位（{subject.name}，{subject.masked_code}）就失信信息（{record.source_ref}"
        f"{'，' + record.basis_number if record.basis_number else ''}）申请信用修复，郑重承诺：\n"
        "一、已主动纠正失信行为、履行相关法定义务和行政处罚决定，不良影响已基本消除；\n"
        "二、所提交的材料真实、准确、完整，无弄虚作假、隐瞒事实；\n"
        "三、今后不再发生类似失信行为，自觉接受监督检查及诚信约谈；\n"
        "四、如违反承诺，愿意承担撤销信用修复结果、恢复公示和惩戒措施等法律责任，并将违背承诺的情况记入信用记录。\n"
        f"依据：{policy.repair_conditions.article}。\n"
        f"承诺人：{applicant_name}"
    )


# --- apply ---------------------------------------------------------------------------------------------------------


@dataclass
class EvidenceUpload:
    kind: str
    file: object  # an UploadedFile


def _checked_evidence(uploads) -> list[tuple[EvidenceUpload, CheckedFile]]:
    """Each file checked by content, name and size (``credit_platform.evidence`` with this app's rules)."""
    checked = []
    for item in uploads:
        if item.kind not in EvidenceKind.values:
            raise DomainError("evidence_kind", "证明材料类型无效。", field="evidence")
        checked.append((item, check_upload(item.file, EVIDENCE_RULES)))
    return checked


def apply(
    record,
    *,
    applicant=None,
    applicant_name: str,
    applicant_phone: str = "",
    correction_statement: str,
    commitment: str,
    evidence: list[EvidenceUpload] | tuple = (),
    channel: str = Channel.PORTAL,
    registered_by=None,
    now: datetime | None = None,
) -> RepairApplication:
    """File an application. Refused at once (and saved as refused, with reasons and the earliest date) when
    the record is not eligible; otherwise the acceptance clock starts.

    ``commitment`` must be the text of :func:`commitment_text` the applicant saw and signed.
    """
    now = now or timezone.now()
    policy = active_policy()
    applicant_name = (applicant_name or "").strip()
    if not applicant_name:
        raise DomainError("applicant_required", "请填写申请人。", field="applicant_name")
    statement = (correction_statement or "").strip()
    if not statement:
        raise DomainError("statement_required", "请说明纠正失信行为、履行义务（处罚）的情况。", field="correction_statement")
    expected = commitment_text(record, applicant_name, policy)
    if (commitment or "").strip() != expected.strip():
        raise DomainError("commitment_mismatch", "信用承诺书须按平台生成的文本签署。", field="commitment")
    if channel not in Channel.values:
        raise DomainError("invalid_channel", "申请渠道无效。", field="channel")
    if channel == Channel.PAPER and registered_by is None:
        raise DomainError("registrar_required", "窗口申请须由工作人员登记。", field="channel")

    check_count(len(evidence), EVIDENCE_RULES)
    checked = _checked_evidence(evidence)
    if channel == Channel.PORTAL and not any(item.kind == EvidenceKind.CORRECTION for item, _ in checked):
        raise DomainError("evidence_required", "请上传已纠正失信行为、履行行政处罚决定的证明材料（PDF 或图片）。", field="evidence")

    eligibility = check_eligibility(record, today=local_date(now), policy=policy)
    try:
        with transaction.atomic():
            application = RepairApplication(
                policy_code=policy.code, record=record, subject_id=record.subject_id, department_id=record.source_department_id,
                channel=channel, applicant=applicant if actor_user(applicant) else None, applicant_name=applicant_name,
                applicant_phone=applicant_phone or getattr(applicant, "phone", "") or "", registered_by=actor_user(registered_by),
                correction_statement=statement, commitment_text=expected, commitment_signed_at=now,
                commitment_signed_by=actor_user(applicant), commitment_sha256=hashlib.sha256(expected.encode("utf-8")).hexdigest(),
                received_at=now, eligibility=eligibility.as_dict(), earliest_date=eligibility.earliest_date,
                status=Status.SUBMITTED if eligibility.eligible else Status.REFUSED,
            )
            application._history_user = actor_user(registered_by) or actor_user(applicant)
            application.save()
            for item, file in checked:
                row = RepairEvidence(
                    application=application, kind=item.kind, original_name=(item.file.name or "file")[:200],
                    content_type=file.content_type, size=file.size, sha256=file.sha256,
                    uploaded_by=actor_user(applicant) or actor_user(registered_by),
                )
                row.file.save(f"evidence{file.suffix}", item.file, save=False)
                row.save()
            kind = EventKind.REGISTERED if channel == Channel.PAPER else EventKind.SUBMITTED
            _event(application, kind, registered_by or applicant, "", channel=channel)
            if not eligibility.eligible:
                _refuse_now(application, eligibility)
            else:
                due = add_working_days(now, int(policy.repair_accept_days.value))
                application.accept_due, application.provisional = due.date, due.provisional
                application.save(update_fields=["accept_due", "provisional"])
    except IntegrityError:
        raise DomainError("application_open", "该失信信息已有正在办理的信用修复申请。", status=409) from None
    return application


def _refuse_now(application, eligibility: Eligibility) -> None:
    application.accepted_at = application.received_at
    application.save(update_fields=["accepted_at"])
    when = f"，可于{eligibility.earliest_date:%Y年%-m月%-d日}起重新申请" if eligibility.earliest_date else ""
    _event(application, EventKind.REFUSED, None, eligibility.summary + when, reasons=eligibility.as_dict()["reasons"],
           earliest_date=eligibility.earliest_date.isoformat() if eligibility.earliest_date else None, automatic=True)
    effects.notify_subject(application, "refused", "信用修复申请不予受理", eligibility.summary + when)


# --- review --------------------------------------------------------------------------------------------------------


@transaction.atomic
def accept(application, *, actor, note: str = "", now: datetime | None = None) -> RepairApplication:
    now = now or timezone.now()
    app = _lock(application, actor)
    _require(app, Status.SUBMITTED, action="受理")
    policy = policy_for(app)
    start = now if app.accept_due is None or local_date(now) <= app.accept_due else app.accept_due
    due = add_working_days(start, int(policy.repair_decision_days.value))
    app.status, app.accepted_at = Status.ACCEPTED, now
    app.decision_due, app.provisional = due.date, app.provisional or due.provisional
    app.save(update_fields=["status", "accepted_at", "decision_due", "provisional"])
    _event(app, EventKind.ACCEPTED, actor, note, decision_due=due.date.isoformat(), article=policy.repair_decision_days.article)
    effects.notify_subject(app, "accepted", "信用修复申请已受理", f"申请 {app.number} 已受理，将于{due.date:%Y年%-m月%-d日}前办结。")
    return app


@transaction.atomic
def refuse(application, *, actor, reason: str, now: datetime | None = None) -> RepairApplication:
    """不予受理 by the reviewer (materials missing, not the deciding department …), with reasons."""
    reason = _need_reason(reason)
    app = _lock(application, actor)
    _require(app, Status.SUBMITTED, action="作出不予受理决定")
    app.status, app.accepted_at = Status.REFUSED, now or timezone.now()
    app.decision_reason = reason
    app.save(update_fields=["status", "accepted_at", "decision_reason"])
    _event(app, EventKind.REFUSED, actor, reason)
    effects.notify_subject(app, "refused", "信用修复申请不予受理", reason)
    return app


@transaction.atomic
def extend(application, *, actor, until: date, reason: str) -> RepairApplication:
    """Extend the result date of a complex case (Order 36), once, with reasons."""
    reason = _need_reason(reason, "延长理由")
    app = _lock(application, actor)
    _require(app, Status.ACCEPTED, action="延长办理期限")
    if app.extended_due:
        raise DomainError("already_extended", "办理期限已延长过一次。", status=409)
    if app.decision_due and until <= app.decision_due:
        raise DomainError("extension_not_later", "延长后的期限须晚于原办结期限。", field="until")
    app.extended_due, app.extension_reason = until, reason
    app.decision_reminded_at = app.decision_escalated_at = None  # the new date gets its own reminder
    app.save(update_fields=["extended_due", "extension_reason", "decision_reminded_at", "decision_escalated_at"])
    _event(app, EventKind.EXTENDED, actor, reason, until=until.isoformat(), article=policy_for(app).repair_decision_days.article)
    effects.notify_subject(app, "extended", "信用修复办理期限延长", f"因{reason}，办理期限延长至{until:%Y年%-m月%-d日}。")
    return app


@transaction.atomic
def decide(application, *, actor, approve: bool, reason: str, now: datetime | None = None) -> RepairApplication:
    """准予修复 (with all effects, atomically) or 不予修复, always with reasons."""
    reason = _need_reason(reason, "决定理由")
    now = now or timezone.now()
    app = _lock(application, actor)
    _require(app, Status.ACCEPTED, action="作出决定")
    app.decided_at, app.decided_by, app.decision_reason = now, actor_user(actor), reason
    if approve:
        eligibility = check_eligibility(app.record, today=local_date(now), policy=policy_for(app))
        if not eligibility.eligible:
            raise DomainError("not_eligible", "该失信信息目前不符合修复条件：" + eligibility.summary, status=409)
        app.status = Status.APPROVED
        app.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        _event(app, EventKind.APPROVED, actor, reason)
        result = effects.apply_repair(app, actor=actor, reason=reason)
        _event(app, EventKind.EFFECTS_APPLIED, actor, "", public=True, **{k: v for k, v in result.items() if k != "records"})
    else:
        app.status = Status.REJECTED
        app.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        _event(app, EventKind.REJECTED, actor, reason)
        effects.notify_subject(app, "rejected", "信用修复申请不予修复", reason)
    return app


def _revocation_article(policy: PolicyProfile) -> str:
    rule = policy.repair_revocable_on_fraud
    if rule.value is False:
        raise DomainError("revocation_not_provided", f"{policy.title}不允许撤销信用修复结果。", status=409)
    return rule.article if rule.value else national.ORDER_36


@transaction.atomic
def terminate(application, *, actor, ground: str, reason: str, now: datetime | None = None) -> RepairApplication:
    """终止修复程序: fraud, concealment or a broken commitment found while the application is open (Fuzhou 23)."""
    reason = _need_reason(reason)
    if ground not in RevocationGround.values:
        raise DomainError("invalid_ground", "撤销/终止事由无效。", field="ground")
    app = _lock(application, actor)
    _require(app, Status.SUBMITTED, Status.ACCEPTED, action="终止修复程序")
    article = _revocation_article(policy_for(app))
    app.status, app.decided_at, app.decided_by = Status.TERMINATED, now or timezone.now(), actor_user(actor)
    app.revocation_ground, app.decision_reason = ground, reason
    app.save(update_fields=["status", "decided_at", "decided_by", "revocation_ground", "decision_reason"])
    _event(app, EventKind.TERMINATED, actor, reason, ground=ground, article=article)
    effects.notify_subject(app, "terminated", "信用修复程序已终止", reason)
    return app


@transaction.atomic
def revoke(application, *, actor, ground: str, reason: str, now: datetime | None = None) -> RepairApplication:
    """撤销修复结果 (Fuzhou art. 23): publicity and measures return, the subject is told."""
    reason = _need_reason(reason, "撤销理由")
    if ground not in RevocationGround.values:
        raise DomainError("invalid_ground", "撤销事由无效。", field="ground")
    app = _lock(application, actor)
    _require(app, Status.APPROVED, action="撤销修复结果")
    article = _revocation_article(policy_for(app))
    app.status, app.revoked_at, app.revoked_by = Status.REVOKED, now or timezone.now(), actor_user(actor)
    app.revocation_ground, app.revocation_reason = ground, reason
    app.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_ground", "revocation_reason"])
    result = effects.revoke_repair(app, actor=actor, reason=f"{RevocationGround(ground).label}：{reason}", article=article)
    _event(app, EventKind.REVOKED, actor, reason, ground=ground, article=article, **result)
    return app


@transaction.atomic
def assign(application, handler, *, actor) -> RepairApplication:
    """Name the application's handler (承办人), or change them, while it is open.

    Who may assign: ``repair.access.may_assign`` (platform admins, the deciding department's and the credit
    centre's repair reviewers). The handler — an active repair reviewer — becomes the sole holder of the
    django-guardian object permission ``repair.change_repairapplication`` on this application (the previous
    handler loses it), so a reviewer of another unit may handle this case and no other of that department's.
    Order 36 (认定单位 decides) is unaffected: the handler acts for the deciding department.
    """
    if not access.may_assign(actor, application):
        raise DomainError("forbidden", "您无权为该申请指定承办人。", status=403)
    if handler is None or not access.assignable_handlers(application).filter(pk=handler.pk).exists():
        raise DomainError("invalid_handler", "承办人须为在岗的信用修复审核员。", field="handler")
    with transaction.atomic():
        app = _lock(application, actor)
        _require(app, Status.SUBMITTED, Status.ACCEPTED, action="指定承办人")
        if app.handler_id == handler.pk:
            raise DomainError("already_assigned", f"{actor_label(handler)} 已是本案承办人。", field="handler", status=409)
        previous = app.handler
        app.handler = handler
        app.save(update_fields=["handler"])
        object_permissions.make_sole_holder(object_permissions.HANDLE_REPAIR, app, handler)
        note = f"承办人：{actor_label(handler)}" + (f"（原承办人：{actor_label(previous)}）" if previous else "")
        _event(app, EventKind.ASSIGNED, actor, note, public=False, handler=handler.pk,
               previous=previous.pk if previous else None)
        notify(handler, f"repair:{app.number}:assigned:{handler.pk}", f"您被指定承办信用修复申请 {app.number}",
               f"请在期限内办理（受理期限 {app.accept_due or '—'}，办结期限 {app.extended_due or app.decision_due or '—'}）。",
               f"/admin/repair/repairapplication/{app.pk}/change/")
    application.handler = handler
    return app


@transaction.atomic
def withdraw(application, *, actor) -> RepairApplication:
    app = _lock(application, actor)
    _require(app, Status.SUBMITTED, Status.ACCEPTED, action="撤回")
    app.status = Status.WITHDRAWN
    app.save(update_fields=["status"])
    _event(app, EventKind.WITHDRAWN, actor, "")
    return app


# --- after filing: one open application, more evidence, progress without an account ---------------------------------


def open_application_for(record) -> RepairApplication | None:
    """The application still being handled for ``record`` (at most one: the ``repair_one_open_per_record``
    constraint), so the portal says so before a second form is filled in."""
    return RepairApplication.objects.open().filter(record=record).first()


def open_applications_by_record(records) -> dict[int, RepairApplication]:
    ids = [r.pk for r in records]
    return {a.record_id: a for a in RepairApplication.objects.open().filter(record_id__in=ids)}


def add_evidence(application, uploads: list[EvidenceUpload] | tuple, *, actor, now: datetime | None = None) -> list[RepairEvidence]:
    """补充材料: the applicant adds proof while the application is being handled (submitted or accepted).

    The same checks as at filing (type by content, size, the per-application file limit) apply; a refused file
    stores nothing. The timeline shows the addition to the reviewer and the applicant."""
    now = now or timezone.now()
    if not uploads:
        raise DomainError("evidence_required", "请选择要补充的证明材料（PDF 或图片）。", field="evidence")
    checked = _checked_evidence(uploads)
    with transaction.atomic():
        app = _lock(application, actor)
        _require(app, Status.SUBMITTED, Status.ACCEPTED, action="补充材料")
        check_count(app.evidence.count() + len(checked), EVIDENCE_RULES)
        rows = []
        for item, file in checked:
            row = RepairEvidence(
                application=app, kind=item.kind, original_name=(item.file.name or "file")[:200],
                content_type=file.content_type, size=file.size, sha256=file.sha256, uploaded_by=actor_user(actor),
                uploaded_at=now,
            )
            row.file.save(f"evidence{file.suffix}", item.file, save=False)
            row.save()
            rows.append(row)
        _event(app, EventKind.EVIDENCE_ADDED, actor, "、".join(r.original_name for r in rows), files=len(rows))
    return rows


PROGRESS_CODE_SALT = "repair.progress-code"
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud at a service window, typed from paper


def progress_code(application) -> str:
    """The 查询码 printed with the application number (on the window receipt and the applicant's page).

    Derived from the number with a keyed HMAC (the site's SECRET_KEY), so nothing is stored and it cannot be
    guessed from the number; rotating the key changes every code."""
    return _code_for_number(application.number)


def _code_for_number(number: str) -> str:
    digest = salted_hmac(PROGRESS_CODE_SALT, number, algorithm="sha256").digest()
    chars = [_CODE_ALPHABET[b % len(_CODE_ALPHABET)] for b in digest[:8]]
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


def normalise_progress_code(code: str) -> str:
    """Accept the code as people type it: any case, with or without the dash or spaces."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


def find_by_progress_code(number: str, code: str) -> RepairApplication | None:
    """The application with this number if the code matches; None for an unknown number or a wrong code alike
    (the answer never tells which)."""
    number = (number or "").strip().upper()[:32]
    # a number holds no NUL (PostgreSQL text cannot): such a "number" is unknown, never a database error
    lookup = number if number and "\x00" not in number else ""
    app = RepairApplication.objects.select_related("record", "department").filter(number=lookup).first() if lookup else None
    # The same work whether or not the number exists, so timing does not tell either.
    matches = constant_time_compare(_code_for_number(number), normalise_progress_code(code))
    return app if app is not None and matches else None


# --- markings -----------------------------------------------------------------------------------------------------


def marking_choices(policy: PolicyProfile | None = None) -> list[tuple[str, str]]:
    policy = policy or active_policy()
    return [(c, code_label(c)) for c in policy.non_repairable_cases.value] + [(OTHER_LAW, "法律、法规或政策文件规定的其他不可修复情形")]


@transaction.atomic
def mark_non_repairable(record, *, case: str, actor, legal_basis: str = "", note: str = "") -> NonRepairableMarking:
    """The deciding department determines that a record falls under a non-repairable case."""
    allowed = dict(marking_choices())
    if case not in allowed:
        raise DomainError("invalid_case", "该情形不属于适用规则规定的不予修复情形。", field="case")
    if case == OTHER_LAW and not (legal_basis or "").strip():
        raise DomainError("basis_required", "请写明规定不可修复的法律、法规或政策文件及条款。", field="legal_basis")
    marking, _ = NonRepairableMarking.objects.get_or_create(
        record=record, case=case, active=True,
        defaults={"legal_basis": legal_basis.strip(), "note": note.strip(), "marked_by": actor_user(actor)},
    )
    return marking


# --- the calendar ------------------------------------------------------------------------------------------------


def recompute_provisional(year: int) -> int:
    """Recompute the open applications' provisional due dates once ``year``'s schedule is entered."""
    changed = 0
    for app in RepairApplication.objects.open().filter(provisional=True):
        policy = policy_for(app)
        with transaction.atomic():
            app = _lock(app)
            if not app.is_open or not app.provisional:
                continue
            accept_due = add_working_days(app.received_at, int(policy.repair_accept_days.value))
            provisional = accept_due.provisional
            fields = {"accept_due": accept_due.date}
            if app.accepted_at:
                start = app.accepted_at if local_date(app.accepted_at) <= accept_due.date else accept_due.date
                due = add_working_days(start, int(policy.repair_decision_days.value))
                fields["decision_due"], provisional = due.date, provisional or due.provisional
            fields["provisional"] = provisional
            before = {k: getattr(app, k) for k in fields}
            if before != fields:
                RepairApplication.objects.filter(pk=app.pk).update(**fields)
                _event(app, EventKind.RECOMPUTED, None, f"{year}年工作日历录入后重算期限", public=False,
                       **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in fields.items()})
                changed += 1
    return changed


def reviewers_of(application, *, escalate: bool = False):
    """The repair reviewers who handle the application (its department's, and the credit centre's); escalating,
    also the platform admins (the credit centre's heads)."""
    q = Q(groups__name=roles.REPAIR_REVIEWER) & (
        Q(department_id=application.department_id) | Q(department__is_credit_centre=True) | Q(department__isnull=True)
        | Q(pk=application.handler_id or 0)  # the assigned handler, of whatever unit
    )
    if escalate:
        q |= Q(groups__name=roles.PLATFORM_ADMIN)
    return User.objects.filter(q, is_active=True, kind=User.Kind.OFFICIAL).distinct().order_by("pk")


def notify_reviewers(application, event: str, title: str, body: str, *, escalate: bool = False) -> int:
    link = f"/admin/repair/repairapplication/{application.pk}/change/"
    sent = 0
    for user in reviewers_of(application, escalate=escalate):
        if notify(user, f"repair:{application.number}:{event}", title, body, link):
            sent += 1
    return sent
