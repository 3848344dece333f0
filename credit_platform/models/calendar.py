"""The working-day calendar (工作日历): the days that differ from the plain Monday–Friday rule.

Only exceptions are stored (DESIGN.md principle 3):

* ``holiday`` — a Monday–Friday date that is a day off (statutory holiday or a rest day moved by 调休);
* ``workday`` — a Saturday/Sunday that is an adjusted working day (调休上班).

A year counts as *covered* only when its ``CalendarYear`` row says its schedule is complete; for any
other year the service in ``credit_platform.workdays`` falls back to a provisional rule set.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class CalendarSource(models.TextChoices):
    CHINESECALENDAR = "chinesecalendar", _("chinesecalendar 数据包")
    ADMIN = "admin", _("管理员录入")
    HOLIDAYS_RULE = "holidays_rule", _("法定节假日规则推算（待核对）")


class CalendarDay(models.Model):
    """One date whose status differs from the Monday–Friday rule."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假（工作日休息）")
        WORKDAY = "workday", _("调休上班（周末上班）")

    Source = CalendarSource

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("节日名称"), max_length=100, blank=True, help_text=_("如 国庆节、春节"))
    source = models.CharField(_("来源"), max_length=20, choices=CalendarSource.choices, default=CalendarSource.ADMIN)
    note = models.TextField(_("备注"), blank=True, help_text=_("如 国务院办公厅通知文号"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name or ''}（{self.get_kind_display()}）"

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.date.weekday()]

    def clean(self) -> None:
        super().clean()
        if self.date is None:
            return
        weekend = self.date.weekday() >= 5
        if self.kind == self.Kind.HOLIDAY and weekend:
            raise ValidationError(
                {"kind": _("%(date)s 是%(weekday)s，本来就休息，无需录入为放假日；只录入周一至周五的放假日。")
                 % {"date": self.date.isoformat(), "weekday": self.weekday_name}}
            )
        if self.kind == self.Kind.WORKDAY and not weekend:
            raise ValidationError(
                {"kind": _("%(date)s 是%(weekday)s，本来就上班，无需录入为调休上班日；只录入周六、周日的调休上班日。")
                 % {"date": self.date.isoformat(), "weekday": self.weekday_name}}
            )


class CalendarYear(models.Model):
    """A year's holiday schedule (国务院办公厅部分节假日安排) and whether it has been entered completely."""

    Source = CalendarSource

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("来源"), max_length=20, choices=CalendarSource.choices, default=CalendarSource.ADMIN)
    complete = models.BooleanField(
        _("已完整录入"), default=False,
        help_text=_("只有标记为已完整录入的年度才按本表计算工作日；否则按周一至周五扣除法定节假日临时推算。"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True, help_text=_("如 国办发明电〔2026〕X号"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        state = _("已完整录入") if self.complete else _("未完整录入")
        return f"{self.year} 年（{state}）"

