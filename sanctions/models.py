"""守信激励 / 失信惩戒: measure lists, matters, the joint check log, red and severe lists with due process,
credit commitments, evaluations and interviews.

Business rules are in ``sanctions.rules`` (pure) and ``sanctions.services`` (workflow); models only hold data
and refuse the few changes that would break the audit trail (a published list, a logged check).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from credit_platform.models import Department
from sanctions import rules


class Frozen(ValidationError):
    """Raised when something tries to change a published measure list or a logged joint check."""


# --- vocabularies -------------------------------------------------------------------------------------------------
class Kind(models.TextChoices):
    INCENTIVE = rules.INCENTIVE, _("守信激励")
    PUNISHMENT = rules.PUNISHMENT, _("失信惩戒")


class Trigger(models.TextChoices):
    RECORD = rules.TRIGGER_RECORD, _("信用信息")
    RED_LIST = rules.TRIGGER_RED_LIST, _("守信激励对象名单")
    SEVERE_LIST = rules.TRIGGER_SEVERE_LIST, _("严重失信主体名单")
    BROKEN_COMMITMENT = rules.TRIGGER_BROKEN_COMMITMENT, _("虚假承诺或未履行承诺")
    GRADE = rules.TRIGGER_GRADE, _("公共信用综合评价等级")


class Tier(models.TextChoices):
    GENERAL = rules.TIER_GENERAL, _("一般失信惩戒措施")
    SEVERE = rules.TIER_SEVERE, _("严重失信主体惩戒措施")


class RightsImpact(models.TextChoices):
    NONE = rules.IMPACT_NONE, _("不减损权益（提醒、宣传、便利）")
    FACILITATION = rules.IMPACT_FACILITATION, _("不适用或取消便利化措施")
    RIGHTS = rules.IMPACT_RIGHTS, _("减损权益或增加义务")
    BASIC_RIGHTS = rules.IMPACT_BASIC_RIGHTS, _("限制法定权利或基本公共服务")


class BasisLevel(models.TextChoices):
    LAW = rules.BASIS_LAW, _("法律")
    ADMIN_REGULATION = rules.BASIS_ADMIN_REGULATION, _("行政法规")
    LOCAL_REGULATION = rules.BASIS_LOCAL_REGULATION, _("地方性法规")
    CENTRAL_POLICY = rules.BASIS_CENTRAL_POLICY, _("党中央、国务院政策文件")
    RULE = rules.BASIS_RULE, _("规章")
    NORMATIVE = rules.BASIS_NORMATIVE, _("规范性文件")


SUBJECT_TYPE_CHOICES = (
    ("natural_person", _("自然人")),
    ("legal_person", _("法人")),
    ("unincorporated", _("非法人组织")),
    ("individual_business", _("个体工商户")),
)
SEVERITY_CHOICES = (("minor", _("轻微")), ("general", _("一般")), ("severe", _("严重")), ("specific_severe", _("特定严重")))
CATEGORY_CHOICES = (("trust", _("守信信息")), ("dishonesty", _("失信信息")))


def actor_label(actor) -> str:
    """A printable identity for whoever acted: an official, a department system, the subject or the platform."""
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor[:150]
    return str(getattr(actor, "username", actor))[:150]


def user_or_none(actor):
    """The ``User`` to store in a FK (department systems and the platform have none)."""
    if actor is None or isinstance(actor, str) or getattr(actor, "is_department_client", False):
        return None
    return actor if getattr(actor, "pk", None) else None


def history_user(instance=None, request=None, **kwargs):
    """The ``User`` to write in history rows: the one a service set, else the request's user, never a department
    system (it has no ``User`` row; the step log names it)."""
    user = getattr(instance, "_history_user", None)
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user_or_none(user)


# --- measure lists --------------------------------------------------------------------------------------------------
class MeasureList(models.Model):
    """A list of incentive or punishment measures (措施清单): the national base list, a provincial or the local
    supplementary list (Karamay art. 23, Heilongjiang art. 39, Qufu art. 40, Zhangye art. 43, Fuzhou art. 15).

    draft → public comment → approved → published; a published list is frozen and replaced by a new version.
    Only measures of a published list in force can ever be applied (Heilongjiang art. 39, Fuzhou art. 15).
    """

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国基础清单")
        PROVINCIAL = "provincial", _("省级补充清单")
        MUNICIPAL = "municipal", _("本市补充清单")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLIC_COMMENT = "public_comment", _("公开征求意见")
        APPROVED = "approved", _("已批准")
        PUBLISHED = "published", _("已公布")
        REPEALED = "repealed", _("已废止")

    EDITABLE = (Status.DRAFT, Status.PUBLIC_COMMENT)
    LIFECYCLE_FIELDS = frozenset({"status", "published_at", "effective_from", "review_due", "repealed_at", "notes",
                                  "publication_ref", "superseded_by"})

    title = models.CharField(_("清单名称"), max_length=200)
    level = models.CharField(_("清单层级"), max_length=16, choices=Level.choices, default=Level.MUNICIPAL)
    version_label = models.CharField(_("版本"), max_length=40)
    issuer = models.CharField(_("编制/发布机关"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    comment_opens_on = models.DateField(_("征求意见开始"), null=True, blank=True)
    comment_closes_on = models.DateField(_("征求意见截止"), null=True, blank=True)
    approval_document = models.CharField(_("批准文件"), max_length=200, blank=True,
                                         help_text=_("本级人民政府批准文件文号（克拉玛依第二十三条）或国家发布文号"))
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True, db_index=True)
    publication_ref = models.CharField(_("公布载体"), max_length=300, blank=True, help_text=_("如 信用门户网站公告链接"))
    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    review_due = models.DateField(_("下次调整到期日"), null=True, blank=True)
    repealed_at = models.DateTimeField(_("废止时间"), null=True, blank=True)
    superseded_by = models.ForeignKey("self", verbose_name=_("被新版本替代"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    notes = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("措施清单")
        verbose_name_plural = _("措施清单")
        ordering = ["level", "-published_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.version_label}，{self.get_status_display()}）"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def save(self, *args, **kwargs):
        if self.pk is not None:
            previous = type(self).objects.filter(pk=self.pk).first()
            if previous is not None and previous.status not in self.EDITABLE:
                changed = [
                    f.name for f in self._meta.concrete_fields
                    if f.name not in self.LIFECYCLE_FIELDS and getattr(previous, f.attname) != getattr(self, f.attname)
                ]
                if changed:
                    raise Frozen(_("已批准或已公布的清单不得修改，请创建新版本 / an approved or published list is frozen"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status not in self.EDITABLE:
            raise Frozen(_("已批准或已公布的清单不得删除 / a published list cannot be deleted"))
        return super().delete(*args, **kwargs)


class MeasureComment(models.Model):
    """An opinion on a draft list (Karamay art. 23 para. 3: market subjects, associations, lawyers, experts, public)."""

    measure_list = models.ForeignKey(MeasureList, verbose_name=_("清单"), on_delete=models.CASCADE, related_name="comments")
    author = models.CharField(_("提出人"), max_length=200)
    organisation = models.CharField(_("单位"), max_length=200, blank=True)
    content = models.TextField(_("意见"))
    submitted_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    response = models.TextField(_("采纳情况"), blank=True)

    class Meta:
        verbose_name = _("清单征求意见")
        verbose_name_plural = _("清单征求意见")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.author}：{self.content[:30]}"


class Matter(models.Model):
    """A matter a department acts on and checks first (政府采购、行政许可、财政资金补助、公务员录用 …)."""

    code = models.SlugField(_("事项编码"), max_length=64, unique=True)
    name = models.CharField(_("事项名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    query_purpose = models.CharField(_("对应查询用途"), max_length=64, blank=True,
                                     help_text=_("政策配置中的查询用途代码（如 public_resource_trading）"))
    commitment_route = models.BooleanField(_("可适用信用承诺制"), default=False,
                                           help_text=_("该事项可以告知承诺方式办理（黑龙江第二十八条）"))
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("应用事项")
        verbose_name_plural = _("应用事项")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class MeasureQuerySet(models.QuerySet):
    def published(self, at=None):
        """Measures of lists published and in force at ``at`` (an aware datetime; default now), not withdrawn."""
        now = at or timezone.now()
        day = timezone.localdate(now)
        return self.filter(
            measure_list__status=MeasureList.Status.PUBLISHED, measure_list__published_at__lte=now, withdrawn=False,
        ).filter(Q(measure_list__effective_from__isnull=True) | Q(measure_list__effective_from__lte=day))

    def update(self, **kwargs):
        if self.exclude(measure_list__status__in=MeasureList.EDITABLE).exists() and set(kwargs) - {"withdrawn"}:
            raise Frozen(_("已公布清单的措施不得修改 / measures of a published list are frozen"))
        return super().update(**kwargs)


class Measure(models.Model):
    """One measure: matter, target, means, implementing body, legal basis, and what triggers it."""

    measure_list = models.ForeignKey(MeasureList, verbose_name=_("所属清单"), on_delete=models.CASCADE, related_name="measures")
    code = models.SlugField(_("措施编码"), max_length=64)
    name = models.CharField(_("措施名称"), max_length=300)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    matters = models.ManyToManyField(Matter, verbose_name=_("适用事项"), related_name="measures", blank=True)
    target = models.CharField(_("实施对象"), max_length=300, help_text=_("如 列入严重失信主体名单的法人及其法定代表人"))
    target_types = models.JSONField(_("实施对象主体类型"), default=list)
    means = models.TextField(_("实施手段"))
    implementer = models.CharField(_("实施主体"), max_length=300)
    implementing_departments = models.ManyToManyField("credit_platform.Department", verbose_name=_("实施部门"),
                                                      related_name="+", blank=True)
    legal_basis = models.TextField(_("实施依据"))
    basis_level = models.CharField(_("依据层级"), max_length=32, choices=BasisLevel.choices, default=BasisLevel.LAW)
    trigger = models.CharField(_("适用情形"), max_length=24, choices=Trigger.choices)
    tier = models.CharField(_("惩戒层级"), max_length=16, choices=Tier.choices, blank=True,
                            help_text=_("严重失信主体惩戒措施不得适用于一般失信行为（过惩相当）"))
    categories = models.JSONField(_("适用信息类别"), default=list, blank=True)
    severities = models.JSONField(_("适用失信严重程度"), default=list, blank=True)
    grades = models.JSONField(_("适用评价等级"), default=list, blank=True)
    domains = models.JSONField(_("关联领域"), default=list, blank=True, help_text=_("留空为不限领域；填写则只对相关联领域的失信行为适用"))
    rights_impact = models.CharField(_("对权益的影响"), max_length=16, choices=RightsImpact.choices, default=RightsImpact.NONE)
    withdrawn = models.BooleanField(_("已停止实施"), default=False)
    clean_record_condition = models.BooleanField(
        _("须连续无不良信用记录"), default=False, db_default=False,
        help_text=_("福州第十六条第（一）项：“绿色通道”“容缺受理”等便利服务措施只对连续三年（按适用规定的年限）无不良信用记录的"
                    "申请人实施；已届满、已修复的记录不算不良信用记录"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords(m2m_fields=[matters], get_user=history_user)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("措施")
        verbose_name_plural = _("措施")
        ordering = ["measure_list", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["measure_list", "code"], name="measure_code_unique_per_list")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        super().clean()
        from credit_platform.policies import active_policy

        errors = rules.measure_errors(self, active_policy())
        if errors:
            raise ValidationError(errors)

    def _list_frozen(self) -> bool:
        if not self.measure_list_id:
            return False
        status = MeasureList.objects.filter(pk=self.measure_list_id).values_list("status", flat=True).first()
        return status not in MeasureList.EDITABLE

    def save(self, *args, **kwargs):
        if self._list_frozen():
            update_fields = kwargs.get("update_fields")
            if not (update_fields and set(update_fields) <= {"withdrawn"}):
                raise Frozen(_("已公布清单的措施不得修改 / measures of a published list are frozen"))
        self.full_clean(exclude=["measure_list", "code"] if self.pk else None, validate_unique=False)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._list_frozen():
            raise Frozen(_("已公布清单的措施不得删除 / measures of a published list cannot be deleted"))
        return super().delete(*args, **kwargs)


# --- joint check --------------------------------------------------------------------------------------------------
class JointCheck(models.Model):
    """One joint reward/punishment check (联合奖惩自动比对, Heilongjiang art. 46, Qufu art. 41): append-only."""

    check_id = models.UUIDField(_("比对编号"), default=uuid.uuid4, unique=True, editable=False)
    department = models.ForeignKey("credit_platform.Department", verbose_name=_("查询部门"), on_delete=models.PROTECT,
                                   related_name="+")
    requested_by = models.CharField(_("查询人/系统"), max_length=150)
    subject = models.ForeignKey("records.Subject", verbose_name=_("信用主体"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    # As asked: a USCC as is, a person's number masked, with its keyed hash to find every check on a person.
    subject_code = models.CharField(_("查询的主体代码"), max_length=64, help_text=_("自然人为脱敏形式"))
    subject_code_hash = models.CharField(_("主体代码密钥摘要"), max_length=64, blank=True, db_index=True)
    matter = models.ForeignKey(Matter, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="checks")
    asked_at = models.DateTimeField(_("查询时间"), default=timezone.now, db_index=True)
    policy_code = models.CharField(_("适用规则"), max_length=32)
    answer = models.JSONField(_("答复"), default=dict)

    class Meta:
        verbose_name = _("联合奖惩比对")
        verbose_name_plural = _("联合奖惩比对")
        ordering = ["-asked_at"]
        indexes = [models.Index(fields=["department", "asked_at"], name="jointcheck_dept_time_idx")]

    def __str__(self) -> str:
        return f"{self.check_id} {self.subject_code} {self.matter.code}"

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            raise Frozen(_("比对日志只能追加，不得修改 / the joint-check log is append-only"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Frozen(_("比对日志不得删除 / the joint-check log cannot be deleted"))


class CheckedMeasure(models.Model):
    """A measure returned by a check and what the department did with it (applied, or not with a written reason).

    Created with the check, so "applied" can only ever be reported for a published, proportionate measure the
    platform returned; the ``because`` reasons are kept as they were at the time of the check.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待反馈")
        APPLIED = "applied", _("已实施")
        NOT_APPLIED = "not_applied", _("未实施")

    check_ref = models.ForeignKey(JointCheck, verbose_name=_("比对"), on_delete=models.PROTECT, related_name="results")
    measure = models.ForeignKey(Measure, verbose_name=_("措施"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    because = models.JSONField(_("依据的信息或名单"), default=list)
    outcome = models.CharField(_("反馈"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING, db_index=True)
    reason = models.TextField(_("未实施的书面理由"), blank=True)
    reported_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    reported_by = models.CharField(_("反馈人/系统"), max_length=150, blank=True)
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True,
                                     help_text=_("依据的信息已修复或名单已移出，措施停止实施"))
    lifted_reason = models.CharField(_("解除原因"), max_length=300, blank=True)
    lifted_for = models.CharField(_("解除所因的信息或名单"), max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("比对措施与反馈")
        verbose_name_plural = _("比对措施与反馈")
        ordering = ["check_ref", "id"]
        constraints = [models.UniqueConstraint(fields=["check_ref", "measure"], name="checked_measure_unique")]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.get_outcome_display()}"


# --- lists of subjects ----------------------------------------------------------------------------------------------
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
        from credit_platform.workdays import local_date

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


class SanctionEvent(models.Model):
    """Every workflow step, with who acted and why (append-only)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    step = models.CharField(_("步骤"), max_length=40)
    actor = models.CharField(_("操作人"), max_length=150)
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人账号"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("理由"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="sanction_event_target_idx")]

    def __str__(self) -> str:
        return f"{self.step} {self.actor} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise Frozen(_("办理记录只能追加 / the step log is append-only"))
        super().save(*args, **kwargs)


# --- commitments ------------------------------------------------------------------------------------------------------
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


class RecordCursor(models.Model):
    """How far the record-change sweep has read the records' history (the watermark; one row per consumer)."""

    name = models.CharField(max_length=40, unique=True)
    last_history_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("记录变化读取位置")
        verbose_name_plural = _("记录变化读取位置")

    def __str__(self) -> str:
        return f"{self.name}@{self.last_history_id}"


class DepartmentFeedbackRate(Department):
    """Admin view of each department's joint-check feedback rate (Qufu art. 41: 自动比对和自动反馈)."""

    class Meta:
        proxy = True
        verbose_name = _("部门奖惩反馈率")
        verbose_name_plural = _("部门奖惩反馈率")


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


class ImplementationReport(models.Model):
    """The published joint reward/punishment implementation report for one month (Qufu art. 41: 市社会信用中心应当
    定期通报社会信用联合奖惩实施情况，并向社会公开). A cached aggregate: refreshed by the ``sanctions_implementation``
    sweep, read by the public page and API without touching the check tables."""

    period = models.DateField(_("月份"), unique=True, help_text=_("该月第一天"))
    rows = models.JSONField(_("各部门反馈情况"), default=list)
    totals = models.JSONField(_("合计"), default=dict)
    article = models.CharField(_("依据"), max_length=300)
    final = models.BooleanField(_("已定稿"), default=False, help_text=_("月份结束后最后一次刷新即定稿"))
    refreshed_at = models.DateTimeField(_("刷新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("联合奖惩实施情况通报")
        verbose_name_plural = _("联合奖惩实施情况通报")
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"{self.period:%Y年%m月}联合奖惩实施情况"
