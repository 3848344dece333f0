"""Disclosure state the records app does not hold: windows' rules, trust opt-outs, authorisations and credit reports.
(Accounts' links to subjects, agents' letters and the query log are the ``accounts`` app's.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from credit_platform.privacy import identifier_hash, looks_like_organisation_code, normalise, stored_form


class WindowState(models.TextChoices):
    ACTIVE = "active", _("在期")
    ARCHIVED = "archived", _("已届满转档案保存")
    SHIELDED = "shielded", _("已屏蔽")


class RecordWindow(models.Model):
    """The rule behind a record's window and its publicity state (the dates live on ``records.Record``).

    ``state`` only moves forward: active → archived (publicity ended, never resumed: Karamay art. 33,
    Heilongjiang art. 51) → shielded (retention ended: Qufu arts. 35–36).
    """

    record = models.OneToOneField(
        "records.Record", verbose_name=_("信用记录"), primary_key=True, on_delete=models.CASCADE, related_name="window"
    )
    published = models.BooleanField(_("门户公示"), default=False)
    long_term = models.BooleanField(_("长期公示"), default=False)
    pending_end = models.BooleanField(_("持续行为待终止"), default=False)
    min_until = models.DateField(_("最短公示期届满"), null=True, blank=True)
    # Copies of the record's dates for the sweeps (partial indexes on the rows still due; the record keeps the
    # dates everyone reads). Written together by disclosure.services.
    public_until = models.DateField(_("公示截止"), null=True, blank=True)
    retain_until = models.DateField(_("保存截止"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=WindowState.choices, default=WindowState.ACTIVE)
    suppressed = models.BooleanField(_("主体申请不公开"), default=False, help_text=_("守信信息不公开申请（克拉玛依第三十六条、曲阜第六十一条）"))
    window_rule = models.CharField(_("期限规则"), max_length=300)
    window_article = models.TextField(_("期限依据"))
    window_reason = models.TextField(_("期限说明"), blank=True)
    retain_rule = models.CharField(_("保存规则"), max_length=200, blank=True)
    retain_article = models.TextField(_("保存依据"), blank=True)
    profile = models.CharField(_("适用规则"), max_length=32)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)
    archived_on = models.DateField(_("转档案日期"), null=True, blank=True)
    list_removed_on = models.DateField(
        _("移出严重失信名单日期"), null=True, blank=True,
        help_text=_("曲阜第三十五条：保存期限自移出名单之日起计算；移出后再次发生失信行为的，保存期限重新计算"),
    )
    shielded_on = models.DateField(_("屏蔽日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公示期限")
        verbose_name_plural = _("公示期限")
        indexes = [
            models.Index(fields=["public_until"], condition=Q(state="active"), name="disc_window_due_idx"),
            models.Index(fields=["retain_until"], condition=Q(state__in=["active", "archived"]), name="disc_window_retain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.get_state_display()}"


class PendingWindows(models.Model):
    """The records of one large push whose windows the worker still has to store (``disclosure.backlog``).

    Written in the push's own transaction, so it exists exactly when the records do; the coalesced
    ``disclosure.catch_up_windows`` task takes the rows (``SKIP LOCKED``), stores the windows and deletes the rows in
    one transaction. Pushes arriving while it runs leave rows it does not see; the next task takes them."""

    record_ids = models.JSONField(_("信用记录"))
    created_at = models.DateTimeField(_("推送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("待计算公示期限")
        verbose_name_plural = _("待计算公示期限")

    def __str__(self) -> str:
        return f"{len(self.record_ids or ())} records, {self.created_at:%Y-%m-%d %H:%M:%S}"


class TrustOptOut(models.Model):
    """A subject's request that its trust information not be published (Karamay 36, Heilongjiang 51, Qufu 61)."""

    subject = models.ForeignKey("records.Subject", verbose_name=_("信用主体"), on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    stop_due = models.DateField(_("法定停止公开期限"))
    stop_due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    stopped_at = models.DateTimeField(_("实际停止公开时间"), null=True, blank=True)
    rule_article = models.CharField(_("依据"), max_length=300)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("守信信息不公开申请")
        verbose_name_plural = _("守信信息不公开申请")
        constraints = [
            models.UniqueConstraint(fields=["subject"], condition=Q(withdrawn_at__isnull=True), name="disc_one_open_optout"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.requested_at:%Y-%m-%d}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class AuthorisationQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(revoked_at__isnull=True, valid_from__lte=day, expires_on__gte=day)


class Authorisation(models.Model):
    """A subject's written consent that a named person or organisation may query chosen categories of its
    non-public information, for a stated purpose, until a date (Karamay art. 20, Heilongjiang arts. 25 and 56,
    Qufu arts. 32 and 62: no blanket or lifetime authorisation)."""

    subject = models.ForeignKey("records.Subject", verbose_name=_("授权主体"), on_delete=models.CASCADE, related_name="+")
    grantee_name = models.CharField(_("被授权人名称"), max_length=200)
    grantee_code = models.CharField(_("被授权人证件号码（脱敏）/统一社会信用代码"), max_length=64)
    grantee_code_hash = models.CharField(_("被授权人证件号码密钥摘要"), max_length=64, default="", db_index=True,
                                         editable=False)
    categories = models.JSONField(_("授权查询的信息类别"))
    purpose = models.CharField(_("查询用途"), max_length=300)
    valid_from = models.DateField(_("生效日期"))
    expires_on = models.DateField(_("截止日期"), help_text=_("含当日"))
    rule_article = models.CharField(_("期限依据"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("授权操作人"), null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("授权时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    history = HistoricalRecords()

    objects = AuthorisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("查询授权")
        verbose_name_plural = _("查询授权")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.grantee_name} {self.valid_from}–{self.expires_on}"

    def is_valid_on(self, day) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.expires_on

    def save(self, *args, **kwargs):
        # The grantee is matched (the accounts acting for it see the grant), never shown in full: a person's number
        # is kept as its keyed hash and mask, an organisation's USCC as is.
        if not self.grantee_code_hash:
            plain = normalise(self.grantee_code)
            self.grantee_code_hash = identifier_hash(plain)
            self.grantee_code = stored_form(plain, not looks_like_organisation_code(plain))
        super().save(*args, **kwargs)


class CreditReport(models.Model):
    """A generated credit report: number, check code and the SHA-256 of the PDF that was handed out."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("公共信用信息报告")
        SPECIAL = "special", _("专项信用报告（无违法违规记录证明）")
        PUBLIC = "public", _("公共信用信息报告（公开版）")  # anyone, for an organisation: disclosure.public_report

    number = models.CharField(_("报告编号"), max_length=32, unique=True)
    kind = models.CharField(_("报告类型"), max_length=12, choices=Kind.choices)
    subject = models.ForeignKey("records.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="+")
    subject_name = models.CharField(_("主体名称"), max_length=200)
    generated_at = models.DateTimeField(_("生成时间"))
    valid_until = models.DateField(_("有效期至"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+")
    params = models.JSONField(_("报告参数"), default=dict, blank=True)
    content_sha256 = models.CharField(_("内容摘要"), max_length=64)
    check_code = models.CharField(_("校验码"), max_length=32)
    pdf_sha256 = models.CharField(_("PDF 摘要"), max_length=64, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/%m/", blank=True)
    font_embedded = models.BooleanField(_("已嵌入中文字体"), default=False)

    class Meta:
        verbose_name = _("信用报告")
        verbose_name_plural = _("信用报告")
        ordering = ["-generated_at"]

    def __str__(self) -> str:
        return self.number
