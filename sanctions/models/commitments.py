"""Credit commitments, the public credit evaluation and interviews (约谈)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sanctions import rules
from sanctions.models.common import history_user
from sanctions.models.lists import SevereListEntry
from sanctions.models.measures import Matter


class Commitment(models.Model):
    """A credit commitment (信用承诺): made in licensing (告知承诺), for certificates, voluntarily or for repair
    (Karamay art. 8, Heilongjiang arts. 28–30 and 34, Qufu arts. 18 and 47, Zhangye art. 7)."""

    class CommitmentKind(models.TextChoices):
        LICENCE = "licence", _("行政许可告知承诺")
        CERTIFICATE = "certificate", _("证明事项告知承诺")
        VOLUNTARY = "voluntary", _("主动公开承诺")
        INDUSTRY = "industry", _("行业自律承诺")
        REPAIR = "repair", _("信用修复承诺")

    class Status(models.TextChoices):
        PENDING = "pending", _("待核查")
        RECTIFICATION = "rectification", _("责令限期整改")
        KEPT = "kept", _("已履行")
        BROKEN = "broken", _("虚假承诺或未履行")

    class Breach(models.TextChoices):
        FALSE = "false", _("虚假承诺")
        UNFULFILLED = "unfulfilled", _("未履行承诺")

    subject = models.ForeignKey("records.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT,
                                related_name="commitments")
    department = models.ForeignKey("credit_platform.Department", verbose_name=_("受理部门"), on_delete=models.PROTECT,
                                   related_name="+")
    source_ref = models.CharField(_("部门编号"), max_length=160)
    kind = models.CharField(_("承诺类型"), max_length=16, choices=CommitmentKind.choices, default=CommitmentKind.LICENCE)
    matter = models.ForeignKey(Matter, verbose_name=_("事项"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="commitments")
    title = models.CharField(_("承诺事项"), max_length=300)
    content = models.TextField(_("承诺内容"))
    made_on = models.DateField(_("承诺日期"))
    licence_number = models.CharField(_("许可决定文号"), max_length=128, blank=True)
    licence_decided_on = models.DateField(_("许可决定日期"), null=True, blank=True)
    verification_due = models.DateField(_("核查期限"), null=True, blank=True, db_index=True)
    verification_article = models.CharField(_("核查期限依据"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    verified_on = models.DateField(_("核查日期"), null=True, blank=True)
    verification_method = models.CharField(_("核查方式"), max_length=100, blank=True)
    verification_note = models.TextField(_("核查情况"), blank=True)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    breach = models.CharField(_("违诺情形"), max_length=16, choices=Breach.choices, blank=True)
    record = models.ForeignKey("records.Record", verbose_name=_("记入的失信信息"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    decision_revoked = models.BooleanField(_("原行政决定已撤销"), default=False)
    revocation_number = models.CharField(_("撤销决定文号"), max_length=128, blank=True)
    revocation_date = models.DateField(_("撤销日期"), null=True, blank=True)
    public = models.BooleanField(_("公示"), default=True, help_text=_("黑龙江第三十四条；自然人的承诺不对外公示"))
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("逾期督办时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("信用承诺")
        verbose_name_plural = _("信用承诺")
        ordering = ["-made_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["department", "source_ref"], name="commitment_source_ref_unique")]
        indexes = [models.Index(fields=["verification_due"], condition=Q(status__in=["pending", "rectification"]),
                                name="commitment_open_due_idx")]

    def __str__(self) -> str:
        return f"{self.subject} {self.title}"


# --- evaluation and interviews -------------------------------------------------------------------------------------
class Evaluation(models.Model):
    """The current public credit evaluation of a subject (公共信用综合评价) with its reasons; history keeps the past."""

    class Grade(models.TextChoices):
        A = "A", _("A（信用优良）")
        B = "B", _("B（信用良好）")
        C = "C", _("C（信用一般）")
        D = "D", _("D（信用较差）")

    class SupervisionTier(models.TextChoices):
        LOWER = rules.TIER_LOWER, _("降低抽查比例和频次")
        NORMAL = rules.TIER_NORMAL, _("常规比例和频次")
        HIGHER = rules.TIER_HIGHER, _("提高抽查比例和频次")

    subject = models.OneToOneField("records.Subject", verbose_name=_("信用主体"), on_delete=models.CASCADE,
                                   related_name="evaluation")
    score = models.PositiveSmallIntegerField(_("分值"))
    grade = models.CharField(_("等级"), max_length=1, choices=Grade.choices, db_index=True)
    tier = models.CharField(_("监管分类"), max_length=8, choices=SupervisionTier.choices, blank=True)
    reasons = models.JSONField(_("评分理由"), default=list)
    model_version = models.CharField(_("评价模型版本"), max_length=20)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)
    recompute_on = models.DateField(_("下次因时间重新计算"), null=True, blank=True, db_index=True)
    # What lets a push extend the evaluation without reading its reasons (``rules.extension_state``, issue #17): the
    # points' total in tenths before clamping and the newest record the reasons name; null where it cannot be.
    points_tenths = models.IntegerField(_("分值合计（十分之一分）"), null=True, blank=True, editable=False)
    newest_record_id = models.BigIntegerField(_("评分理由中最新的信用记录"), null=True, blank=True, editable=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("公共信用综合评价")
        verbose_name_plural = _("公共信用综合评价")
        ordering = ["subject_id"]

    def __str__(self) -> str:
        return f"{self.subject} {self.grade}"


class Interview(models.Model):
    """约谈 (Qufu art. 19: 谁认定、谁督导、谁约谈; Heilongjiang art. 44): recorded on the subject's credit file."""

    class InterviewKind(models.TextChoices):
        PROMPT = "prompt", _("提示约谈")
        WARNING = "warning", _("警示约谈")
        PRINCIPAL = "principal", _("约谈主要负责人并责令限期纠正")

    subject = models.ForeignKey("records.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT,
                                related_name="interviews")
    department = models.ForeignKey("credit_platform.Department", verbose_name=_("约谈单位"), on_delete=models.PROTECT,
                                   related_name="+")
    kind = models.CharField(_("约谈类型"), max_length=16, choices=InterviewKind.choices, default=InterviewKind.PROMPT)
    held_on = models.DateField(_("约谈日期"))
    interviewee = models.CharField(_("被约谈人"), max_length=100)
    interviewee_role = models.CharField(_("被约谈人职务"), max_length=100, blank=True)
    officials = models.CharField(_("约谈人员"), max_length=300, blank=True)
    reason = models.TextField(_("约谈事由"))
    summary = models.TextField(_("约谈内容"))
    requirements = models.TextField(_("整改要求"), blank=True)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    records = models.ManyToManyField("records.Record", verbose_name=_("相关失信信息"), related_name="+", blank=True)
    severe_entry = models.ForeignKey(SevereListEntry, verbose_name=_("相关名单"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="interviews")
    recorded_by = models.CharField(_("记录人/系统"), max_length=150)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("约谈记录")
        verbose_name_plural = _("约谈记录")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} {self.get_kind_display()} {self.held_on}"
