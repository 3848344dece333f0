"""Pluggable SMS delivery. ``SMS_BACKEND`` names a class with ``send(phone, message) -> None``."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Development backend: writes the message to the log, masking all but the last 4 digits."""

    def send(self, phone: str, message: str) -> None:
        logger.info("SMS to ***%s: %s", phone[-4:], message)


class LocmemSmsBackend:
    """Test backend: keeps messages in ``outbox``."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, message: str) -> None:
        self.outbox.append((phone, message))


def send_sms(phone: str, message: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone, message)
