"""Measures applied because of a record or a listing are lifted when every reason is gone, and restored when
the repair that lifted them is revoked (NDRC Order 36: measures are lifted after repair)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from sanctions import rules
from sanctions.models import CheckedMeasure
from sanctions.services.common import department_officers, log_step, notify_all, subject_facts


def live_refs(subject, *, exclude_records: Iterable[int] = ()) -> set[str]:
    facts = subject_facts(subject, exclude_records=exclude_records)
    refs = {rules.ref("record", r.id) for r in facts.records if r.live}
    refs |= {rules.ref("severe_list", i) for i in facts.severe_list_ids}
    refs |= {rules.ref("red_list", i) for i in facts.red_list_ids}
    refs |= {rules.ref("commitment", i) for i in facts.broken_commitment_ids}
    if facts.evaluation_id:
        refs.add(rules.ref("evaluation", facts.evaluation_id))
    return refs


def lift_measures_for(subject, refs: list[str], *, actor, why: str, exclude_records: Iterable[int] = ()) -> int:
    """Stop the measures applied to ``subject`` whose every reason is gone (a measure applied because of two records
    stays while one of them is still in force)."""
    refs = set(refs)
    lifted = 0
    candidates = CheckedMeasure.objects.filter(
        check_ref__subject=subject, outcome=CheckedMeasure.Outcome.APPLIED, lifted_at__isnull=True,
    ).select_related("check_ref__department", "measure")
    live = None
    for cm in candidates:
        because = set(cm.because or [])
        if not because & refs:
            continue
        if live is None:
            live = live_refs(subject, exclude_records=exclude_records)
        if because & live:
            continue
        with transaction.atomic():
            changed = CheckedMeasure.objects.filter(pk=cm.pk, lifted_at__isnull=True).update(
                lifted_at=timezone.now(), lifted_reason=why[:300], lifted_for=",".join(sorted(because & refs))[:300],
            )
            if changed:
                lifted += 1
                log_step(cm, "lifted", actor, why, because=sorted(because))
                notify_all(department_officers(cm.check_ref.department), f"sanctions:lifted:{cm.pk}",
                            f"请停止实施惩戒措施：{cm.measure.name}", f"{subject.name}：{why}")
    return lifted


def restore_measures_for(subject, refs: list[str], *, actor, why: str) -> int:
    refs = set(refs)
    restored = 0
    for cm in CheckedMeasure.objects.filter(check_ref__subject=subject, lifted_at__isnull=False).exclude(lifted_for=""):
        if not set(cm.lifted_for.split(",")) & refs:
            continue
        changed = CheckedMeasure.objects.filter(pk=cm.pk, lifted_at__isnull=False).update(
            lifted_at=None, lifted_reason="", lifted_for="")
        if changed:
            restored += 1
            log_step(cm, "restored", actor, why)
            notify_all(department_officers(cm.check_ref.department), f"sanctions:restored:{cm.pk}:{timezone.now():%s}",
                        f"信用修复被撤销，恢复实施措施：{cm.measure.name}", why)
    return restored
