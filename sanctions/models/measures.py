"""措施清单 and the joint check: measure lists with their life cycle, the matters departments check, the measures,
the append-only check log with each department's feedback, and the monthly implementation report."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from credit_platform.models import Department
from credit_platform.policies import active_policy
from sanctions import rules
from sanctions.models.common import BasisLevel, Kind, RightsImpact, Tier, Trigger, frozen, history_user


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
                    raise frozen(_("已批准或已公布的清单不得修改，请创建新版本 / an approved or published list is frozen"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status not in self.EDITABLE:
            raise frozen(_("已批准或已公布的清单不得删除 / a published list cannot be deleted"))
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
            raise frozen(_("已公布清单的措施不得修改 / measures of a published list are frozen"))
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
                raise frozen(_("已公布清单的措施不得修改 / measures of a published list are frozen"))
        self.full_clean(exclude=["measure_list", "code"] if self.pk else None, validate_unique=False)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._list_frozen():
            raise frozen(_("已公布清单的措施不得删除 / measures of a published list cannot be deleted"))
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
            raise frozen(_("比对日志只能追加，不得修改 / the joint-check log is append-only"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise frozen(_("比对日志不得删除 / the joint-check log cannot be deleted"))


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


class DepartmentFeedbackRate(Department):
    """Admin view of each department's joint-check feedback rate (Qufu art. 41: 自动比对和自动反馈)."""

    class Meta:
        proxy = True
        verbose_name = _("部门奖惩反馈率")
        verbose_name_plural = _("部门奖惩反馈率")


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
