"""异议 objections, their timeline, evidence, assistance requests and pauses; 投诉 complaints about market
credit collectors; and the escalation tracker for providers' corrections and revocations.

Every due date is a column computed when the event happens (DESIGN.md principle 2); the sweeps in
``objections.sweeps`` act on these columns with set-based, compare-and-swap queries. Partial indexes
cover only open rows, so the sweeps stay cheap however many closed cases accumulate.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from credit_platform.timeline import TimelineEvent
from objections.clock import policy_for
from objections.conf import evidence_storage


class Ground(models.TextChoices):
    """The statutory grounds for an objection (Karamay art. 34 ¶2, items 1–5)."""

    INACCURATE = "inaccurate", _("信用信息记载与事实不符、存在错误或者遗漏")
    PRIVACY = "privacy", _("侵犯商业秘密、个人隐私")
    WRONGLY_LISTED = "wrongly_listed", _("不符合认定条件而被列入，或者应当移出而未移出")
    OVER_PERIOD = "over_period", _("信用信息超期公开")
    OTHER = "other", _("法律、法规和国家规定的其他情形")


class Channel(models.TextChoices):
    PORTAL = "portal", _("网上申请")
    COUNTER = "counter", _("窗口受理")
    POST = "post", _("邮寄")
    API = "api", _("部门系统登记")


class Status(models.TextChoices):
    RECEIVED = "received", _("已受理")
    MARKED = "marked", _("已标注")
    UNDER_REVIEW = "under_review", _("核查中")
    DECIDED = "decided", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = (Status.RECEIVED, Status.MARKED, Status.UNDER_REVIEW)
OPEN_Q = Q(status__in=[s.value for s in OPEN_STATUSES])


class Outcome(models.TextChoices):
    CORRECTED = "corrected", _("予以更正")
    DELETED = "deleted", _("予以删除")
    UNCHANGED = "unchanged", _("不予变更")


class ObjectionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(OPEN_Q)

    def overdue(self, today):
        """Open and past a running due date: the mark not made by ``mark_due``, or no decision by ``decision_due``."""
        return self.open().filter(
            Q(status=Status.RECEIVED, mark_due__lt=today) | Q(paused_since__isnull=True, decision_due__lt=today)
        )


class Objection(models.Model):
    """One objection by a credit subject against one or more of its records."""

    number = models.CharField(_("异议编号"), max_length=32, unique=True, editable=False)
    policy_code = models.CharField(
        _("适用规则"), max_length=32, editable=False, help_text=_("受理时适用的政策配置；期限按受理时的规则计算")
    )
    channel = models.CharField(_("受理渠道"), max_length=16, choices=Channel.choices)
    ground = models.CharField(_("异议事由"), max_length=24, choices=Ground.choices)
    statement = models.TextField(_("异议陈述"))
    subject = models.ForeignKey(
        "records.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="objections"
    )
    records = models.ManyToManyField(
        "records.Record", verbose_name=_("异议记录"), through="ObjectionRecord", related_name="objections"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人账户"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="objections",
    )
    applicant_name = models.CharField(_("申请人"), max_length=200)
    applicant_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    applicant_email = models.EmailField(_("电子邮箱"), blank=True)
    handling_department = models.ForeignKey(
        "credit_platform.Department", verbose_name=_("办理单位"), on_delete=models.PROTECT, related_name="objections"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_objections",
    )

    received_at = models.DateTimeField(_("收到时间"))
    received_on = models.DateField(_("收到日期"), help_text=_("北京时间日期，期限自次日起算"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED)

    # --- the stored clock ------------------------------------------------------------------------------
    mark_due = models.DateField(_("标注期限"), null=True, blank=True)
    decision_due = models.DateField(_("答复期限"), null=True, blank=True)
    decision_cap = models.DateField(_("延长上限"), null=True, blank=True)
    provisional = models.BooleanField(
        _("期限为临时推算"), default=False, help_text=_("期限落在工作日历尚未录入的年度，录入后自动重算")
    )
    assisted = models.BooleanField(_("需协助核查"), default=False)
    paused_since = models.DateTimeField(_("暂停计时自"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("不计时工作日"), default=0)
    extended_total_days = models.PositiveIntegerField(_("延长后累计工作日"), null=True, blank=True)

    # --- what happened, when ---------------------------------------------------------------------------
    marked_at = models.DateTimeField(_("标注时间"), null=True, blank=True)
    marked_automatically = models.BooleanField(_("到期自动标注"), default=False)
    review_started_at = models.DateTimeField(_("开始核查"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    outcome = models.CharField(_("处理结果"), max_length=16, choices=Outcome.choices, blank=True)
    decision_reasons = models.TextField(_("处理意见及理由"), blank=True)
    decided_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)

    # --- sweeps' claims (compare-and-swap columns) ----------------------------------------------------------
    reminded_mark_for = models.DateField(_("已提醒标注期限"), null=True, blank=True, editable=False)
    reminded_decision_for = models.DateField(_("已提醒答复期限"), null=True, blank=True, editable=False)
    mark_escalated_at = models.DateTimeField(_("标注逾期督办"), null=True, blank=True)
    decision_escalated_at = models.DateTimeField(_("答复逾期督办"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("已督办"), null=True, blank=True, help_text=_("首次逾期上报负责人的时间"))

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["decision_due", "id"]
        indexes = [
            models.Index(fields=["mark_due"], condition=Q(status="received"), name="objection_mark_due_open"),
            models.Index(
                fields=["decision_due"], condition=Q(status__in=["received", "marked", "under_review"]),
                name="objection_decision_due_open",
            ),
            models.Index(fields=["provisional"], condition=Q(provisional=True), name="objection_provisional"),
            models.Index(fields=["handling_department", "status"], name="objection_dept_status"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    @property
    def policy(self):
        return policy_for(self.policy_code)


class ObjectionRecord(models.Model):
    """One record an objection is about, and what the decision did to it."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="items")
    record = models.ForeignKey("records.Record", verbose_name=_("信用记录"), on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("处理结果"), max_length=16, choices=Outcome.choices, blank=True)
    correction = models.JSONField(_("更正内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("异议记录")
        verbose_name_plural = _("异议记录")
        constraints = [models.UniqueConstraint(fields=["objection", "record"], name="objection_record_once")]

    def __str__(self) -> str:
        return f"{self.objection} · {self.record}"


class EventKind(models.TextChoices):
    RECEIVED = "received", _("受理")
    MARKED = "marked", _("异议标注")
    AUTO_MARKED = "auto_marked", _("到期自动标注")
    REVIEW_STARTED = "review_started", _("开始核查")
    ASSIGNED = "assigned", _("指定承办人")
    ASSISTANCE_REQUESTED = "assistance_requested", _("请求协助核查")
    ASSISTANCE_ANSWERED = "assistance_answered", _("协助单位反馈")
    PAUSED = "paused", _("暂停计时")
    RESUMED = "resumed", _("恢复计时")
    EXTENDED = "extended", _("延长期限")
    DECIDED = "decided", _("作出决定")
    CORRECTION_APPLIED = "correction_applied", _("更正已执行")
    MARK_REMOVED = "mark_removed", _("取消异议标注")
    WITHDRAWN = "withdrawn", _("申请人撤回")
    EVIDENCE_ADDED = "evidence_added", _("补充证明材料")
    REMINDED = "reminded", _("期限提醒")
    ESCALATED = "escalated", _("逾期督办")
    RECOMPUTED = "recomputed", _("期限重算")


class ObjectionEvent(TimelineEvent):
    """One step of an objection's timeline: what, when, who and why (the note the applicant sees). Append-only."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=24, choices=EventKind.choices)
    note = models.TextField(_("说明"), blank=True)
    public = models.BooleanField(_("申请人可见"), default=True)

    class Meta:
        verbose_name = _("异议办理过程")
        verbose_name_plural = _("异议办理过程")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["objection", "at"], name="objection_event_time")]

    def __str__(self) -> str:
        return f"{self.objection} {self.get_kind_display()}"


def _evidence_path(instance: Evidence, filename: str) -> str:
    # Never the uploaded name on disk: a random name under the objection's number.
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """证明材料: a PDF or image kept outside MEDIA_ROOT and served only through a view that checks access."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=_evidence_path, storage=evidence_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class AssistanceRequest(models.Model):
    """A request to another unit (usually the providing department) to verify (协助核查, Heilongjiang art. 53)."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="assistance_requests")
    department = models.ForeignKey(
        "credit_platform.Department", verbose_name=_("协助单位"), on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("核查事项"))
    requested_at = models.DateTimeField(_("发出时间"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发出人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    due = models.DateField(_("反馈期限"), null=True, blank=True)
    provisional = models.BooleanField(_("期限为临时推算"), default=False)
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    answer = models.TextField(_("核查结果"), blank=True)
    answered_by_label = models.CharField(_("反馈人"), max_length=200, blank=True)
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("逾期督办"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("协助核查")
        verbose_name_plural = _("协助核查")
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["due"], condition=Q(answered_at__isnull=True), name="assistance_due_open")]

    def __str__(self) -> str:
        return f"{self.objection} → {self.department}"


class ObjectionPause(models.Model):
    """Inspection / testing / quarantine / appraisal / expert review time not counted (Heilongjiang art. 53)."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="pauses")
    activity = models.CharField(_("事项"), max_length=32)
    reason = models.TextField(_("原因"))
    started_at = models.DateTimeField(_("开始"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("结束"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("恢复人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    working_days = models.PositiveIntegerField(_("不计时工作日"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("暂停计时")
        verbose_name_plural = _("暂停计时")
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["objection"], condition=Q(ended_at__isnull=True), name="one_open_pause"),
        ]

    def __str__(self) -> str:
        return f"{self.objection} {self.activity}"


# --- complaints about market credit collectors (Heilongjiang art. 57) -------------------------------------


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    HANDLING = "handling", _("核查处理中")
    ANSWERED = "answered", _("已书面答复")


class Complaint(models.Model):
    """A complaint that a market (non-public) credit collector infringed the complainant's rights."""

    number = models.CharField(_("投诉编号"), max_length=32, unique=True, editable=False)
    policy_code = models.CharField(_("适用规则"), max_length=32, editable=False)
    channel = models.CharField(_("受理渠道"), max_length=16, choices=Channel.choices)
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("投诉人账户"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="credit_complaints",
    )
    complainant_name = models.CharField(_("投诉人"), max_length=200)
    complainant_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    collector_name = models.CharField(_("被投诉的信用信息采集单位"), max_length=200)
    collector_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    statement = models.TextField(_("投诉事项"))
    handling_department = models.ForeignKey(
        "credit_platform.Department", verbose_name=_("受理部门"), on_delete=models.PROTECT, related_name="complaints"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("受理时间"))
    received_on = models.DateField(_("受理日期"))
    status = models.CharField(_("状态"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED)
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    provisional = models.BooleanField(_("期限为临时推算"), default=False)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answer = models.TextField(_("书面答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    answered_on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("逾期督办"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("信用信息采集投诉")
        verbose_name_plural = _("信用信息采集投诉")
        ordering = ["reply_due", "id"]
        indexes = [
            models.Index(fields=["reply_due"], condition=~Q(status="answered"), name="complaint_reply_due_open"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != ComplaintStatus.ANSWERED

    @property
    def policy(self):
        return policy_for(self.policy_code)


class ComplaintEvent(TimelineEvent):
    """One step of a complaint's handling (received, answered, recomputed …). Append-only."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=24)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("投诉办理过程")
        verbose_name_plural = _("投诉办理过程")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.kind}"


# --- providers' corrections and revocations (Heilongjiang art. 52, Qufu arts. 57–58) -------------------------


class ChangeDeadlineState(models.Model):
    """The sweeps' claims on one ``records.RecordChange`` clock (reminded, escalated), kept beside it.

    The change itself and its due dates belong to the records app; this row lets the same
    compare-and-swap sweep that watches objections remind and escalate overdue corrections exactly once.
    """

    change = models.OneToOneField(
        "records.RecordChange", verbose_name=_("更正与撤销"), on_delete=models.CASCADE, related_name="deadline_state"
    )
    reminded_for = models.DateField(null=True, blank=True)
    escalated_at = models.DateTimeField(_("逾期督办"), null=True, blank=True)
    platform_escalated_at = models.DateTimeField(_("平台逾期督办"), null=True, blank=True)

    class Meta:
        verbose_name = _("更正期限督办")
        verbose_name_plural = _("更正期限督办")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.change_id}"
