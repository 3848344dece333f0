"""The sanctions app's receivers (its one receiver module, connected in ``SanctionsConfig.ready``).

Record changes reach the sanctions app in two ways: the ``post_save`` receiver for records saved one by one, and
``records.signals.records_changed`` for set-based writes (pushes, corrections, revocations); the history-watermark
sweep (``sweeps.record_changes``) catches up on anything missed; pushes do not name their records to the worker:
they send one coalesced ``catch_up_record_changes`` that reads the history past that same watermark. ``records.signals.report_assessments`` asks for the
rows of a credit report's 信用评价 section.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from credit_platform.queue import send_now
from records.models import Record
from records.signals import records_changed, report_assessments
from sanctions import conf
from sanctions.models import Evaluation
from sanctions.services import on_records_changed
from sanctions.sweeps import CATCH_UP_PENDING
from sanctions.tasks import catch_up_record_changes

logger = logging.getLogger(__name__)


def _changed(record_id: int) -> None:
    try:
        on_records_changed([record_id])
    except Exception:  # the watermark sweep will catch up; never break the write that triggered us
        logger.exception("sanctions: reacting to record %s failed", record_id)


@receiver(post_save, sender=Record, dispatch_uid="sanctions_record_saved")
def record_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pk = instance.pk
    transaction.on_commit(lambda: _changed(pk))


@receiver(records_changed, dispatch_uid="sanctions_records_changed")
def records_written(sender, kind, record_ids, **kwargs):
    """Set-based writes (pushes, corrections, revocations) send no post_save. The reaction is set-based too and
    coalesced: after commit, a push sends one ``catch_up_record_changes`` (delayed by the coalescing window) unless
    one is already pending, and that task reacts to every change past the history watermark in one pass — one task
    per window under continuous ingestion instead of one per push (issue #17: the per-push queue fell ~15 minutes
    behind). With the broker down the periodic ``record_changes`` watermark sweep catches up."""
    transaction.on_commit(catch_up_soon)


def catch_up_soon() -> bool:
    """Send the coalesced catch-up unless one is pending; True if this call sent it."""
    window = conf.record_changes_coalesce_seconds()
    try:
        first = cache.add(CATCH_UP_PENDING, 1, timeout=window + 60)  # expires even if the task is lost
    except Exception:  # a cache backend down (redis, file system): send uncoalesced rather than lose the reaction
        logger.warning("sanctions: catch-up flag unavailable, sending without coalescing", exc_info=True)
        first = True
    if not first:
        return False
    if not send_now(catch_up_record_changes, countdown=window):
        cache.delete(CATCH_UP_PENDING)  # broker down: let the next push try again; the periodic sweep catches up
        return False
    return True


@receiver(report_assessments, dispatch_uid="sanctions_report_evaluation")
def evaluation_for_report(sender, subject, day, **kwargs) -> list[dict]:
    """The credit report's 信用评价 section shows the subject's 公共信用综合评价, as /lists/mine/ does."""
    evaluation = Evaluation.objects.filter(subject=subject).first()
    if evaluation is None:
        return []
    tier = f"，监管分类：{evaluation.get_tier_display()}" if evaluation.tier else ""
    return [{
        "item": "公共信用综合评价",
        "summary": f"{evaluation.grade}（{evaluation.score} 分{tier}；评价模型 {evaluation.model_version}）",
        "decided_on": timezone.localtime(evaluation.computed_at).date(),
        "source": "公共信用信息平台",
    }]
