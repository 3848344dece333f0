"""Accounts' state: the verified links between portal accounts and the subjects they act for, enterprise agents'
authorisation letters, and the append-only, hash-chained query log.

These models were ``disclosure``'s until they moved to the floor below their users; their tables (and the
query log's append-only trigger, disclosure migrations 0002 and 0005) kept their ``disclosure_*`` names, so no row
moved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from credit_platform.privacy import identifier_hash, is_personal_code_type, normalise, stored_form
from records.models import Subject


class SubjectLink(models.Model):
    """A portal account's verified right to act for a subject: itself, or an enterprise as its agent.

    A person's identification number is only ever matched here, so it is not stored: ``code_hash`` is its keyed
    hash (``credit_platform.privacy``) and ``code`` its mask; an enterprise's USCC is public and kept as is.
    ``subject`` is the subject found under that identifier — at verification, or later, once the platform holds
    records about the person (``accounts.links.resolve_pending_links``). Create a link with the plain code in
    ``code``: ``save`` hashes, resolves and masks it.
    """

    class Role(models.TextChoices):
        SELF = "self", _("本人")
        AGENT = "agent", _("企业经办人")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="subject_links")
    code_type = models.CharField(_("证件类型"), max_length=24)
    code = models.CharField(_("证件号码（脱敏）/统一社会信用代码"), max_length=64)
    code_hash = models.CharField(_("证件号码密钥摘要"), max_length=64, default="", editable=False)
    subject = models.ForeignKey("records.Subject", verbose_name=_("信用主体"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("名称/姓名"), max_length=200)
    role = models.CharField(_("身份"), max_length=12, choices=Role.choices)
    verified_by = models.CharField(_("核验方式"), max_length=64)
    verified_at = models.DateTimeField(_("核验时间"), default=timezone.now)
    evidence = models.CharField(_("核验凭证"), max_length=200, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True,
                                  help_text=_("经审核的授权书绑定的经办人：授权书有效期届满后自动失效（含当日）"))
    revoked_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    history = HistoricalRecords(table_name="disclosure_historicalsubjectlink")

    class Meta:
        db_table = "disclosure_subjectlink"  # moved from disclosure without touching data
        verbose_name = _("实名认证关联")
        verbose_name_plural = _("实名认证关联")
        constraints = [
            models.UniqueConstraint(fields=["user", "code_type", "code_hash"], name="disc_link_unique_hash"),
            models.UniqueConstraint(
                fields=["code_type", "code_hash"], condition=Q(role="self", revoked_at__isnull=True),
                name="disc_one_self_account_hash",
            ),
        ]
        indexes = [models.Index(fields=["code_hash"], name="disc_link_code_hash_idx")]

    def __str__(self) -> str:
        return f"{self.user} → {self.name}（{self.get_role_display()}）"

    def save(self, *args, **kwargs):
        if not self.code_hash:  # ``code`` still holds the identifier as given
            plain = normalise(self.code)
            self.code_hash = identifier_hash(plain)
            if self.subject_id is None:
                self.subject = Subject.objects.filter(code_type=self.code_type, code=plain).first()
            self.code = stored_form(plain, is_personal_code_type(self.code_type))
        super().save(*args, **kwargs)




class AgentLetter(models.Model):
    """An enterprise's authorisation letter (授权委托书) naming a verified person as its agent on the portal.

    Uploaded by the person, examined by an official in the admin; an approved letter binds the person to the
    enterprise until ``valid_until`` (at most ``settings.AGENT_LETTER_MAX_DAYS``), and can be revoked at any time.
    Every step is in the history. (A legal representative on file needs no letter: ``accounts.agents``.)
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未通过")
        REVOKED = "revoked", _("已撤销")

    enterprise = models.ForeignKey("records.Subject", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人账号"), on_delete=models.CASCADE,
                             related_name="agent_letters")
    agent_name = models.CharField(_("经办人姓名"), max_length=100)
    agent_code = models.CharField(_("经办人证件号码（脱敏）"), max_length=64)
    letter = models.FileField(_("授权书"), upload_to="agent-letters/%Y/%m/")
    letter_sha256 = models.CharField(_("授权书摘要"), max_length=64)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    valid_until = models.DateField(_("授权有效期至"), null=True, blank=True, help_text=_("含当日；批准时填写"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    link = models.ForeignKey(SubjectLink, verbose_name=_("绑定关系"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    history = HistoricalRecords(table_name="disclosure_historicalagentletter")

    class Meta:
        db_table = "disclosure_agentletter"
        verbose_name = _("经办人授权书")
        verbose_name_plural = _("经办人授权书")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="disc_letter_status_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise.name} → {self.agent_name}（{self.get_status_display()}）"

    def is_in_force(self, day) -> bool:
        return self.status == self.Status.APPROVED and self.valid_until is not None and day <= self.valid_until

    def display_status(self, day) -> str:
        if self.status == self.Status.APPROVED and self.valid_until is not None and day > self.valid_until:
            return "已过期"
        return self.get_status_display()


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("查询日志只能追加，不得修改 / the query log is append-only")

    def delete(self):
        raise PermissionError("查询日志不得删除 / the query log is append-only")

    def _raw_delete(self, using):
        raise PermissionError("查询日志不得删除 / the query log is append-only")


class QueryLogEntry(models.Model):
    """One view of non-public information or one report: append-only and hash-chained (Qufu art. 38,
    Heilongjiang art. 25). ``hash = HMAC-SHA256(QUERY_LOG_HASH_KEY, canonical JSON of the fields + prev_hash)``;
    see ``accounts.querylog``."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("门户网站")
        API = "api", _("接口")
        ADMIN = "admin", _("管理后台")
        REPORT = "report", _("信用报告")

    class Action(models.TextChoices):
        OWN_RECORD = "own_record", _("本人查询")
        AUTHORISED = "authorised", _("授权查询")
        GOVERNMENT = "government", _("政务查询")
        REPORT = "report", _("公共信用信息报告")
        SPECIAL_REPORT = "special_report", _("专项信用报告")

    seq = models.BigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"))
    actor_kind = models.CharField(_("查询方类型"), max_length=16)
    actor_id = models.BigIntegerField(_("查询账号"), null=True)
    actor_label = models.CharField(_("查询方"), max_length=200)
    department_code = models.CharField(_("查询部门"), max_length=32, blank=True)
    subject_id = models.BigIntegerField(_("被查询主体"), db_index=True)
    subject_code = models.CharField(_("被查询主体代码"), max_length=64, help_text=_("自然人为脱敏形式"))
    subject_code_hash = models.CharField(_("主体代码密钥摘要"), max_length=64, blank=True, db_index=True)
    action = models.CharField(_("查询类型"), max_length=16, choices=Action.choices)
    scope = models.JSONField(_("查询范围"))
    purpose = models.CharField(_("查询用途"), max_length=64, blank=True)
    purpose_label = models.CharField(_("用途说明"), max_length=300, blank=True)
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    reference = models.CharField(_("关联编号"), max_length=64, blank=True, help_text=_("授权编号或报告编号"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        db_table = "disclosure_querylogentry"  # the append-only trigger (disclosure 0002) guards this table
        verbose_name = _("查询日志")
        verbose_name_plural = _("查询日志")
        ordering = ["seq"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_label} → {self.subject_code}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("查询日志只能追加，不得修改 / the query log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("查询日志不得删除 / the query log is append-only")


class QueryLogHead(models.Model):
    """The chain's head: the last sequence number and hash, so a deleted tail is detected too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")
    # Each time the chain was re-hashed by a migration (after verifying it): when, why, how many entries, and the
    # head before and after — so the re-hash is itself on record.
    rechained = models.JSONField(_("重新计算记录"), default=list, blank=True)

    class Meta:
        db_table = "disclosure_queryloghead"
        verbose_name = _("查询日志链头")
        verbose_name_plural = _("查询日志链头")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"查询日志链头 #{self.seq}"
