"""守信激励对象名单 and 严重失信主体名单 (with its due process: notice, statement and defence, decision, removal), and
the register of public bodies told when one of them or their staff is listed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from credit_platform.models import Department
from credit_platform.workdays import local_date
from sanctions.models.common import history_user
from sanctions.models.measures import Measure


class RedListEntry(models.Model):
    """守信激励对象名单 (Karamay art. 22, Heilongjiang arts. 36 and 38, Fuzhou arts. 14 and 16)."""

    class Status(models.TextChoices):
        LISTED = "listed", _("在列")
        REMOVED = "removed", _("已移出")

    class Removal(models.TextChoices):
        DISHONESTY = "dishonesty", _("产生失信信息，自动移出")
        TERM_END = "term_end", _("有效期届满")
        WITHDRAWN = "withdrawn", _("认定单位撤销")

    subject = models.ForeignKey("records.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT,
                                related_name="red_list_entries")
    department = models.ForeignKey("credit_platform.Department", verbose_name=_("认定单位"), on_delete=models.PROTECT,
                                   related_name="+")
    criteria = models.TextField(_("认定标准及依据"))
    records = models.ManyToManyField("records.Record", verbose_name=_("守信信息"), related_name="+", blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.LISTED, db_index=True)
    listed_at = models.DateTimeField(_("列入时间"), default=timezone.now)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    public = models.BooleanField(_("公示"), default=True)
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    removal_reason = models.CharField(_("移出原因"), max_length=16, choices=Removal.choices, blank=True)
    removal_because = models.JSONField(_("移出依据"), default=list, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("守信激励对象名单")
        verbose_name_plural = _("守信激励对象名单")
        ordering = ["-listed_at"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "department"], condition=Q(status="listed"),
                                    name="red_list_one_live_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.get_status_display()}"


class SevereListEntry(models.Model):
    """严重失信主体名单 with due process (Karamay art. 15, Heilongjiang arts. 38, 45 and 55, Qufu arts. 35 and 56,
    Zhangye art. 47; 国办发〔2020〕49号).

    draft → notified (prior notice: reasons, basis, rights; statement-and-defence period) → [statement reviewed]
    → listed (decision document) → removed (term end, repair, successful defence, court removal); or
    notified → not listed when the defence is upheld. Court-listed judgment debtors are listed on receipt.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("拟列入")
        NOTIFIED = "notified", _("已告知，陈述申辩期")
        LISTED = "listed", _("已列入")
        NOT_LISTED = "not_listed", _("不予列入")
        REMOVED = "removed", _("已移出")

    class Source(models.TextChoices):
        DEPARTMENT = "department", _("行政机关认定")
        COURT = "court", _("人民法院失信被执行人名单")
        LINKED = "linked", _("单位列入名单的责任人")

    class Removal(models.TextChoices):
        TERM_END = "term_end", _("期限届满")
        REPAIRED = "repaired", _("信用修复")
        DEFENCE_UPHELD = "defence_upheld", _("陈述申辩成立")
        COURT_REMOVED = "court_removed", _("人民法院删除失信信息")
        DECISION_REVOKED = "decision_revoked", _("认定决定被撤销")
        PARENT_REMOVED = "parent_removed", _("单位移出名单")

    class Review(models.TextChoices):
        UPHELD = "upheld", _("申辩成立，予以采纳")
        REJECTED = "rejected", _("申辩不成立")

    subject = models.ForeignKey("records.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT,
                                related_name="severe_list_entries")
    parent = models.ForeignKey("self", verbose_name=_("单位名单"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="linked")
    linked_role = models.CharField(_("责任人身份"), max_length=24, blank=True)
    department = models.ForeignKey("credit_platform.Department", verbose_name=_("认定单位"), on_delete=models.PROTECT,
                                   related_name="+")
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.DEPARTMENT)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    records = models.ManyToManyField("records.Record", verbose_name=_("认定依据的失信信息"), related_name="+", blank=True)
    reasons = models.TextField(_("事由"))
    basis = models.TextField(_("依据"), help_text=_("设列名单的法律、法规或国家规定及认定标准（克拉玛依第十五条）"))
    measures = models.ManyToManyField(Measure, verbose_name=_("失信惩戒措施提示"), related_name="+", blank=True)
    term_months = models.PositiveSmallIntegerField(_("列入期限（月）"), null=True, blank=True)
    removal_conditions = models.TextField(_("移出条件"), blank=True)
    removal_procedure = models.TextField(_("移出程序"), blank=True)
    remedies = models.TextField(_("救济途径"), blank=True)
    # prior notice and the statement-and-defence period
    notice_number = models.CharField(_("告知书文号"), max_length=128, blank=True)
    notified_at = models.DateTimeField(_("告知时间"), null=True, blank=True)
    delivery = models.CharField(_("送达方式"), max_length=200, blank=True)
    defence_days = models.PositiveSmallIntegerField(_("陈述申辩期限（工作日）"), null=True, blank=True)
    defence_article = models.CharField(_("陈述申辩期限依据"), max_length=300, blank=True)
    defence_due = models.DateField(_("陈述申辩截止"), null=True, blank=True)
    defence_due_provisional = models.BooleanField(_("截止日为暂定"), default=False)
    review_outcome = models.CharField(_("复核结论"), max_length=16, choices=Review.choices, blank=True)
    review_reasons = models.TextField(_("复核理由"), blank=True)
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    # decision
    decision_number = models.CharField(_("决定书文号"), max_length=128, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    listed_on = models.DateField(_("列入日期"), null=True, blank=True)
    term_end = models.DateField(_("列入期限届满"), null=True, blank=True)
    public = models.BooleanField(_("公示中"), default=False)
    # removal and the end of publicity
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    removal_reason = models.CharField(_("移出原因"), max_length=20, choices=Removal.choices, blank=True)
    removal_note = models.TextField(_("移出说明"), blank=True)
    removed_for_record = models.ForeignKey("records.Record", verbose_name=_("因修复移出的信息"), null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    publicity_stop_due = models.DateField(_("终止公示期限"), null=True, blank=True)
    publicity_stop_provisional = models.BooleanField(_("终止公示期限为暂定"), default=False)
    publicity_stop_article = models.CharField(_("终止公示期限依据"), max_length=300, blank=True)
    publicity_stopped_at = models.DateTimeField(_("终止公示时间"), null=True, blank=True)
    publicity_stopped_late = models.BooleanField(_("逾期终止公示"), null=True, blank=True)
    court_case_number = models.CharField(_("执行案号"), max_length=128, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("严重失信主体名单")
        verbose_name_plural = _("严重失信主体名单")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["term_end"], condition=Q(status="listed"), name="severe_listed_term_idx"),
            models.Index(fields=["publicity_stop_due"], condition=Q(public=True, status="removed"),
                         name="severe_publicity_stop_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.get_status_display()}"

    @property
    def defence_open(self) -> bool:
        if self.status != self.Status.NOTIFIED or self.review_outcome:
            return False
        return self.defence_due is None or local_date(timezone.now()) <= self.defence_due


class Defence(models.Model):
    """The subject's statement and defence (陈述申辩, Heilongjiang art. 55, Zhangye art. 47)."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("门户网站")
        PAPER = "paper", _("书面")
        ORAL = "oral", _("口头（记录）")

    entry = models.ForeignKey(SevereListEntry, verbose_name=_("名单"), on_delete=models.CASCADE, related_name="defences")
    submitted_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(_("方式"), max_length=16, choices=Channel.choices, default=Channel.PORTAL)
    statement = models.TextField(_("陈述申辩意见"))
    evidence = models.TextField(_("事实、理由和证据"), blank=True)
    late = models.BooleanField(_("逾期提出"), default=False)

    class Meta:
        verbose_name = _("陈述申辩")
        verbose_name_plural = _("陈述申辩")
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.submitted_at:%Y-%m-%d}"


class PublicBody(models.Model):
    """A state organ, public institution or state-owned enterprise, with the bodies Heilongjiang art. 44 says must be
    told when it (or one of its staff) is put on the severe list. Staff are the persons on file for it (关联人员)."""

    class Kind(models.TextChoices):
        STATE_ORGAN = "state_organ", _("国家机关")
        PUBLIC_INSTITUTION = "public_institution", _("事业单位")
        STATE_OWNED_ENTERPRISE = "state_owned_enterprise", _("国有企业")

    subject = models.OneToOneField("records.Subject", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="public_body")
    kind = models.CharField(_("单位性质"), max_length=32, choices=Kind.choices)
    own_department = models.ForeignKey(
        Department, verbose_name=_("本单位平台账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("本单位在平台上的部门；其工作人员被列入名单时向其通报"),
    )
    superior = models.ForeignKey(Department, verbose_name=_("上一级人民政府或主管部门"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    superior_name = models.CharField(_("上一级人民政府或主管部门名称"), max_length=200, blank=True,
                                     help_text=_("不在平台上的，填写名称以便线下送达"))
    audit_body = models.ForeignKey(Department, verbose_name=_("审计机关"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    audit_body_name = models.CharField(_("审计机关名称"), max_length=200, blank=True)
    supervisory_body = models.ForeignKey(Department, verbose_name=_("监察机关"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    supervisory_body_name = models.CharField(_("监察机关名称"), max_length=200, blank=True)
    personnel_body = models.ForeignKey(Department, verbose_name=_("组织（人事）部门"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    personnel_body_name = models.CharField(_("组织（人事）部门名称"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("机关企事业单位登记")
        verbose_name_plural = _("机关企事业单位登记")

    def __str__(self) -> str:
        return f"{self.subject.name}（{self.get_kind_display()}）"
