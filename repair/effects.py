"""The effects of a repair and of its revocation, applied in one transaction (all or nothing).

An approved repair (Order 36; Karamay art. 35; Heilongjiang arts. 51, 54):

1. publicity stops and the record is archived: ``status = repaired`` and ``public_until = repair date``
   (the disclosure app shows only status-active records inside their window, so the record disappears from
   the portal, reports and the joint check in the same transaction); the records derived from it (the
   responsible persons' copies of an organisation's record) go with it;
   ``disclosure.services.end_publicity(ids, on)`` ends the disclosure app's publicity windows the same day;
2. ``sanctions.services.on_record_repaired(record, actor=, reason=)`` removes the subject from the severe
   list where this record put it, stops the punishment measures and recomputes the evaluation;
3. the subject is told (in-app, and by e-mail/SMS where it has them);
4. the change is written to the outbox for every subscriber that holds the record (``repair.outbox``).

If any step raises, the transaction rolls back and nothing has changed: the application stays accepted.
The sanctions hook is called lazily; while the sanctions app does not provide it the step is skipped with a
warning in the log (and noted in the application's ``effects``), never silently.

Revocation (Fuzhou art. 23) restores each record's previous status and publicity end, asks the disclosure app
to reopen their windows — ``disclosure.services.reopen_publicity(ids, article=, reason=)``, which recomputes each
window as if the repair had never happened, even when the disclosure sweep has already archived it (the one
lawful re-opening; ``apply_windows`` never reopens an archived window, so it is no substitute) — calls
``sanctions.services.on_repair_revoked`` and publishes ``repair_revoked``.
"""

from __future__ import annotations

import importlib
import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from credit_platform.notifications import notify
from credit_platform.workdays import local_date
from records.models import LIVE_STATUSES
from repair import outbox

logger = logging.getLogger(__name__)

REPAIRED = "repaired"
ACTIVE = "active"


def _sanctions_hook(name: str):
    from django.apps import apps

    if not apps.is_installed("sanctions"):
        return None
    try:
        module = importlib.import_module("sanctions.services")
    except ImportError:
        return None
    return getattr(module, name, None)


def _disclosure_hook(name: str):
    from django.apps import apps

    if not apps.is_installed("disclosure"):
        return None
    try:
        module = importlib.import_module("disclosure.services")
    except ImportError:
        return None
    return getattr(module, name, None)


def _is_user(user) -> bool:
    return user is not None and getattr(user, "pk", None) is not None and not getattr(user, "is_department_client", False)


def _set_record(record, *, status: str, public_until: date | None, reason: str, actor) -> None:
    """Change a record's status and publicity end with a history row (who and why)."""
    record.status = status
    record.public_until = public_until
    record.updated_at = timezone.now()
    record._change_reason = reason[:100]
    record._history_user = actor if _is_user(actor) else None
    record.save(update_fields=["status", "public_until", "updated_at"])


def _records_affected(record):
    from records.models import Record

    derived = Record.objects.select_for_update().filter(parent_id=record.pk, status__in=LIVE_STATUSES).order_by("pk")
    return [record, *derived]


def _subject_users(application):
    users = []
    if application.applicant_id:
        users.append(application.applicant)
    try:
        from accounts.links import links_for_subject
        from credit_platform.models import User

        linked = User.objects.filter(pk__in=links_for_subject(application.subject).values("user_id"))
        users.extend(u for u in linked if u.pk != application.applicant_id)
    except Exception:  # disclosure not installed: the applicant is told
        pass
    return users


def notify_subject(application, event: str, title: str, body: str) -> None:
    link = f"/repair/applications/{application.number}/"
    for user in _subject_users(application):
        notify(user, f"repair:{application.number}:{event}", title, body, link, sms=True)


