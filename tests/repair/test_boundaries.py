"""Repair deadlines on the boundary days ("Tests that hold the statute in place").

NDRC Order 36: the deciding department accepts or refuses within 3 working days and gives the result within 10
working days of acceptance; the minimum publicity period must have passed before repair. Each date is tested on the
day before, the day itself and the day after, and just after local midnight (the UTC date is still the day before;
the deadline sweep runs at minute 10 of every hour). Around the 2026 National Day holiday (1–8 October off,
Saturday 10 October a working day).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from credit_platform import roles
from repair import services, sweeps
from tests.repair import factories as f

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def reviewer(make_official):
    return make_official("reviewer", roles.REPAIR_REVIEWER)


@pytest.fixture
def submitted(department, reviewer):
    record = f.record(department, decided_on=date(2025, 1, 15))
    app = services.apply(record, applicant_name="李四", correction_statement="整改完毕",
                         commitment=services.commitment_text(record, "李四"), channel="paper", registered_by=reviewer,
                         now=at("2026-09-28 10:00"))
    assert app.accept_due == date(2026, 10, 8) and not app.provisional  # 29, 30 Sep, 8 Oct
    return app


def sweep_at(text: str) -> dict:
    with time_machine.travel(at(text), tick=False):
        return sweeps.remind_and_escalate(datetime.now(UTC))


@pytest.mark.parametrize("when, escalated", [
    ("2026-10-07 10:10", 0),
    ("2026-10-08 23:10", 0),  # the last day to accept or refuse
    ("2026-10-09 00:10", 1),  # the next Shanghai day (UTC 8 October)
    ("2026-10-12 00:10", 1),  # a missed weekend caught up
])
def test_acceptance_escalated_the_day_after_its_due_date(submitted, when, escalated):
    assert sweep_at(when)["accept_escalated"] == escalated


@pytest.mark.parametrize("when, escalated", [
    ("2026-10-19 10:10", 0),
    ("2026-10-20 23:10", 0),  # the last day for the result
    ("2026-10-21 00:10", 1),  # UTC 20 October
])
def test_result_escalated_the_day_after_its_due_date(submitted, reviewer, when, escalated):
    accepted = services.accept(submitted, actor=reviewer, now=at("2026-09-30 10:00"))
    # 10 working days after 30 Sep: 8, 9, 10 (working Saturday), 12–16, 19, 20 Oct
    assert accepted.decision_due == date(2026, 10, 20)
    assert sweep_at(when)["decision_escalated"] == escalated


@pytest.mark.parametrize("when, eligible", [
    ("2026-04-15 23:59", False),  # the last day of the 3-month minimum
    ("2026-04-16 00:30", True),  # the first day repair is possible (UTC still 15 April)
])
def test_repair_possible_from_the_local_day_after_the_minimum_period(department, when, eligible):
    """Order 36: general dishonesty may be repaired once the 3-month minimum has passed (corresponding day,
    Civil Code art. 202)."""
    record = f.record(department, decided_on=date(2026, 1, 15), severity="general")
    with time_machine.travel(at(when), tick=False):
        result = services.check_eligibility(record)
    assert result.earliest_date == date(2026, 4, 16)
    assert result.eligible is eligible
