"""公共信用综合评价 (recomputed from the subject's facts) and 约谈 (interviews recorded on the subject's file)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

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
    values = _values(result)
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


#: rows per UPDATE statement in ``recompute_evaluations``
UPDATE_SLICE = 200


def _values(result) -> dict:
    return {"score": result.score, "grade": result.grade, "tier": result.tier or "", "reasons": list(result.reasons),
            "model_version": result.model_version, "recompute_on": result.recompute_on}


def recompute_evaluations(facts_by_subject: dict[int, rules.SubjectFacts], *, now: datetime | None = None) -> int:
    """:func:`recompute_evaluation` for many subjects at once, set-based (one locking read, one bulk insert and bulk
    updates of 200 rows, with their history rows): what a push of thousands of records needs
    to keep pace with ingestion. ``facts_by_subject`` comes from ``facts_for_subjects``; the result for each subject
    is the one the one-by-one computation gives. Returns the number of evaluations written."""
    if not facts_by_subject:
        return 0
    now = now or timezone.now()
    day = local_date(now)
    results = {sid: _values(rules.evaluate(f, day, red_list_ids=f.red_list_ids)) for sid, f in facts_by_subject.items()}
    fields = ["score", "grade", "tier", "reasons", "model_version", "recompute_on", "computed_at"]
    with transaction.atomic():
        # rows locked in subject order, so two workers recomputing overlapping sets never deadlock
        current = {e.subject_id: e for e in Evaluation.objects.select_for_update().filter(
            subject_id__in=list(results)).order_by("subject_id")}
        changed = []
        for sid, values in results.items():
            e = current.get(sid)
            if e is None or not any(getattr(e, k) != v for k, v in values.items()):
                continue
            for k, v in values.items():
                setattr(e, k, v)
            e.computed_at = now
            changed.append(e)
        if changed:
            # in slices: Django's bulk update is one CASE per field over every row, quadratic in the slice
            # (5,000 rows in one statement took minutes on PostgreSQL; 200 a slice is linear again)
            bulk_update_with_history(changed, Evaluation, fields, batch_size=UPDATE_SLICE, default_change_reason="重新评价",
                                     default_date=now)
        new = [Evaluation(subject_id=sid, computed_at=now, **values) for sid, values in results.items()
               if sid not in current]
        written = len(changed)
        if new:
            try:
                with transaction.atomic():
                    bulk_create_with_history(new, Evaluation, default_change_reason="首次评价", default_date=now)
                written += len(new)
            except IntegrityError:
                # another worker created some of these evaluations meanwhile: settle them one by one under its lock
                for e in new:
                    recompute_evaluation(e.subject, now=now)
                    written += 1
    return written


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
