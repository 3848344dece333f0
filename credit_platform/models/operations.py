"""Operational records: proof that the worker and beat are alive, and a log of every statutory sweep."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """Written by a Celery task sent through the broker; /healthz reports the latest one."""

    worker = models.CharField(_("worker"), max_length=200)
    sent_at = models.DateTimeField(_("发送时间"))
    received_at = models.DateTimeField(_("执行时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Worker 心跳")
        verbose_name_plural = _("Worker 心跳")
        ordering = ["-received_at"]
        get_latest_by = "received_at"

    def __str__(self) -> str:
        return f"{self.worker} @ {self.received_at:%Y-%m-%d %H:%M:%S}" if self.received_at else self.worker


class SweepRun(models.Model):
    """One run of a daily sweep (publicity expiry, objection deadlines …): when, how long, how many rows acted on."""

    name = models.CharField(_("任务"), max_length=100, db_index=True)
    started_at = models.DateTimeField(_("开始"))
    finished_at = models.DateTimeField(_("结束"), null=True, blank=True)
    acted = models.PositiveIntegerField(_("处理条数"), default=0)
    detail = models.JSONField(_("明细"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("定时清扫记录")
        verbose_name_plural = _("定时清扫记录")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.name} @ {self.started_at:%Y-%m-%d %H:%M:%S}" if self.started_at else self.name
