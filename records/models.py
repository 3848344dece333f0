"""信用主体 subjects, their related persons, 信用记录 records and the corrections / revocations made to them."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalog.models import Category
from credit_platform.models import Department
from credit_platform.workdays import local_date


class SubjectType(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人")
    UNINCORPORATED = "unincorporated", _("非法人组织")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")


ORGANISATION_TYPES = (SubjectType.LEGAL_PERSON, SubjectType.UNINCORPORATED, SubjectType.INDIVIDUAL_BUSINESS)


class CodeType(models.TextChoices):
    RIC = "ric", _("居民身份证号码")
    USCC = "uscc", _("统一社会信用代码")
    PASSPORT = "passport", _("护照")
    HK_MACAO_PERMIT = "hk_macao_permit", _("港澳居民来往内地通行证/居住证")
    TAIWAN_PERMIT = "taiwan_permit", _("台湾居民来往大陆通行证/居住证")
    FOREIGN_PERMANENT_ID = "foreign_permanent_id", _("外国人永久居留身份证")
    OTHER = "other", _("其他有效身份证件")


class RelatedRole(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
    PRINCIPAL = "principal", _("主要负责人")
    ACTUAL_CONTROLLER = "actual_controller", _("实际控制人")
    DIRECTOR = "director", _("董事")
    SUPERVISOR = "supervisor", _("监事")
    MANAGER = "manager", _("其他主要经营管理者")
    DIRECT_RESPONSIBLE = "direct_responsible", _("其他直接责任人")


class Severity(models.TextChoices):
    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SEVERE = "severe", _("严重")
    SPECIFIC_SEVERE = "specific_severe", _("特定严重")


SEVERE_TIERS = (Severity.SEVERE, Severity.SPECIFIC_SEVERE)


class Procedure(models.TextChoices):
    GENERAL = "general", _("一般程序")
    SIMPLIFIED = "simplified", _("简易程序")


class PenaltyType(models.TextChoices):
    """行政处罚法 art. 9."""

    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATION = "confiscation", _("没收违法所得、没收非法财物")
    PERMIT_SUSPENSION = "permit_suspension", _("暂扣许可证件")
    QUALIFICATION_DOWNGRADE = "qualification_downgrade", _("降低资质等级")
    PERMIT_REVOCATION = "permit_revocation", _("吊销许可证件")
    ACTIVITY_RESTRICTION = "activity_restriction", _("限制开展生产经营活动")
    SUSPENSION_OF_BUSINESS = "suspension_of_business", _("责令停产停业")
    CLOSURE = "closure", _("责令关闭")
    EMPLOYMENT_RESTRICTION = "employment_restriction", _("限制从业")
    DETENTION = "detention", _("行政拘留")
    OTHER = "other", _("其他行政处罚")


class RecordStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    CORRECTED = "corrected", _("已更正")
    REVOKED = "revoked", _("已撤销")
    REPAIRED = "repaired", _("已修复")
    EXPIRED = "expired", _("已届满")
    SHIELDED = "shielded", _("已屏蔽")


#: The record statuses that still count against (or for) a subject: shown to third parties, listed, repairable, expiring.
#: A corrected record stays live with its corrected content; revoked, repaired, expired and shielded ones do not.
LIVE_STATUSES = (RecordStatus.ACTIVE.value, RecordStatus.CORRECTED.value)


class Subject(models.Model):
    """A credit subject, keyed by 公民身份号码 / 统一社会信用代码 or, failing those, another typed document."""

    type = models.CharField(_("主体类型"), max_length=24, choices=SubjectType.choices)
    code_type = models.CharField(_("证件类型"), max_length=24, choices=CodeType.choices)
    code = models.CharField(_("证件号码/统一社会信用代码"), max_length=64)
    name = models.CharField(_("名称/姓名"), max_length=200)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True, help_text=_("自然人，由身份证号码得出"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("信用主体")
        verbose_name_plural = _("信用主体")
        # code first: the same index serves lookups by code alone (admin search, ingestion joins).
        constraints = [models.UniqueConstraint(fields=["code", "code_type"], name="subject_identifier_unique")]
        # case-insensitive lookups by code (joint check, list and evaluation APIs: code__iexact → UPPER(code) = …)
        indexes = [models.Index(Upper("code"), name="subject_code_upper_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.masked_code}）"

    @property
    def is_natural_person(self) -> bool:
        return self.type == SubjectType.NATURAL_PERSON

    @property
    def masked_code(self) -> str:
        """Personal identifiers never appear in full outside the record itself (DESIGN.md principle 5)."""
        if self.type != SubjectType.NATURAL_PERSON or len(self.code) < 8:
            return self.code
        return self.code[:4] + "*" * (len(self.code) - 8) + self.code[-4:]


class RelatedPerson(models.Model):
    """法定代表人、主要负责人、实际控制人、董事、监事 … of an organisation (Karamay art. 11(2))."""

    organisation = models.ForeignKey(Subject, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="related_persons")
    person = models.ForeignKey(Subject, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="roles_held")
    role = models.CharField(_("身份"), max_length=24, choices=RelatedRole.choices)
    since = models.DateField(_("任职起"), null=True, blank=True)
    until = models.DateField(_("任职止"), null=True, blank=True)
    source_department = models.ForeignKey(
        Department, verbose_name=_("来源部门"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("关联人员")
        verbose_name_plural = _("关联人员")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person", "role"], name="related_person_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} {self.get_role_display()} {self.person.name}"


class Record(models.Model):
    """A credit record (信用记录) pushed by a providing department under a catalog item."""

    subject = models.ForeignKey(Subject, verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="records")
    # No database-level constraint on catalog_item and source_department: each pushed row would otherwise take a
    # FOR KEY SHARE lock on the same item and department row (contention between concurrent batches).
    # Integrity holds without it: PROTECT is enforced by the ORM, published catalog items cannot be
    # changed or deleted (catalog.models), and departments are deactivated, never deleted.
    catalog_item = models.ForeignKey(
        "catalog.CatalogItem", verbose_name=_("目录条目"), on_delete=models.PROTECT, related_name="records",
        db_constraint=False,
    )
    category = models.CharField(_("信息类别"), max_length=16, choices=Category.choices)
    severity = models.CharField(_("失信严重程度"), max_length=16, choices=Severity.choices, blank=True, default="")
    source_department = models.ForeignKey(
        Department, verbose_name=_("提供单位"), on_delete=models.PROTECT, related_name="records", db_index=False,
        db_constraint=False,
    )
    source_ref = models.CharField(_("部门记录编号"), max_length=160)
    basis_number = models.CharField(_("依据文书文号"), max_length=128, blank=True)
    basis_issuer = models.CharField(_("依据文书制发机关"), max_length=200, blank=True)
    basis_issued_on = models.DateField(_("依据文书日期"), null=True, blank=True)
    procedure = models.CharField(_("处罚程序"), max_length=16, choices=Procedure.choices, blank=True, default="")
    penalty_types = models.JSONField(_("处罚种类"), default=list, blank=True)
    occurred_on = models.DateField(_("行为发生日期"), null=True, blank=True)
    decided_on = models.DateField(_("认定（决定）日期"), null=True, blank=True)
    ended_on = models.DateField(_("行为终止日期"), null=True, blank=True, help_text=_("持续的行为尚无终止日期"))
    content = models.JSONField(_("记录内容"), default=dict, blank=True)
    responsible_persons = models.JSONField(_("推送的责任人"), default=list, blank=True)
    consent_ref = models.CharField(_("书面同意凭证"), max_length=128, blank=True)
    guardian_consent_ref = models.CharField(_("监护人同意凭证"), max_length=128, blank=True)
    minor_violation = models.BooleanField(_("违法行为轻微"), default=False)
    harm_mitigated = models.BooleanField(_("主动消除或减轻危害后果"), default=False)
    first_offence = models.BooleanField(_("初次违法"), default=False)
    # Facts the statutes read, explicit in the push contract instead of hidden in the catalog's free content.
    slight_harm = models.BooleanField(
        _("危害后果轻微"), default=False, db_default=False,
        help_text=_("黑龙江第十九条“初次违法且危害后果轻微并主动消除或者减轻危害后果”中的“危害后果轻微”，不同于违法行为轻微"),
    )
    continuing = models.BooleanField(
        _("失信行为处于持续状态"), default=False, db_default=False,
        help_text=_("克拉玛依第三十三条、黑龙江第五十一条：持续的失信行为自终止之日起计算公示期限"),
    )
    criminal_liability = models.BooleanField(
        _("被依法追究刑事责任"), default=False, db_default=False, help_text=_("黑龙江第五十一条：特定领域应当长期公示"),
    )
    lifetime_market_ban = models.BooleanField(
        _("被处以终身市场禁入"), default=False, db_default=False, help_text=_("黑龙江第五十一条：特定领域应当长期公示"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=RecordStatus.choices, default=RecordStatus.ACTIVE)
    received_at = models.DateTimeField(_("首次接收时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    push_due = models.DateField(_("推送期限"), null=True, blank=True)
    push_due_provisional = models.BooleanField(_("推送期限为暂定"), default=False)
    pushed_late = models.BooleanField(_("逾期推送"), null=True, blank=True)
    content_hash = models.CharField(_("内容摘要"), max_length=40, editable=False)
    disputed = models.BooleanField(_("异议标注"), default=False)
    public_from = models.DateField(_("公示起始"), null=True, blank=True)
    public_until = models.DateField(_("公示截止"), null=True, blank=True)
    retain_until = models.DateField(_("保存截止"), null=True, blank=True)
    domain = models.CharField(_("领域"), max_length=32, blank=True)
    is_minor = models.BooleanField(_("行为时未成年"), null=True, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("来源记录"), null=True, blank=True, on_delete=models.CASCADE, related_name="derived",
        db_index=False, help_text=_("单位严重失信记录同步记入其责任人时，指向单位的记录"),
    )
    derived_role = models.CharField(_("责任人身份"), max_length=24, choices=RelatedRole.choices, blank=True)
    # History is read per record (by id); indexing its foreign keys would only slow every push down.
    history = HistoricalRecords(no_db_index=["subject", "catalog_item", "source_department", "parent"])

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_department", "source_ref"], name="record_source_ref_unique"),
        ]
        indexes = [
            models.Index(fields=["parent"], condition=Q(parent__isnull=False), name="record_parent_idx"),
            models.Index(fields=["push_due"], condition=Q(push_due_provisional=True), name="record_provisional_due_idx"),
            # the few repaired records, for the nightly end of their publicity (disclosure.sweeps.end_publicity)
            models.Index(fields=["id"], condition=Q(status="repaired"), name="record_repaired_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source_ref}（{self.get_category_display()}）"

    @property
    def is_dishonesty(self) -> bool:
        return self.category == Category.DISHONESTY


class RecordChange(models.Model):
    """A correction or revocation by the providing department, with its statutory clock.

    ``trigger_date`` starts the clock (the day the error was found, or the day the basis document was revoked
    or changed); ``due_on`` is the provider's deadline from the profile; ``platform_due_on`` the platform's
    (revocations, Heilongjiang art. 52). ``on_time`` compares ``done_at`` with ``due_on``.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("更正")
        REVOCATION = "revocation", _("撤销")

    class BasisAction(models.TextChoices):
        REVOKED = "revoked", _("依据被撤销")
        CHANGED = "changed", _("依据被变更")
        ANNULLED = "annulled", _("依据被确认无效")
        ILLEGAL = "confirmed_illegal", _("依据被确认违法")

    record = models.ForeignKey(Record, verbose_name=_("信用记录"), on_delete=models.CASCADE, related_name="changes")
    department = models.ForeignKey(Department, verbose_name=_("提出部门"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    basis_action = models.CharField(_("依据变化"), max_length=24, choices=BasisAction.choices, blank=True)
    reason = models.TextField(_("理由"))
    document_number = models.CharField(_("文书文号"), max_length=128, blank=True)
    document_issuer = models.CharField(_("文书制发机关"), max_length=200, blank=True)
    document_date = models.DateField(_("文书日期"), null=True, blank=True)
    trigger_date = models.DateField(_("起算日"), help_text=_("发现错误之日或依据被改变之日"))
    requested_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    due_on = models.DateField(_("提供单位办理期限"), null=True, blank=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    platform_due_on = models.DateField(_("平台办理期限"), null=True, blank=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    on_time = models.BooleanField(_("按期办理"), null=True, blank=True)
    platform_on_time = models.BooleanField(_("平台按期办理"), null=True, blank=True)
    article = models.CharField(_("期限依据"), max_length=300, blank=True)
    changed_fields = models.JSONField(_("变更字段"), default=list, blank=True)

    class Meta:
        verbose_name = _("更正与撤销")
        verbose_name_plural = _("更正与撤销")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.record.source_ref}"


class IngestBatch(models.Model):
    """One push (a batch or a single record) from a department's system: counts, for audit and monitoring."""

    department = models.ForeignKey(Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now, db_index=True)
    total = models.PositiveIntegerField(_("条数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    rejected = models.PositiveIntegerField(_("拒收"), default=0)
    late = models.PositiveIntegerField(_("逾期推送"), default=0)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    rejection_codes = models.JSONField(_("拒收原因统计"), default=dict, blank=True)

    class Meta:
        verbose_name = _("推送批次")
        verbose_name_plural = _("推送批次")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.department.code} {self.received_at:%Y-%m-%d %H:%M:%S}"


class DepartmentTimeliness(Department):
    """Admin view of each providing department's on-time push rate (Heilongjiang art. 22)."""

    class Meta:
        proxy = True
        verbose_name = _("部门推送及时率")
        verbose_name_plural = _("部门推送及时率")


class ProvincialForward(models.Model):
    """One delivery of a record (or of its correction or revocation) to the provincial credit platform.

    Heilongjiang art. 22 para. 2: the municipal platform forwards what it collected to the provincial platform
    within the profile's working days of collection (归集之日). ``due_on`` is computed when the record is collected
    and stored (DESIGN.md principle 2); the ``records_provincial`` sweep sends what is due, retries with backoff and
    flags what is overdue. ``ack`` is the provincial platform's acknowledgement, kept as received.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("新增")
        UPDATED = "updated", _("变更")
        CORRECTED = "corrected", _("更正")
        REVOKED = "revoked", _("撤销")

    class Status(models.TextChoices):
        PENDING = "pending", _("待推送")
        SENDING = "sending", _("推送中")
        ACKNOWLEDGED = "acknowledged", _("省平台已确认")
        DEAD = "dead", _("推送失败（已停止重试）")

    event_id = models.UUIDField(_("事件编号"), default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(Record, verbose_name=_("信用记录"), on_delete=models.CASCADE,
                               related_name="provincial_forwards")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    payload = models.JSONField(_("推送内容"), default=dict)
    collected_on = models.DateField(_("归集日期"))
    due_on = models.DateField(_("推送期限"))
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    article = models.CharField(_("期限依据"), max_length=300)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    ack_id = models.CharField(_("省平台回执编号"), max_length=128, blank=True)
    ack = models.JSONField(_("省平台回执"), null=True, blank=True)
    late = models.BooleanField(_("逾期推送"), null=True, blank=True, help_text=_("确认日期晚于推送期限"))
    overdue_at = models.DateTimeField(_("逾期发现时间"), null=True, blank=True,
                                      help_text=_("巡检发现已过推送期限仍未获确认的时间"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("向省平台推送")
        verbose_name_plural = _("向省平台推送")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status__in=["pending", "sending"]),
                         name="provincial_fwd_due_idx"),
            models.Index(fields=["due_on"], condition=Q(overdue_at__isnull=True) & ~Q(status="acknowledged"),
                         name="provincial_fwd_overdue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.record_id} → 省平台"

    @property
    def overdue(self) -> bool:
        """Not acknowledged by the end of its due day, or acknowledged late."""
        if self.status == self.Status.ACKNOWLEDGED:
            return bool(self.late)
        return local_date(timezone.now()) > self.due_on


# --- the change outbox (records.outbox) ---------------------------------------------------------------------------
# Beside the records it publishes (moved from the repair app; the tables keep their ``repair_*`` names).


class Subscription(models.Model):
    """A department or credit-service agency that holds records and must hear of every change to them."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("政府部门")
        AGENCY = "agency", _("信用服务机构")

    class Scope(models.TextChoices):
        PROVIDED = "provided", _("本部门提供的记录")
        HELD = "held", _("登记持有的记录")
        ALL = "all", _("全部记录")

    name = models.CharField(_("订阅方名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.DEPARTMENT)
    department = models.ForeignKey(
        "credit_platform.Department", verbose_name=_("部门"), null=True, blank=True, on_delete=models.CASCADE, related_name="repair_subscriptions",
    )
    scope = models.CharField(
        _("范围"), max_length=16, choices=Scope.choices, default=Scope.HELD,
        help_text=_("除此之外，登记为持有某条记录的订阅方总会收到该记录的变化"),
    )
    url = models.URLField(_("回调地址"), max_length=500)
    secret = models.CharField(_("签名密钥"), max_length=128, default="", blank=True, help_text=_("HMAC-SHA256 签名密钥；留空自动生成"))
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["secret"], table_name="repair_historicalsubscription")

    class Meta:
        db_table = "repair_subscription"
        verbose_name = _("变更订阅方")
        verbose_name_plural = _("变更订阅方")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.secret:
            self.secret = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)


class RecordHolding(models.Model):
    """A subscriber holds a copy of a record (it was shared to it); changes to the record reach it."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="holdings")
    record_id = models.BigIntegerField(_("记录ID"), db_index=True)
    since = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        db_table = "repair_recordholding"
        verbose_name = _("记录持有登记")
        verbose_name_plural = _("记录持有登记")
        constraints = [models.UniqueConstraint(fields=["subscription", "record_id"], name="repair_holding_once")]

    def __str__(self) -> str:
        return f"{self.subscription} 持有记录 {self.record_id}"


class OutboxEvent(models.Model):
    """One change to one record, written in the same transaction as the change.

    Keeps the record's id and references rather than a foreign key: the event must outlive any later
    change to the record and be readable by every app without importing the records models.
    """

    event_id = models.UUIDField(_("事件ID"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("变化类型"), max_length=32, db_index=True)
    record_id = models.BigIntegerField(_("记录ID"), db_index=True)
    record_ref = models.CharField(_("部门记录编号"), max_length=160, blank=True)
    subject_id = models.BigIntegerField(_("主体ID"), null=True, blank=True, db_index=True)
    source_department_id = models.BigIntegerField(_("提供单位ID"), null=True, blank=True)
    payload = models.JSONField(_("内容"), default=dict)
    created_at = models.DateTimeField(_("发生时间"), default=timezone.now, db_index=True)

    class Meta:
        db_table = "repair_outboxevent"
        verbose_name = _("变更事件")
        verbose_name_plural = _("变更事件")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.record_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    DELIVERED = "delivered", _("已送达")
    DEAD = "dead", _("发送失败（死信）")


class OutboxDelivery(models.Model):
    """The delivery of one event to one subscriber: attempts, backoff, dead letter, acknowledgement."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(_("状态"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    claimed_until = models.DateTimeField(_("占用至"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    ack_note = models.CharField(_("确认说明"), max_length=200, blank=True)
    dead_at = models.DateTimeField(_("转入死信时间"), null=True, blank=True)

    class Meta:
        db_table = "repair_outboxdelivery"
        verbose_name = _("变更投递")
        verbose_name_plural = _("变更投递")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["event", "subscription"], name="repair_delivery_once")]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status__in=["pending", "sending"]), name="repair_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription}"


class DeadLetter(OutboxDelivery):
    """Admin view of the deliveries that gave up (死信队列)."""

    class Meta:
        proxy = True
        verbose_name = _("死信投递")
        verbose_name_plural = _("死信投递")