@transaction.atomic
def apply_repair(application, *, actor, reason: str) -> dict:
    """Apply every effect of an approved repair. Raises (and changes nothing) if any effect fails."""
    from records.models import Record

    record = Record.objects.select_for_update().get(pk=application.record_id)
    today = local_date(timezone.now())
    changed = []
    for rec in _records_affected(record):
        changed.append({"id": rec.pk, "status": rec.status, "public_until": rec.public_until.isoformat() if rec.public_until else None})
        _set_record(rec, status=REPAIRED, public_until=today, reason=f"信用修复 {application.number}: {reason}", actor=actor)

    end_publicity = _disclosure_hook("end_publicity")
    if end_publicity is None:
        logger.warning("repair %s: disclosure.services.end_publicity is not available; only the record's own "
                       "public_until was set", application.number)
    else:  # the disclosure app's publicity windows end on the same day, in the same transaction
        end_publicity([c["id"] for c in changed], today)

    hook = _sanctions_hook("on_record_repaired")
    sanctions_done = False
    if hook is None:
        logger.warning("repair %s: sanctions.services.on_record_repaired is not available; severe-list removal, "
                       "measures and evaluation were not updated by the repair app", application.number)
    else:
        hook(record, actor=actor, reason=reason)
        sanctions_done = True

    payload = {
        "status": REPAIRED, "public_until": today.isoformat(), "repair_application": application.number,
        "repaired_on": today.isoformat(), "reason": reason, "derived_record_ids": [c["id"] for c in changed[1:]],
    }
    events = [str(outbox.publish_change(record, "repaired", payload).event_id)]
    for rec in _records_affected_ids(changed[1:]):
        events.append(str(outbox.publish_change(rec, "repaired", {**payload, "parent_record_id": record.pk}).event_id))

    effects = {"records": changed, "sanctions": sanctions_done, "outbox_events": events, "applied_at": timezone.now().isoformat()}
    application.repaired_on = today
    application.previous_status = changed[0]["status"]
    application.previous_public_until = record_date(changed[0]["public_until"])
    application.effects = effects
    application._history_user = actor if _is_user(actor) else None
    application.save(update_fields=["repaired_on", "previous_status", "previous_public_until", "effects"])

    notify_subject(
        application, "approved", "信用修复已完成",
        f"您申请修复的失信信息（{record.source_ref}）已完成信用修复：自{today:%Y年%-m月%-d日}起停止公示，"
        "相关惩戒措施停止实施，信用评价已更新。变更已同步至持有该信息的部门和机构。",
    )
    return effects


def _records_affected_ids(entries):
    from records.models import Record

    ids = [e["id"] for e in entries]
    return list(Record.objects.filter(pk__in=ids).order_by("pk")) if ids else []


def record_date(value):
    return date.fromisoformat(value) if value else None


@transaction.atomic
def revoke_repair(application, *, actor, reason: str, article: str | None = None) -> dict:
    """Undo a repair: publicity and measures return. Raises (and changes nothing) if any step fails."""
    from records.models import Record

    entries = (application.effects or {}).get("records") or [
        {"id": application.record_id, "status": application.previous_status or ACTIVE,
         "public_until": application.previous_public_until.isoformat() if application.previous_public_until else None}
    ]
    restored = []
    record = None
    for entry in entries:
        rec = Record.objects.select_for_update().filter(pk=entry["id"]).first()
        if rec is None or rec.status != REPAIRED:
            continue  # revoked or corrected since by its provider: the provider's change stands
        _set_record(rec, status=entry.get("status") or ACTIVE, public_until=record_date(entry.get("public_until")),
                    reason=f"撤销信用修复 {application.number}: {reason}", actor=actor)
        restored.append(rec.pk)
        if rec.pk == application.record_id:
            record = rec
    record = record or Record.objects.get(pk=application.record_id)

    reopen = _disclosure_hook("reopen_publicity")
    if reopen is None:
        logger.warning("repair %s: disclosure.services.reopen_publicity is not available; only the records' own "
                       "publicity dates were restored", application.number)
    elif restored:  # the disclosure app reopens the windows (archived by its sweep or not) as if never repaired
        reopen(restored, article=article, reason=reason)
        record.refresh_from_db()

    hook = _sanctions_hook("on_repair_revoked")
    if hook is None:
        logger.warning("repair %s: sanctions.services.on_repair_revoked is not available; measures were not restored "
                       "by the repair app", application.number)
    else:
        hook(record, actor=actor, reason=reason)

    payload = {"status": record.status, "public_until": record.public_until.isoformat() if record.public_until else None,
               "repair_application": application.number, "reason": reason, "restored_record_ids": restored}
    for rec in Record.objects.filter(pk__in=restored).order_by("pk"):
        outbox.publish_change(rec, "repair_revoked", payload)

    notify_subject(
        application, "revoked", "信用修复结果已撤销",
        f"您的信用修复（{application.number}）因{reason}被撤销，相关失信信息恢复公示，惩戒措施恢复实施。"
        "如有异议，可依法申请行政复议或者提起行政诉讼。",
    )
    return {"restored": restored, "sanctions": hook is not None}
