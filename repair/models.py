"""信用修复 applications with their clock and timeline, evidence, non-repairable case markings and repair notices.
(The outbox that tells every subscriber holding a record what changed, 一处修复、处处认可, is ``records.outbox``.)

Every due date is a column computed when the event happens (DESIGN.md principle 2); the sweeps in
``repair.sweeps`` act on these columns with compare-and-swap updates. Partial indexes cover only open rows.
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from credit_platform.models import Department
from credit_platform.policies.labels import code_label
from credit_platform.timeline import TimelineEvent
from repair.conf import evidence_storage


class Channel(models.TextChoices):
    PORTAL = "portal", _("网上申请")
    PAPER = "paper", _("窗口（纸质）申请")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    REFUSED = "refused", _("不予受理")
    ACCEPTED = "accepted", _("已受理，审核中")
    APPROVED = "approved", _("准予修复")
    REJECTED = "rejected", _("不予修复")
    TERMINATED = "terminated", _("终止修复")
    REVOKED = "revoked", _("修复结果已撤销")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED)
OPEN_Q = Q(status__in=[s.value for s in OPEN_STATUSES])


class RevocationGround(models.TextChoices):
    """Fuzhou art. 23."""

    FRAUD = "fraud", _("弄虚作假")
    CONCEALMENT = "concealment", _("故意隐瞒事实")
    BROKEN_COMMITMENT = "broken_commitment", _("未能履行信用修复承诺")


class RepairApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(OPEN_Q)


def _number() -> str:
    return f"XF{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}"


class RepairApplication(models.Model):
    """One application to repair one dishonesty record."""

    number = models.CharField(_("申请编号"), max_length=32, unique=True, default=_number, editable=False)
    policy_code = models.CharField(_("适用规则"), max_length=32, editable=False, help_text=_("申请时适用的政策配置"))
    record = models.ForeignKey("records.Record", verbose_name=_("失信信息"), on_delete=models.PROTECT, related_name="repair_applications")
    subject = models.ForeignKey("records.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="repair_applications")
    department = models.ForeignKey(
        "credit_platform.Department", verbose_name=_("认定（办理）部门"), on_delete=models.PROTECT, related_name="repair_applications",
    )
    channel = models.CharField(_("申请渠道"), max_length=16, choices=Channel.choices, default=Channel.PORTAL)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人账号"), null=True, blank=True, on_delete=models.PROTECT, related_name="repair_applications",
    )
    applicant_name = models.CharField(_("申请人"), max_length=200)
    applicant_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("窗口登记纸质申请的工作人员"),
    )
    correction_statement = models.TextField(_("纠正失信行为、履行义务情况说明"))
    commitment_text = models.TextField(_("信用承诺书（签署文本）"))
    commitment_signed_at = models.DateTimeField(_("承诺签署时间"))
    commitment_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承诺签署人账号"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    commitment_sha256 = models.CharField(_("承诺文本摘要"), max_length=64, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now)
    eligibility = models.JSONField(_("收到时的资格审查"), default=dict, blank=True)
    earliest_date = models.DateField(_("最早可申请日期"), null=True, blank=True)
    accept_due = models.DateField(_("受理期限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理（或不予受理）时间"), null=True, blank=True)
    decision_due = models.DateField(_("办结期限"), null=True, blank=True)
    provisional = models.BooleanField(_("期限为暂定"), default=False, help_text=_("期限所在年份的工作日历尚未录入"))
    extended_due = models.DateField(_("延长后办结期限"), null=True, blank=True)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    decision_reason = models.TextField(_("决定理由"), blank=True)
    repaired_on = models.DateField(_("修复日期"), null=True, blank=True)
    previous_status = models.CharField(_("修复前记录状态"), max_length=16, blank=True)
    previous_public_until = models.DateField(_("修复前公示截止"), null=True, blank=True)
    effects = models.JSONField(_("修复效果记录"), default=dict, blank=True, help_text=_("修复时改变的记录及其原状态，撤销修复时据此恢复"))
    revoked_at = models.DateTimeField(_("撤销修复时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    revocation_ground = models.CharField(_("撤销事由"), max_length=24, choices=RevocationGround.choices, blank=True)
    revocation_reason = models.TextField(_("撤销理由"), blank=True)
    # the sweeps' compare-and-swap claims
    accept_reminded_at = models.DateTimeField(_("受理期限提醒"), null=True, blank=True)
    accept_escalated_at = models.DateTimeField(_("受理逾期督办"), null=True, blank=True)
    decision_reminded_at = models.DateTimeField(_("办结期限提醒"), null=True, blank=True)
    decision_escalated_at = models.DateTimeField(_("办结逾期督办"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("指定承办本案的审核人员；其持有本案的对象权限（django-guardian），可办理本案"),
    )
    history = HistoricalRecords()

    objects = RepairApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["accept_due"], condition=Q(status="submitted"), name="repair_accept_due_open"),
            models.Index(fields=["decision_due"], condition=Q(status="accepted"), name="repair_decision_due_open"),
            models.Index(fields=["department", "status"], name="repair_dept_status"),
        ]
        constraints = [
            # one open application per record at a time
            models.UniqueConstraint(fields=["record"], condition=Q(status__in=["submitted", "accepted"]), name="repair_one_open_per_record"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def effective_decision_due(self):
        return self.extended_due or self.decision_due

    @property
    def current_due(self):
        if self.status == Status.SUBMITTED:
            return self.accept_due
        if self.status == Status.ACCEPTED:
            return self.effective_decision_due
        return None


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交申请")
    REGISTERED = "registered", _("窗口登记")
    REFUSED = "refused", _("不予受理")
    ACCEPTED = "accepted", _("受理")
    EVIDENCE_ADDED = "evidence_added", _("补充材料")
    EXTENDED = "extended", _("延长办理期限")
    APPROVED = "approved", _("准予修复")
    REJECTED = "rejected", _("不予修复")
    TERMINATED = "terminated", _("终止修复程序")
    EFFECTS_APPLIED = "effects_applied", _("修复结果已生效")
    REVOKED = "revoked", _("撤销修复结果")
    WITHDRAWN = "withdrawn", _("申请人撤回")
    REMINDED = "reminded", _("期限提醒")
    ESCALATED = "escalated", _("逾期督办")
    RECOMPUTED = "recomputed", _("期限重算")
    ASSIGNED = "assigned", _("指定承办人")


class RepairEvent(TimelineEvent):
    """One step of an application's timeline: what, when, who and why (the reason given). Append-only."""

    application = models.ForeignKey(RepairApplication, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=24, choices=EventKind.choices)
    reason = models.TextField(_("理由/说明"), blank=True)
    public = models.BooleanField(_("申请人可见"), default=True)

    class Meta:
        verbose_name = _("修复办理过程")
        verbose_name_plural = _("修复办理过程")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "at"], name="repair_event_time")]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()}"


