"""公共信用信息目录: catalog versions and their items (Karamay arts. 9–10, Heilongjiang art. 19, Qufu arts. 21–22,
Zhangye art. 32).

A version moves draft → public comment → approved → published. Once approved, a version and its items are
frozen; every change is made in a new draft version copied from it (``catalog.services.new_version_from``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalog.rules import catalog_item_errors
from credit_platform.exceptions import DomainError

FROZEN = "catalog_frozen"


def frozen(message) -> DomainError:
    """The refusal to change an approved or published catalog version (Karamay art. 9: a published catalog changes
    only through a new version), as the platform's one domain error."""
    return DomainError(FROZEN, str(message), status=409)


class Category(models.TextChoices):
    BASIC = "basic", _("基础信息")
    TRUST = "trust", _("守信信息")
    DISHONESTY = "dishonesty", _("失信信息")
    OTHER = "other", _("其他信息")


class Openness(models.TextChoices):
    PUBLIC = "public", _("公开")
    CONDITIONAL = "conditional", _("依申请公开（有条件公开）")
    NON_PUBLIC = "non_public", _("不公开")


class SharingScope(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("无条件共享")
    CONDITIONAL = "conditional", _("有条件共享")
    NOT_SHARED = "not_shared", _("不予共享")


class InfoKind(models.TextChoices):
    PUBLIC = "public", _("公共信用信息")
    MARKET = "market", _("市场信用信息")


class MatterType(models.TextChoices):
    REGISTRATION = "registration", _("登记注册")
    LICENCE = "administrative_licence", _("行政许可")
    PENALTY = "administrative_penalty", _("行政处罚")
    ENFORCEMENT = "administrative_enforcement", _("行政强制")
    CONFIRMATION = "administrative_confirmation", _("行政确认")
    COMMENDATION = "commendation", _("表彰奖励")
    COMMITMENT = "commitment", _("信用承诺")
    ARREARS = "arrears", _("欠缴税费")
    JUDICIAL = "judicial", _("司法裁判与执行")
    SUPERVISION = "supervision", _("监督检查")
    PUBLIC_SERVICE = "public_service", _("公用事业服务")
    EVALUATION = "evaluation", _("信用评价")
    VOLUNTEER = "volunteer", _("志愿服务与公益")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    API = "api", _("接口推送")
    FILE = "file", _("文件报送")
    MANUAL = "manual", _("手工填报")
    SHARED = "shared", _("上级平台共享")
    PUBLIC_MEDIA = "public_media", _("媒体公告获取")


class UpdateCycle(models.TextChoices):
    REALTIME = "realtime", _("实时")
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    YEARLY = "yearly", _("每年")
    ON_CHANGE = "on_change", _("发生变化时")


class Domain(models.TextChoices):
    """Regulated domains that some profiles treat specially (codes shared with the policy profiles)."""

    FOOD = "food", _("食品")
    DRUGS = "drugs", _("药品")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    PRODUCTION_SAFETY = "production_safety", _("安全生产")
    FIRE = "fire", _("消防安全")
    ENVIRONMENT = "environment", _("生态环境")
    WORKS_QUALITY = "works_quality", _("工程质量")
    CCC = "ccc", _("强制性产品认证")
    FINANCE = "finance", _("金融")
    TAX = "tax", _("税务")
    SOCIAL_SECURITY = "social_security", _("社会保障")
    LABOUR = "labour", _("劳动用工")
    MARKET = "market", _("市场监管")
    CONSTRUCTION = "construction", _("住房城乡建设")
    JUDICIAL = "judicial", _("司法")
    GENERAL = "general", _("综合")


class CatalogVersion(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("全国基础目录")
        PROVINCIAL = "provincial", _("省级补充目录")
        MUNICIPAL = "municipal", _("市级补充目录")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLIC_COMMENT = "public_comment", _("公开征求意见")
        APPROVED = "approved", _("已批准")
        PUBLISHED = "published", _("已公布")

    EDITABLE_STATUSES = (Status.DRAFT, Status.PUBLIC_COMMENT)

    title = models.CharField(_("目录名称"), max_length=200)
    level = models.CharField(_("目录层级"), max_length=16, choices=Level.choices, default=Level.MUNICIPAL)
    region = models.CharField(_("适用地区"), max_length=100, blank=True)
    version_label = models.CharField(_("版本号"), max_length=40, help_text=_("如 2026 版"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    based_on = models.ForeignKey(
        "self", verbose_name=_("基于版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )
    comment_opens_on = models.DateField(_("征求意见开始"), null=True, blank=True)
    comment_closes_on = models.DateField(_("征求意见截止"), null=True, blank=True)
    approval_document = models.CharField(
        _("批准文件"), max_length=200, blank=True, help_text=_("市人民政府批准文件文号（克拉玛依第九条）")
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    review_due = models.DateField(
        _("下次评估调整到期日"), null=True, blank=True, help_text=_("公布时按政策配置的目录调整周期计算")
    )
    notes = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目录版本")
        verbose_name_plural = _("目录版本")
        ordering = ["level", "-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.version_label}，{self.get_status_display()}）"

    def save(self, *args, **kwargs):
        stored = self._stored_status()
        if stored is not None and stored not in self.EDITABLE_STATUSES:
            previous = type(self).objects.get(pk=self.pk)
            changed = [
                f.name for f in self._meta.concrete_fields
                if f.name not in self.LIFECYCLE_FIELDS and getattr(previous, f.attname) != getattr(self, f.attname)
            ]
            if changed or (stored == self.Status.PUBLISHED and self.status != stored):
                raise frozen(
                    _("已批准或已公布的目录版本不得修改，请基于它创建新版本 / an approved or published catalog "
                      "version is immutable: create a new version")
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_status() not in (None, *self.EDITABLE_STATUSES):
            raise frozen(_("已批准或已公布的目录版本不得删除 / a published catalog version cannot be deleted"))
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()

    # Fields the life cycle may still set on a frozen version.
    LIFECYCLE_FIELDS = frozenset({"status", "published_at", "effective_from", "review_due", "notes", "approved_at"})


class CatalogItemQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.exclude(version__status__in=CatalogVersion.EDITABLE_STATUSES).exists():
            raise frozen(_("已公布的目录条目不得修改 / items of a published catalog version are immutable"))
        return super().update(**kwargs)


class CatalogItem(models.Model):
    version = models.ForeignKey(CatalogVersion, verbose_name=_("目录版本"), on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("信息事项编码"), max_length=64, help_text=_("部门推送时引用的编码，各版本之间保持不变"))
    name = models.CharField(_("信息事项名称"), max_length=200)
    behaviour = models.TextField(_("对应的具体行为"), help_text=_("克拉玛依第九条、黑龙江第十九条"))
    category = models.CharField(_("信息类别"), max_length=16, choices=Category.choices)
    matter_type = models.CharField(_("事项类型"), max_length=32, choices=MatterType.choices, default=MatterType.OTHER)
    info_kind = models.CharField(_("信息性质"), max_length=16, choices=InfoKind.choices, default=InfoKind.PUBLIC)
    domain = models.CharField(_("领域"), max_length=32, choices=Domain.choices, blank=True)
    providers = models.ManyToManyField(
        "credit_platform.Department", verbose_name=_("提供单位"), related_name="catalog_items", blank=True
    )
    data_source = models.CharField(_("数据来源"), max_length=200, help_text=_("如 行政处罚决定书"))
    channel = models.CharField(_("归集渠道"), max_length=16, choices=Channel.choices, default=Channel.API)
    sharing_scope = models.CharField(
        _("共享属性"), max_length=16, choices=SharingScope.choices, default=SharingScope.UNCONDITIONAL
    )
    openness = models.CharField(_("开放属性"), max_length=16, choices=Openness.choices, default=Openness.PUBLIC)
    publicity_months_min = models.PositiveSmallIntegerField(_("公示期限下限（月）"), null=True, blank=True)
    publicity_months_max = models.PositiveSmallIntegerField(_("公示期限上限（月）"), null=True, blank=True)
    update_cycle = models.CharField(_("更新周期"), max_length=16, choices=UpdateCycle.choices, default=UpdateCycle.REALTIME)
    legal_basis = models.TextField(_("法律依据"))
    repairable = models.BooleanField(_("可以信用修复"), default=True)
    content_schema = models.JSONField(
        _("记录内容 JSON Schema"), default=dict, blank=True, help_text=_("部门推送的 content 须符合此模式（draft-07）")
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    objects = CatalogItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("目录条目")
        verbose_name_plural = _("目录条目")
        ordering = ["version", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="catalog_item_code_unique_per_version")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        if self._version_frozen():
            raise frozen(_("已公布的目录条目不得修改 / items of a published catalog version are immutable"))
        if self.pk is not None:
            old_version = type(self).objects.filter(pk=self.pk).values_list("version_id", flat=True).first()
            if old_version and old_version != self.version_id and CatalogVersion.objects.filter(
                pk=old_version
            ).exclude(status__in=CatalogVersion.EDITABLE_STATUSES).exists():
                raise frozen(_("已公布的目录条目不得修改 / items of a published catalog version are immutable"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._version_frozen():
            raise frozen(_("已公布的目录条目不得删除 / items of a published catalog version cannot be deleted"))
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors = catalog_item_errors(self)
        if errors:
            raise ValidationError(errors)

    def _version_frozen(self) -> bool:
        if not self.version_id:
            return False
        status = CatalogVersion.objects.filter(pk=self.version_id).values_list("status", flat=True).first()
        return status not in CatalogVersion.EDITABLE_STATUSES


class CatalogComment(models.Model):
    """A comment on a draft catalog collected during public comment (Karamay art. 9 para. 4)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("已收到")
        ADOPTED = "adopted", _("已采纳")
        PARTLY_ADOPTED = "partly_adopted", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("未采纳")

    version = models.ForeignKey(CatalogVersion, verbose_name=_("目录版本"), on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(
        CatalogItem, verbose_name=_("针对条目"), null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    author_name = models.CharField(_("姓名或单位"), max_length=100)
    author_kind = models.CharField(
        _("意见人类型"), max_length=32, blank=True, help_text=_("市场主体、行业协会商会、法律服务机构、专家学者、社会公众")
    )
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    body = models.TextField(_("意见内容"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    status = models.CharField(_("处理状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    response = models.TextField(_("采纳情况说明"), blank=True)

    class Meta:
        verbose_name = _("目录征求意见")
        verbose_name_plural = _("目录征求意见")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.author_name}：{self.body[:30]}"
