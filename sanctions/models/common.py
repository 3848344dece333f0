"""What every sanctions sub-domain shares: the vocabularies, the refusal of a frozen change, the history user, the
step log (``SanctionEvent``) and the record-change watermark."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_platform.actors import actor_user
from credit_platform.exceptions import DomainError
from credit_platform.timeline import TimelineEvent
from sanctions import rules


def frozen(message) -> DomainError:
    """The refusal raised when something tries to change a published measure list, a logged joint check or the step
    log (the audit trail is append-only)."""
    return DomainError("frozen", str(message))


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


def history_user(instance=None, request=None, **kwargs):
    """The ``User`` to write in history rows: the one a service set, else the request's user, never a department
    system (it has no ``User`` row; the step log names it)."""
    user = getattr(instance, "_history_user", None)
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return actor_user(user)


class SanctionEvent(TimelineEvent):
    """Every workflow step, with who acted and why (append-only). ``at``, ``actor`` (the user row, when there is one),
    ``actor_label`` (as printed) and ``data`` come from the shared timeline event."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    step = models.CharField(_("步骤"), max_length=40)
    reason = models.TextField(_("理由"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="sanction_event_target_idx")]

    def __str__(self) -> str:
        return f"{self.step} {self.actor_label} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise frozen(_("办理记录只能追加 / the step log is append-only"))
        super().save(*args, **kwargs)


class RecordCursor(models.Model):
    """How far the record-change sweep has read the records' history (the watermark; one row per consumer)."""

    name = models.CharField(max_length=40, unique=True)
    last_history_id = models.BigIntegerField(default=0)
    #: history ids below the watermark not yet visible when it passed them (a push still open): read again until
    #: they appear or are given up (``sanctions.history_gaps``)
    gaps = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("记录变化读取位置")
        verbose_name_plural = _("记录变化读取位置")

    def __str__(self) -> str:
        return f"{self.name}@{self.last_history_id}"
