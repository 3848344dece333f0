"""公共信用综合评价 (recomputed from the subject's facts) and 约谈 (interviews recorded on the subject's file)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from credit_platform.exceptions import DomainError
from credit_platform.workdays import local_date
from sanctions import rules
from sanctions.models import Evaluation, Interview
from sanctions.services.common import credential_label, log_step, save_with_reason, subject_facts, today


# --- evaluation ---------------------------------------------------------------------------------------------------
def recompute_evaluation(subject, *, exclude_records: Iterable[int] = (), now: datetime | None = None) -> Evaluation:
    now = now or timezone.now()
    facts = subject_facts(subject, exclude_records=exclude_records)
    result = rules.evaluate(facts, local_date(now), red_list_ids=facts.red_list_ids)
    values = dict(score=result.score, grade=result.grade, tier=result.tier or "", reasons=list(result.reasons),
                  model_version=result.model_version, recompute_on=result.recompute_on)
    with transaction.atomic():
        current = Evaluation.objects.select_for_update().filter(subject=subject).first()
        if current is None:
            current = Evaluation(subject=subject, computed_at=now, **values)
            save_with_reason(current, "首次评价")
            return current
        changed = any(getattr(current, k) != v for k, v in values.items())
        if changed:
            for k, v in values.items():
                setattr(current, k, v)
            current.computed_at = now
            save_with_reason(current, "重新评价")
    return current


# --- interviews -----------------------------------------------------------------------------------------------------
@transaction.atomic
def record_interview(subject, *, department, kind: str, held_on: date, interviewee: str, reason: str, summary: str,
                     actor, interviewee_role: str = "", officials: str = "", requirements: str = "",
                     rectify_by: date | None = None, records: Iterable = (), severe_entry=None) -> Interview:
    """约谈 recorded on the subject's file (Qufu art. 19; Heilongjiang art. 44 for public bodies on the list)."""
    missing = {k: ["required"] for k, v in (("interviewee", interviewee), ("reason", reason), ("summary", summary))
               if not (v or "").strip()}
    if missing:
        raise DomainError("required", "须填写被约谈人、事由和内容 / interviewee, reason and summary are required",
                            fields=missing)
    if held_on > today():
        raise DomainError("date_in_future", "约谈日期不能晚于今天 / the interview date is in the future",
                            fields={"held_on": ["future"]})
    records = list(records)
    for r in records:
        if r.subject_id != subject.pk:
            raise DomainError("record_of_other_subject", "失信信息不属于该主体 / a record belongs to another subject",
                                fields={"records": [r.pk]})
    interview = Interview.objects.create(
        subject=subject, department=department, kind=kind, held_on=held_on, interviewee=interviewee.strip(),
        interviewee_role=interviewee_role, officials=officials, reason=reason.strip(), summary=summary.strip(),
        requirements=requirements, rectify_by=rectify_by, severe_entry=severe_entry, recorded_by=credential_label(actor),
    )
    interview.records.set(records)
    log_step(interview, "recorded", actor, reason)
    return interview
