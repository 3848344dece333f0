"""守信激励对象名单: listing a subject that qualifies, and removing it when it no longer does."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from credit_platform.exceptions import DomainError
from credit_platform.policies import active_policy
from sanctions import rules
from sanctions.models import RedListEntry
from sanctions.services.common import (
    department_officers,
    log_step,
    notify_all,
    subject_facts,
    subject_is_public,
    today,
)
from sanctions.services.evaluation import recompute_evaluation


# --- red list --------------------------------------------------------------------------------------------------------
@transaction.atomic
def add_to_red_list(subject, *, department, criteria: str, actor, valid_until: date | None = None) -> RedListEntry:
    """List a subject that meets the published criteria (Heilongjiang art. 38) and the profile's conditions
    (Karamay art. 22: no dishonesty record, and trust records; Fuzhou art. 16: clean years)."""
    policy = active_policy()
    if not (criteria or "").strip():
        raise DomainError("criteria_required", "须写明认定标准及依据 / the criteria are required",
                            fields={"criteria": ["required"]})
    facts = subject_facts(subject)
    eligibility = rules.red_list_eligibility(facts, policy, today())
    if not eligibility.eligible:
        raise DomainError("not_eligible", "；".join(eligibility.reasons),
                            fields={"blockers": list(eligibility.blockers)})
    if RedListEntry.objects.filter(subject=subject, department=department, status=RedListEntry.Status.LISTED).exists():
        raise DomainError("already_listed", "该主体已在本单位认定的守信激励对象名单中 / already on the red list")
    entry = RedListEntry.objects.create(
        subject=subject, department=department, criteria=criteria.strip(), valid_until=valid_until,
        public=subject_is_public(subject),
    )
    trust_ids = [int(r.split(":")[1]) for r in eligibility.because]
    entry.records.set(trust_ids)
    log_step(entry, "listed", actor, criteria, trust_records=trust_ids)
    transaction.on_commit(lambda: recompute_evaluation(subject))
    return entry


@transaction.atomic
def remove_from_red_list(entry: RedListEntry, *, reason: str, actor, because: Iterable[str] = (), note: str = "") -> bool:
    """Compare-and-swap: only one caller removes a given entry."""
    now = timezone.now()
    changed = RedListEntry.objects.filter(pk=entry.pk, status=RedListEntry.Status.LISTED).update(
        status=RedListEntry.Status.REMOVED, removed_at=now, removal_reason=reason, removal_because=list(because),
        public=False,
    )
    if not changed:
        return False
    entry.refresh_from_db()
    log_step(entry, "removed", actor, note or entry.get_removal_reason_display(), because=list(because))
    notify_all(department_officers(entry.department), f"sanctions:red:{entry.pk}:removed",
                f"守信激励对象已移出名单：{entry.subject.name}", note or entry.get_removal_reason_display())
    return True


def check_red_list(subject, *, actor=None) -> int:
    """Remove the subject from every red list it no longer qualifies for (a dishonesty record arrived, it was put on
    the severe list, a commitment was broken). Returns the number of entries removed."""
    entries = list(RedListEntry.objects.filter(subject=subject, status=RedListEntry.Status.LISTED))
    if not entries:
        return 0
    policy = active_policy()
    blockers = rules.red_list_blockers(subject_facts(subject), policy, today())
    if not blockers:
        return 0
    note = f"产生失信信息或列入严重失信名单，自动移出（{policy.red_list_requires_no_dishonesty.article}）"
    removed = 0
    for entry in entries:
        if remove_from_red_list(entry, reason=RedListEntry.Removal.DISHONESTY, actor=actor or "system",
                                because=blockers, note=note):
            removed += 1
    return removed


def check_red_lists(subject_ids: Iterable[int], facts: dict[int, rules.SubjectFacts], *, actor=None) -> dict[int, set[int]]:
    """:func:`check_red_list` for many subjects whose facts were read at once (``facts_for_subjects``): one query for
    the listed entries of every subject with a blocker. Returns the entries removed, by subject id."""
    policy = active_policy()
    day = today()
    blockers = {sid: b for sid in subject_ids if sid in facts and (b := rules.red_list_blockers(facts[sid], policy, day))}
    if not blockers:
        return {}
    note = f"产生失信信息或列入严重失信名单，自动移出（{policy.red_list_requires_no_dishonesty.article}）"
    removed: dict[int, set[int]] = {}
    for entry in RedListEntry.objects.filter(subject_id__in=list(blockers), status=RedListEntry.Status.LISTED):
        if remove_from_red_list(entry, reason=RedListEntry.Removal.DISHONESTY, actor=actor or "system",
                                because=blockers[entry.subject_id], note=note):
            removed.setdefault(entry.subject_id, set()).add(entry.pk)
    return removed
