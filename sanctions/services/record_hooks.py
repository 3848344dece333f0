"""What happens to lists, measures and evaluations when records change: a repair approved or revoked, and
records pushed, corrected or revoked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from django.db import transaction

from sanctions import rules
from sanctions.models import Commitment, SevereListEntry
from sanctions.services.common import SEVERE, facts_for_subjects, log_step, subject_is_public, today
from sanctions.services.evaluation import (
    changed_records,
    extend_evaluations,
    recompute_evaluation,
    recompute_evaluations,
)
from sanctions.services.lifting import lift_measures_for, restore_measures_for
from sanctions.services.red_list import check_red_list, check_red_lists
from sanctions.services.severe_list import remove_from_severe_list


def on_record_repaired(record, *, actor, reason: str) -> dict:
    """A repair of ``record`` was approved: remove the subject from the severe list where that record put it on
    (when no other severe record of the listing is still in force), stop the punishment measures based on it,
    lift the commitment-route bar it caused, and recompute the evaluation (NDRC Order 36: publicity ends, use stops,
    measures are lifted, evaluations are updated)."""
    removed = []
    with transaction.atomic():
        for entry in SevereListEntry.objects.filter(records=record, status=SEVERE.LISTED, parent__isnull=True).distinct():
            others = entry.records.exclude(pk=record.pk).filter(status__in=rules.LIVE_RECORD_STATUSES)
            if others.exists():
                log_step(entry, "repair_noted", actor, reason, record=record.pk, still_listed_for=list(
                    others.values_list("id", flat=True)))
                continue
            if remove_from_severe_list(entry, reason=SevereListEntry.Removal.REPAIRED, actor=actor,
                                       note=f"信用修复：{reason}", record=record):
                removed.append(entry.pk)
        refs = [rules.ref("record", record.pk), *[rules.ref("severe_list", i) for i in removed]]
        refs += [rules.ref("commitment", c) for c in Commitment.objects.filter(record=record).values_list("id", flat=True)]
        subject = record.subject
        lifted = lift_measures_for(subject, refs, actor=actor, why=f"信用修复：{reason}", exclude_records=[record.pk])
        transaction.on_commit(lambda: recompute_evaluation(subject, exclude_records=[record.pk]))
    return {"removed": removed, "lifted": lifted}


def on_repair_revoked(record, *, actor, reason: str) -> dict:
    """A repair was revoked (e.g. obtained by fraud): restore the listings it ended (while their term runs), the
    measures it lifted, and recompute the evaluation."""
    restored = []
    with transaction.atomic():
        day = today()
        for entry in SevereListEntry.objects.filter(removed_for_record=record, status=SEVERE.REMOVED,
                                                    removal_reason=SevereListEntry.Removal.REPAIRED):
            if entry.term_end and entry.term_end <= day:
                log_step(entry, "restore_skipped", actor, "列入期限已届满，不再恢复", record=record.pk)
                continue
            for e in [entry, *entry.linked.filter(status=SEVERE.REMOVED, removal_reason=SevereListEntry.Removal.PARENT_REMOVED,
                                                  removed_at=entry.removed_at)]:
                SevereListEntry.objects.filter(pk=e.pk).update(
                    status=SEVERE.LISTED, removed_at=None, removal_reason="", removal_note="", removed_for_record=None,
                    publicity_stop_due=None, publicity_stop_provisional=False, publicity_stop_article="",
                    publicity_stopped_at=None, publicity_stopped_late=None, public=subject_is_public(e.subject),
                )
                log_step(e, "restored", actor, f"信用修复被撤销：{reason}", record=record.pk)
            restored.append(entry.pk)
        refs = [rules.ref("record", record.pk), *[rules.ref("severe_list", i) for i in restored]]
        refs += [rules.ref("commitment", c) for c in Commitment.objects.filter(record=record).values_list("id", flat=True)]
        subject = record.subject
        back = restore_measures_for(subject, refs, actor=actor, why=f"信用修复被撤销：{reason}")
        transaction.on_commit(lambda: (check_red_list(subject), recompute_evaluation(subject)))
    return {"restored": restored, "measures_restored": back}


# --- record changes -----------------------------------------------------------------------------------------------
def on_records_changed(record_ids: Iterable[int], *, actor=None) -> int:
    """Records were created or changed: remove red-list memberships a dishonesty record now blocks (Heilongjiang
    art. 43, Karamay art. 22), end listings whose every basis record was revoked, and recompute the evaluations.
    Idempotent; returns the subjects touched.

    Set-based: a fixed number of queries per call however many records and subjects it names (the facts of every
    subject are read at once, the evaluations written in bulk); only the rare list removals go one entry at a time,
    through the same services as a single change. A subject whose changed records are all new to its evaluation
    (the usual push) has it extended from the stored evaluation's total (``extend_evaluations``) instead of rescored
    from all its records: the cost then follows the records pushed, not the records the subjects already have."""
    ids = list(set(record_ids))
    if not ids:
        return 0
    rows = changed_records(ids)
    subject_ids = {row[1] for row in rows}
    revoked = {row[0] for row in rows if row[5] == "revoked"}
    if revoked:
        for entry in SevereListEntry.objects.filter(records__in=revoked, status=SEVERE.LISTED,
                                                    parent__isnull=True).distinct():
            if not entry.records.filter(status__in=rules.LIVE_RECORD_STATUSES).exists():
                remove_from_severe_list(entry, reason=SevereListEntry.Removal.DECISION_REVOKED, actor=actor or "system",
                                        note="认定依据的失信信息已撤销")
    with transaction.atomic():
        # a push's new records extend their subjects' evaluations; only the other subjects are read record by record
        extended = extend_evaluations(rows)
        facts = facts_for_subjects(subject_ids - extended.keys())
        on_red_list = {sid for sid, f in facts.items() if f.red_list_ids}
        if on_red_list:
            removed = check_red_lists(on_red_list, facts, actor=actor or "system")
            for sid in removed:
                facts[sid] = replace(facts[sid], red_list_ids=tuple(i for i in facts[sid].red_list_ids
                                                                    if i not in removed[sid]))
        recompute_evaluations(facts, computed=extended)
    return len(subject_ids)
