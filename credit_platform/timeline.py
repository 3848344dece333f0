"""The abstract timeline event every case history shares (objection, complaint, repair application, sanctions steps).

A concrete event model adds what it belongs to (a foreign key or a generic relation), its ``kind`` vocabulary and any
field of its own (a note the applicant sees, a reason). ``attributed(actor)`` gives the two actor columns from any
actor (``credit_platform.actors``), so no app writes its own actor helper.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_platform.actors import actor_label, actor_user


class TimelineEvent(models.Model):
    """One append-only step: when, who (as a user row when there is one, and as printed), and its data."""

    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人（显示）"), max_length=200, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    @staticmethod
    def attributed(actor) -> dict:
        """``{"actor": …, "actor_label": …}`` for ``objects.create(**event.attributed(actor), …)``."""
        return {"actor": actor_user(actor), "actor_label": actor_label(actor)}
