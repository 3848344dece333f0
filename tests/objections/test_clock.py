"""The statutory clock, pinned (Issue 5): Karamay art. 34 and Heilongjiang art. 53 on the Chinese working-day calendar."""

from __future__ import annotations

from datetime import date

import pytest

from credit_platform.policies import get_policy
from objections import clock
from tests.objections.conftest import at

pytestmark = pytest.mark.django_db

KARAMAY = [
    # received, mark due, decision due, 15-day cap, provisional
    ("2026-09-30 10:00", date(2026, 10, 9), date(2026, 10, 15), date(2026, 10, 27), False),
    ("2026-02-13 10:00", date(2026, 2, 24), date(2026, 3, 2), None, False),
    ("2026-10-03 10:00", date(2026, 10, 9), None, None, False),  # received on a holiday
    ("2026-11-24 00:30", date(2026, 11, 26), None, None, False),  # still 23 November in UTC
    ("2026-12-28 10:00", date(2026, 12, 30), None, None, True),  # decision due in uncovered 2027
]

HEILONGJIANG = [
    ("2026-09-30 10:00", date(2026, 10, 8), date(2026, 10, 10), False),  # 10 Oct 2026 is a working Saturday
    ("2026-02-13 10:00", date(2026, 2, 14), date(2026, 2, 25), False),  # 14 Feb 2026 is a working Saturday
    ("2026-10-03 10:00", date(2026, 10, 8), date(2026, 10, 10), False),
    ("2026-11-24 00:30", date(2026, 11, 25), date(2026, 11, 27), False),
    ("2026-12-28 10:00", date(2026, 12, 29), date(2026, 12, 31), False),
]


@pytest.mark.parametrize("received, mark, decision, cap, provisional", KARAMAY)
def test_karamay_schedule(received, mark, decision, cap, provisional):
    schedule = clock.objection_schedule(at(received), get_policy("karamay"))
    assert schedule.mark_due == mark
    if decision:
        assert schedule.decision_due == decision
    if cap:
        assert schedule.decision_cap == cap
    assert schedule.provisional is provisional


def test_karamay_december_decision_is_provisional_january():
    schedule = clock.objection_schedule(at("2026-12-28 10:00"), get_policy("karamay"))
    assert schedule.decision_due.year == 2027 and schedule.decision_due.month == 1
    assert schedule.provisional


def test_utc_date_is_not_the_receipt_date():
    moment = at("2026-11-24 00:30")
    assert moment.astimezone(clock.DueDate.__module__ and __import__("datetime").timezone.utc).day == 23
    assert clock.objection_schedule(moment, get_policy("karamay")).mark_due == date(2026, 11, 26)


@pytest.mark.parametrize("received, mark, decision, provisional", HEILONGJIANG)
def test_heilongjiang_schedule(received, mark, decision, provisional):
    policy = get_policy("heilongjiang")
    schedule = clock.objection_schedule(at(received), policy)
    assert (schedule.mark_due, schedule.decision_due, schedule.provisional) == (mark, decision, provisional)
    assert schedule.decision_cap is None  # Heilongjiang provides no extension


def test_heilongjiang_assisted_period_and_december_provisional():
    policy = get_policy("heilongjiang")
    schedule = clock.objection_schedule(at("2026-12-28 10:00"), policy, assisted=True)
    assert schedule.decision_due.year == 2027 and schedule.provisional
    schedule = clock.objection_schedule(at("2026-09-30 10:00"), policy, assisted=True)
    assert schedule.decision_due == date(2026, 10, 15)


def test_paused_days_move_the_decision_date():
    policy = get_policy("heilongjiang")
    # paused Friday 9 Oct, resumed Tuesday 13 Oct: Sat 10 (working), Mon 12, Tue 13 → 3 working days
    paused = clock.paused_working_days([(at("2026-10-09 15:00"), at("2026-10-13 09:00"))])
    assert paused == 3
    schedule = clock.objection_schedule(at("2026-09-30 10:00"), policy, paused_days=paused)
    assert schedule.decision_due == date(2026, 10, 14)
    assert clock.paused_working_days([(at("2026-10-09 15:00"), None)]) == 0


def test_extension_never_passes_the_cap():
    policy = get_policy("karamay")
    schedule = clock.objection_schedule(at("2026-09-30 10:00"), policy, extended_total_days=15)
    assert schedule.decision_due == schedule.decision_cap == date(2026, 10, 27)
    assert clock.extension_allowed(get_policy("heilongjiang"))
    assert clock.extension_allowed(policy) is None


def test_pause_only_where_the_statute_says_so():
    assert clock.pause_allowed(get_policy("heilongjiang"), "appraisal") is None
    assert clock.pause_allowed(get_policy("heilongjiang"), "holiday_travel")
    assert clock.pause_allowed(get_policy("karamay"), "appraisal")


def test_silent_statute_has_no_clock():
    qufu = get_policy("qufu")
    schedule = clock.objection_schedule(at("2026-09-30 10:00"), qufu)
    assert schedule.mark_due is None and schedule.decision_due == date(2026, 10, 10)
    assert clock.complaint_reply_due(at("2026-09-30 10:00"), get_policy("karamay")) is None
    due = clock.complaint_reply_due(at("2026-09-30 10:00"), get_policy("heilongjiang"))
    assert due.date > date(2026, 10, 27)
    assert clock.correction_due("revocation_platform", date(2026, 9, 30), get_policy("heilongjiang")).date == date(2026, 10, 8)


def test_deadline_state():
    today = date(2026, 10, 9)
    assert clock.deadline_state(date(2026, 10, 8), today) == clock.OVERDUE
    assert clock.deadline_state(today, today) == clock.DUE_TODAY
    assert clock.deadline_state(date(2026, 10, 10), today) == clock.DUE_SOON
    assert clock.deadline_state(date(2026, 10, 20), today) == clock.ON_TRACK
    assert clock.deadline_state(None, today) == clock.NO_CLOCK
