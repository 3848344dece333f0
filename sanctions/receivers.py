"""The sanctions app's receivers (its one receiver module, connected in ``SanctionsConfig.ready``).

Record changes reach the sanctions app in two ways: the ``post_save`` receiver for records saved one by one, and
``records.signals.records_changed`` for set-based writes (pushes, corrections, revocations); the history-watermark
sweep (``sweeps.record_changes``) catches up on anything missed. ``records.signals.report_assessments`` asks for the
rows of a credit report's 信用评价 section.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from credit_platform.queue import enqueue
from records.models import Record
from records.signals import records_changed, report_assessments
from sanctions.models import Evaluation
from sanctions.services import on_records_changed
from sanctions.tasks import records_changed as records_changed_task

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
    """Set-based writes (pushes, corrections, revocations) send no post_save. Recomputing evaluations costs
    milliseconds per subject, far too much for a 5,000-row push request, so it goes to the worker after commit;
    with the broker down the ``record_changes`` watermark sweep catches up."""
    enqueue(records_changed_task, args=(list(record_ids),))


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
