"""The statutory clock: pure due-date functions over a policy profile and the working-day calendar.

Every function here takes the moment an event happened and a :class:`PolicyProfile` and returns the
due date(s) to *store* (DESIGN.md principle 2: the database is the clock). Nothing here writes to the
database; the calendar is read through :mod:`credit_platform.workdays`, so dates are Asia/Shanghai
dates, the day of the event is not counted (期间开始之日不计算在内) and a due date that rests on a year
the calendar does not cover yet is ``provisional``.

No statutory number is written here: every period comes from a profile rule. When a profile's rule is
``None`` (the statute sets no period) the step has no statutory clock and the function returns ``None``
for it — see each function for the documented fallback.

The same functions serve objections (异议), complaints about market credit collectors (投诉) and
providers' corrections and revocations (更正 / 撤销), so one calendar change recomputes all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from credit_platform.policies import PolicyProfile, Rule, active_policy, get_policy
from credit_platform.workdays import DueDate, add_working_days, local_date, working_days_between

__all__ = [
    "DueDate",
    "ObjectionSchedule",
    "assistance_due",
    "complaint_reply_due",
    "correction_due",
    "deadline_state",
    "due_after",
    "extension_allowed",
    "objection_schedule",
    "pause_allowed",
    "paused_working_days",
    "policy_for",
]


def policy_for(code: str | None) -> PolicyProfile:
    """The profile a case was received under (stored on the case), or the active one for a new case.

    A case keeps the law that applied when it was received: switching ``CREDIT_POLICY`` later does not
    move the due dates of cases already running.
    """
    return get_policy(code) if code else active_policy()


def due_after(start: date | datetime, rule: Rule) -> DueDate | None:
    """``rule.value`` working days after ``start`` (the start day not counted), or ``None`` if the statute is silent."""
    if rule.value is None:
        return None
    return add_working_days(start, int(rule.value))


# --- objections --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectionSchedule:
    """The due dates of one objection, as stored on it.

    * ``mark_due`` — the disputed mark must be shown by this date (None: the statute sets no period; the
      platform then marks on receipt, see ``services.file_objection``).
    * ``decision_due`` — the written decision must reach the applicant by this date: the base period
      (or the assisted period once another unit is asked to verify), moved by paused working days, or the
      approved extension. None: no statutory decision period (the profile defers to other rules).
    * ``decision_cap`` — the latest date an extension may reach (Karamay art. 34's cumulative total);
      None where the profile provides no extension.
    * ``provisional`` — any of the dates rests on a year the calendar does not cover yet.
    """

    mark_due: date | None
    decision_due: date | None
    decision_cap: date | None
    provisional: bool
    decision_days: int | None  # the working days counted from receipt that produced decision_due (before pauses)


def objection_schedule(
    received_at: date | datetime,
    policy: PolicyProfile,
    *,
    assisted: bool = False,
    paused_days: int = 0,
    extended_total_days: int | None = None,
) -> ObjectionSchedule:
    """Compute an objection's due dates from its receipt moment and what has happened to it so far.

    ``assisted``: another unit was asked to verify — the profile's assisted period applies if it has one
    (Heilongjiang art. 53, Qufu art. 59); Karamay has none, its complex cases use the extension instead.
    ``paused_days``: working days of inspection / testing / appraisal that are not counted (Heilongjiang
    art. 53) — they move the decision date and the cap. ``extended_total_days``: the approved total
    (counted from receipt) of an extension, at most the profile's cumulative cap (Karamay art. 34).
    """
    mark = due_after(received_at, policy.objection_mark_days)

    base_days = policy.objection_decision_days.value
    assisted_days = policy.objection_decision_days_assisted.value
    if assisted and assisted_days is not None:
        base_days = assisted_days if base_days is None else max(base_days, assisted_days)
    if extended_total_days is not None:
        base_days = extended_total_days if base_days is None else max(base_days, extended_total_days)

    provisional = bool(mark and mark.provisional)
    decision: date | None = None
    if base_days is not None:
        due = add_working_days(received_at, base_days + max(0, paused_days))
        decision, provisional = due.date, provisional or due.provisional

    cap: date | None = None
    cap_days = policy.objection_extension_total_days.value
    if cap_days is not None:
        due = add_working_days(received_at, cap_days + max(0, paused_days))
        cap, provisional = due.date, provisional or due.provisional

    return ObjectionSchedule(
        mark_due=mark.date if mark else None,
        decision_due=decision,
        decision_cap=cap,
        provisional=provisional,
        decision_days=base_days,
    )


def paused_working_days(intervals: Iterable[tuple[date | datetime, date | datetime | None]]) -> int:
    """Working days an objection's clock stood still, summed over closed pauses.

    A pause from ``start`` to ``end`` does not count the working days after the start date up to and
    including the end date (the same "start day not counted" rule as every period): sent for testing on
    Tuesday and the result back on Thursday moves the due date by two working days. Open pauses
    (``end is None``) are not counted until they end.
    """
    total = 0
    for start, end in intervals:
        if end is None:
            continue
        total += max(0, working_days_between(start, end))
    return total


def pause_allowed(policy: PolicyProfile, activity: str) -> str | None:
    """``None`` when the profile lets ``activity`` stop the clock; otherwise the reason (Chinese) it does not."""
    if not policy.objection_pause_not_counted.value:
        return f"{policy.title}未规定不计入异议处理期限的事项，不能暂停计时；情况复杂的请按规定办理延长。"
    if activity not in policy.objection_pause_activities.value:
        return f"“{activity}”不属于{policy.objection_pause_activities.article}规定的不计入处理期限的事项。"
    return None


def extension_allowed(policy: PolicyProfile) -> str | None:
    """``None`` when the profile provides an extension (with a cumulative cap); otherwise why not."""
    if policy.objection_extension_total_days.value is None:
        return f"{policy.title}未规定异议处理期限的延长，不能延长。"
    return None


def assistance_due(sent_at: date | datetime, policy: PolicyProfile) -> DueDate | None:
    """When the assisting unit must answer (Heilongjiang art. 53: 2 working days from the notice).

    None where the statute sets no period for the assisting unit: the request is then tracked without a
    clock of its own and the objection's decision date remains the binding limit.
    """
    return due_after(sent_at, policy.objection_assist_reply_days)


# --- complaints and provider corrections ------------------------------------------------------------------


def complaint_reply_due(received_at: date | datetime, policy: PolicyProfile) -> DueDate | None:
    """Written answer to a complaint about a market credit collector (Heilongjiang art. 57).

    None where the profile has no such rule: the complaint is handled "timely" with no statutory date.
    """
    return due_after(received_at, policy.complaint_reply_days)


#: provider-side steps on the same clock, each with the profile rule that sets its period.
CORRECTION_RULES = {
    "correction": lambda p: p.correction_days,  # provider found its own error (Heilongjiang 52 ¶1, Qufu 57)
    # basis revoked: provider reports (Heilongjiang 52 ¶3, Qufu 58)
    "revocation_provider": lambda p: p.revocation_provider_days,
    "revocation_platform": lambda p: p.revocation_platform_days,  # basis revoked: platform removes (Heilongjiang 52 ¶3)
    "objection_correction": lambda p: p.objection_correction_days,  # error confirmed on objection (Qufu 59)
}


def correction_due(kind: str, start: date | datetime, policy: PolicyProfile) -> DueDate | None:
    """Due date of a provider correction or revocation step counted from ``start`` (discovery, the basis
    being changed, or the error being confirmed). None where the profile says only "timely" (及时)."""
    try:
        rule = CORRECTION_RULES[kind]
    except KeyError:
        raise ValueError(f"unknown correction kind {kind!r}; choose one of {', '.join(CORRECTION_RULES)}") from None
    return due_after(start, rule(policy))


# --- display ----------------------------------------------------------------------------------------------

OVERDUE, DUE_TODAY, DUE_SOON, ON_TRACK, NO_CLOCK = "overdue", "due_today", "due_soon", "on_track", "no_clock"


def deadline_state(due: date | None, today: date | datetime, *, soon_working_days: int = 1) -> str:
    """``overdue`` / ``due_today`` / ``due_soon`` (within ``soon_working_days`` working days) / ``on_track``."""
    if due is None:
        return NO_CLOCK
    today = local_date(today)
    if due < today:
        return OVERDUE
    if due == today:
        return DUE_TODAY
    if working_days_between(today, due) <= soon_working_days:
        return DUE_SOON
    return ON_TRACK
