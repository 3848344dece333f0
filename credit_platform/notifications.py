"""Notify a user once per event: always in-app, plus e-mail and SMS where the user has them.

``notify`` is safe to call from sweeps that may run twice: the (user, event_key) pair is unique and a
second call for the same event returns ``None`` without sending anything.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from credit_platform.models.notifications import Notification
from credit_platform.sms import send_sms

logger = logging.getLogger(__name__)


def notify(user, event_key: str, title: str, body: str = "", link: str = "", *, email: bool = True, sms: bool = False):
    if user is None:
        return None
    try:
        with transaction.atomic():
            note = Notification.objects.create(user=user, event_key=event_key[:200], title=title[:200], body=body, link=link)
    except IntegrityError:
        return None  # already notified for this event
    transaction.on_commit(lambda: _deliver(note.pk, email=email, sms=sms))
    return note


def _deliver(pk: int, *, email: bool, sms: bool) -> None:
    note = Notification.objects.select_related("user").get(pk=pk)
    user = note.user
    try:
        if email and user.email:
            send_mail(note.title, f"{note.body}\n\n{note.link}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email])
            Notification.objects.filter(pk=pk).update(emailed=True)
        if sms and getattr(user, "phone", ""):
            send_sms(user.phone, note.title)
            Notification.objects.filter(pk=pk).update(texted=True)
    except Exception:  # a mail or SMS gateway outage never loses the in-app notification
        logger.exception("notification %s: delivery failed", pk)
