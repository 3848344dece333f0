"""Departments, users and department-system API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Department(models.Model):
    """A government department (or court) that provides, uses or supervises credit information."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家")
        PROVINCIAL = "provincial", _("省级")
        MUNICIPAL = "municipal", _("市级")
        DISTRICT = "district", _("区县级")

    code = models.SlugField(_("部门代码"), max_length=32, unique=True, help_text=_("如 SCJG（市场监管局）"))
    name = models.CharField(_("部门名称"), max_length=100, unique=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, default=Level.MUNICIPAL)
    is_credit_centre = models.BooleanField(_("信用中心"), default=False, help_text=_("平台运营单位（市社会信用中心）"))
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class User(AbstractUser):
    """A platform user: an official (staff) or a citizen / enterprise agent (portal)."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("工作人员")
        CITIZEN = "citizen", _("自然人")
        AGENT = "agent", _("企业经办人")

    kind = models.CharField(_("用户类型"), max_length=16, choices=Kind.choices, default=Kind.CITIZEN)
    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        swappable = "AUTH_USER_MODEL"

    def set_password(self, raw_password):
        super().set_password(raw_password)
        # MLPS level 3: passwords expire; the clock starts whenever the password changes.
        self.password_changed_at = timezone.now()

    @property
    def is_official(self) -> bool:
        return self.kind == self.Kind.OFFICIAL


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, department__active=True)


class ApiToken(models.Model):
    """A department system's credential. Only the SHA-256 digest is stored; the token is shown once."""

    PREFIX = "cpt_"

    department = models.ForeignKey(Department, verbose_name=_("部门"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("系统名称"), max_length=100, default="", blank=True)
    key_prefix = models.CharField(_("令牌前缀"), max_length=12, editable=False, help_text=_("用于辨认令牌，不能用于认证"))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.department.code} {self.key_prefix}…"

    @classmethod
    def issue(cls, department: Department, *, name: str = "", created_by: User | None = None) -> tuple[ApiToken, str]:
        """Create a token and return it with the raw key, which is never stored and never shown again."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            department=department, name=name, created_by=created_by, key_prefix=raw[:10], digest=_hash_token(raw)
        )
        return token, raw

    @classmethod
    def find_active(cls, raw: str) -> ApiToken | None:
        return cls.objects.active().select_related("department").filter(digest=_hash_token(raw)).first()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
