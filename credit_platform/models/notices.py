"""Statutory notices: one body telling another what a statute says it must be told, recorded with delivery status."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StatutoryNotice(models.Model):
    """One notice to one recipient body under one duty (Heilongjiang art. 44, Qufu art. 61 …).

    ``key`` is unique: a listing or an opt-out processed twice notifies nobody twice. Delivery goes to the active
    officials of ``recipient`` through the notifications module (in-app, with an e-mail copy); a recipient body
    without an account on the platform leaves the notice ``no_recipient`` for the credit centre to deliver offline
    and record it here.
    """

    class Status(models.TextChoices):
        DELIVERED = "delivered", _("已送达（站内通知）")
        NO_RECIPIENT = "no_recipient", _("接收单位无平台账号，待线下送达")
        OFFLINE = "offline", _("已线下送达")

    key = models.CharField(_("事件键"), max_length=200, unique=True)
    duty = models.CharField(_("通报事项"), max_length=40)
    duty_label = models.CharField(_("通报事项名称"), max_length=100)
    article = models.CharField(_("依据"), max_length=300)
    recipient = models.ForeignKey("credit_platform.Department", verbose_name=_("接收单位"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="statutory_notices")
    recipient_name = models.CharField(_("接收单位名称"), max_length=200)
    sender = models.ForeignKey("credit_platform.Department", verbose_name=_("通报单位"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    subject_label = models.CharField(_("所涉信用主体"), max_length=250, blank=True)
    source = models.CharField(_("来源对象"), max_length=100, blank=True, help_text=_("如 sanctions.severelistentry:12"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=300, blank=True)
    status = models.CharField(_("送达状态"), max_length=16, choices=Status.choices)
    recipients_notified = models.PositiveIntegerField(_("送达人数"), default=0)
    created_at = models.DateTimeField(_("通报时间"), default=timezone.now)
    offline_at = models.DateTimeField(_("线下送达时间"), null=True, blank=True)
    offline_note = models.CharField(_("线下送达说明"), max_length=300, blank=True)
    offline_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("法定通报与告知")
        verbose_name_plural = _("法定通报与告知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["source"], name="statutory_notice_source_idx")]

    def __str__(self) -> str:
        return f"{self.duty_label} → {self.recipient_name}"

    @property
    def notification_key(self) -> str:
        return f"notice:{self.key}"[:200]
