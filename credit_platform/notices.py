"""Send a statutory notice to a body and record it (:class:`~credit_platform.models.StatutoryNotice`).

Used for the duties to tell another body: Heilongjiang art. 44 (a listed state organ, public institution or
state-owned enterprise → its superior body and the audit body; listed staff → the employer, the supervisory body and
the organisation/personnel department) and Qufu art. 61 (a trust opt-out → the providers of the withheld records).

Idempotent on ``key``: calling again returns the recorded notice and sends nothing. Delivery is in-app (with an
e-mail copy where the official has an address) to every active official of the recipient department, through
:func:`credit_platform.notifications.notify`; a body with no account on the platform is recorded as
``no_recipient`` so the credit centre delivers it offline and records that in the admin.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from credit_platform.models import Department, Notification, StatutoryNotice, User
from credit_platform.notifications import notify

__all__ = ["mark_offline", "read_count", "send_notice"]


def _officials(department: Department | None):
    if department is None or not department.active:
        return User.objects.none()
    return User.objects.filter(department=department, is_active=True, kind=User.Kind.OFFICIAL).order_by("pk")


def send_notice(*, key: str, duty: str, duty_label: str, article: str, recipient: Department | None,
                recipient_name: str = "", title: str, body: str, sender: Department | None = None,
                subject_label: str = "", source: str = "", link: str = "") -> StatutoryNotice:
    """Record and deliver one notice (idempotent on ``key``)."""
    key = key[:200]
    existing = StatutoryNotice.objects.filter(key=key).first()
    if existing is not None:
        return existing
    users = list(_officials(recipient))
    try:
        with transaction.atomic():
            notice = StatutoryNotice.objects.create(
                key=key, duty=duty, duty_label=duty_label[:100], article=article[:300], recipient=recipient,
                recipient_name=(recipient_name or (recipient.name if recipient else ""))[:200] or "（未登记接收单位）",
                sender=sender, subject_label=subject_label[:250], source=source[:100], title=title[:200], body=body,
                link=link[:300],
                status=StatutoryNotice.Status.DELIVERED if users else StatutoryNotice.Status.NO_RECIPIENT,
                created_at=timezone.now(),
            )
    except IntegrityError:  # a concurrent call recorded it first
        return StatutoryNotice.objects.get(key=key)
    sent = sum(1 for user in users if notify(user, notice.notification_key, title, f"{body}\n\n依据：{article}", link))
    StatutoryNotice.objects.filter(pk=notice.pk).update(recipients_notified=sent)
    notice.recipients_notified = sent
    return notice


def read_count(notice: StatutoryNotice) -> int:
    """How many of the recipients have opened the in-app notice."""
    return Notification.objects.filter(event_key=notice.notification_key, read_at__isnull=False).count()


def mark_offline(notice: StatutoryNotice, user, note: str) -> bool:
    """The credit centre delivered a notice offline (post, document exchange): record when, how and who."""
    note = (note or "").strip()
    if not note:
        raise ValueError("请填写线下送达方式（如公文交换号、挂号信单号）。")
    return bool(StatutoryNotice.objects.filter(pk=notice.pk, status=StatutoryNotice.Status.NO_RECIPIENT).update(
        status=StatutoryNotice.Status.OFFLINE, offline_at=timezone.now(), offline_note=note[:300],
        offline_by=user if getattr(user, "pk", None) else None,
    ))