class EvidenceKind(models.TextChoices):
    CORRECTION = "correction", _("纠正失信行为、履行处罚的证明")
    TRAINING = "training", _("信用修复培训证明")
    CREDIT_REPORT = "credit_report", _("第三方信用报告")
    OTHER = "other", _("其他材料")


def _evidence_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"repair/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class RepairEvidence(models.Model):
    """证明材料: PDF or image, kept outside MEDIA_ROOT and served only through a view that checks access."""

    application = models.ForeignKey(RepairApplication, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("材料类型"), max_length=16, choices=EvidenceKind.choices, default=EvidenceKind.CORRECTION)
    file = models.FileField(_("文件"), upload_to=_evidence_path, storage=evidence_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        verbose_name = _("修复证明材料")
        verbose_name_plural = _("修复证明材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class NonRepairableMarking(models.Model):
    """The deciding department's determination that a record falls under a statutory non-repairable case
    (Fuzhou art. 22; ``other_law``: a law, regulation or central policy document, Order 36 art. 2)."""

    record = models.ForeignKey("records.Record", verbose_name=_("失信信息"), on_delete=models.CASCADE, related_name="non_repairable_markings")
    case = models.CharField(_("不予修复情形"), max_length=32)
    legal_basis = models.TextField(_("依据"), blank=True, help_text=_("“其他法律法规规定”时必填：法律、法规或政策文件及条款"))
    note = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("有效"), default=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("认定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    marked_at = models.DateTimeField(_("认定时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("不予修复情形认定")
        verbose_name_plural = _("不予修复情形认定")
        constraints = [models.UniqueConstraint(fields=["record", "case"], condition=Q(active=True), name="repair_marking_once")]

    def __str__(self) -> str:
        return f"{self.record_id} {code_label(self.case)}"


class RepairNotice(models.Model):
    """信用修复告知书: generated from the current eligibility whenever shown; this row records that one exists
    for the record and when it first reached the subject (两书同达)."""

    record = models.OneToOneField("records.Record", verbose_name=_("失信信息"), on_delete=models.CASCADE, related_name="repair_notice")
    number = models.CharField(_("告知书编号"), max_length=32, unique=True)
    generated_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    first_delivered_at = models.DateTimeField(_("首次送达时间"), null=True, blank=True)
    delivered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("首次送达账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    delivery_channel = models.CharField(_("送达渠道"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("信用修复告知书")
        verbose_name_plural = _("信用修复告知书")
        ordering = ["-generated_at"]

    def __str__(self) -> str:
        return self.number


class DepartmentRepairStats(Department):
    """Admin view of each department's repair workload and timeliness."""

    class Meta:
        proxy = True
        verbose_name = _("修复办理统计")
        verbose_name_plural = _("修复办理统计")
