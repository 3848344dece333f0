"""Severe list, red list and commitments on the boundary days ("Tests that hold the statute in place").

Every period is tested on the day before, the day itself and the day after, and around local midnight: between
00:00 and 08:00 Asia/Shanghai the UTC date is still the previous day, so a rule that read the UTC date would act a day
late (or early). The clock is frozen with time-machine; the dates sit around the 2026 National Day holiday
(1–8 October off, Saturday 10 October a working day), so the working-day count is the real one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from credit_platform.exceptions import DomainError
from credit_platform.workdays import add_working_days
from sanctions import services, sweeps
from sanctions.models import Defence, RedListEntry, SevereListEntry
from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db
S = SevereListEntry.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")

NOTICE_AT = "2026-09-29 10:00"  # Tuesday before National Day
#: 5 working days, the day of notice not counted: 30 Sep, 8 Oct, 9 Oct, Sat 10 Oct (调休), Mon 12 Oct.
DEFENCE_DUE = date(2026, 10, 12)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def utc_date(text: str) -> date:
    return at(text).astimezone(UTC).date()


def notified(department, *, term: int = 12) -> SevereListEntry:
    subject = f.org()
    rec = f.record(department, subject, severity="severe")
    entry = services.propose_severe_listing(
        subject, department=department, reasons="生产销售不合格产品，严重危害人民群众身体健康",
        basis="《中华人民共和国产品质量法》", records=[rec], measures=(), term_months=term,
        removal_conditions="列入满一年且已履行行政处罚义务", removal_procedure="向认定部门提出申请，认定部门核实后移出",
        remedies="可以依法申请行政复议或者提起行政诉讼", actor="officer",
    )
    with time_machine.travel(at(NOTICE_AT), tick=False):
        services.send_prior_notice(entry, actor="officer", notice_number=f"告-{entry.pk}", defence_days=5)
    entry.refresh_from_db()
    assert entry.defence_due == DEFENCE_DUE and entry.defence_due_provisional is False
    return entry


def decide(entry, when: str) -> SevereListEntry:
    with time_machine.travel(at(when), tick=False):
        return services.decide_listing(entry, actor="officer", decision_number=f"决-{entry.pk}")


@pytest.mark.parametrize("when", [
    "2026-10-11 10:00",  # the day before the last day
    "2026-10-12 00:00:01",  # the last day, just after local midnight
    "2026-10-12 23:59:59",  # the last day, just before local midnight
])
def test_no_severe_list_decision_on_or_before_the_last_day_of_the_defence_period(department, when):
    """国办发〔2020〕49号; Karamay art. 15, Heilongjiang art. 55: the decision comes only after the statement-and-defence
    period has run out — the last day of the period still belongs to the subject."""
    entry = notified(department)
    with pytest.raises(DomainError) as exc:
        decide(entry, when)
    assert exc.value.code == "defence_period_running"
    entry.refresh_from_db()
    assert entry.status == S.NOTIFIED


@pytest.mark.parametrize("when", [
    "2026-10-13 00:00:30",  # local 13 October; UTC still 12 October
    "2026-10-13 10:00",
])
def test_severe_list_decision_the_day_after_the_defence_period(department, when):
    entry = notified(department)
    if when.endswith("00:00:30"):
        assert utc_date(when) == DEFENCE_DUE  # the UTC date would still forbid it
    entry = decide(entry, when)
    assert entry.status == S.LISTED and entry.listed_on == date(2026, 10, 13)
    assert entry.term_end == date(2027, 10, 13)  # 12 months, the corresponding day (Civil Code art. 202)


@pytest.mark.parametrize("when, late", [
    ("2026-10-11 10:00", False),
    ("2026-10-12 23:59:59", False),  # the last day of the period
    ("2026-10-13 00:00:30", True),  # the day after (UTC still the last day)
    ("2026-10-13 10:00", True),
])
def test_a_statement_is_late_only_after_the_last_day(department, when, late):
    """Heilongjiang art. 55: statements within the period are in time; later ones are kept and flagged."""
    entry = notified(department)
    with time_machine.travel(at(when), tick=False):
        defence = services.submit_defence(entry, statement="产品已全部召回", user=None)
    assert Defence.objects.get(pk=defence.pk).late is late


def listed(department) -> SevereListEntry:
    entry = decide(notified(department), "2026-10-13 10:00")
    assert entry.term_end == date(2027, 10, 13)
    return entry


@pytest.mark.parametrize("when, removed", [
    ("2027-10-11 00:05", False),  # the day before the day before
    ("2027-10-12 23:59", False),  # the last day on the list
    ("2027-10-13 00:05", True),  # beat's 00:05 Shanghai run: UTC is still 12 October
    ("2027-10-14 00:05", True),  # a night late: caught up
])
def test_severe_list_term_ends_on_the_corresponding_day(department, when, removed):
    """The term end is the first day off the list (Heilongjiang art. 51 / Karamay art. 15 decision term); the sweep
    reads the Shanghai date."""
    entry = listed(department)
    with time_machine.travel(at(when), tick=False):
        acted = sweeps.severe_list_terms(datetime.now(UTC))
    entry.refresh_from_db()
    assert acted == int(removed)
    assert (entry.status == S.REMOVED) is removed


REMOVED_AT = "2026-09-29 10:00"
#: Qufu art. 35: publicity stops within 3 working days of the removal: 30 Sep, 8 Oct, 9 Oct.
STOP_DUE = date(2026, 10, 9)


@pytest.mark.parametrize("when, late", [
    ("2026-10-08 10:00", False),
    ("2026-10-09 23:59", False),  # the last day
    ("2026-10-10 00:01", True),  # the day after (UTC still the 9th)
    ("2026-10-10 10:00", True),
])
def test_qufu_35_publicity_stopped_on_the_last_day_is_in_time(department, profile, when, late):
    profile("qufu")
    entry = listed(department)
    services.remove_from_severe_list(entry, reason=SevereListEntry.Removal.TERM_END, actor="o", now=at(REMOVED_AT))
    entry.refresh_from_db()
    assert entry.publicity_stop_due == STOP_DUE == add_working_days(date(2026, 9, 29), 3).date
    with time_machine.travel(at(when), tick=False):
        assert sweeps.publicity(datetime.now(UTC)) == 1
    entry.refresh_from_db()
    assert entry.public is False and entry.publicity_stopped_late is late


@pytest.mark.parametrize("when, removed", [
    ("2026-11-29 10:00", False),
    ("2026-11-30 23:59", False),  # valid until the 30th, inclusive
    ("2026-12-01 00:10", True),  # beat's 00:10 Shanghai run (UTC 30 November)
    ("2026-12-02 00:10", True),
])
def test_red_list_valid_through_its_last_day(department, when, removed):
    subject = f.org()
    f.record(department, subject, category="trust")
    with time_machine.travel(at("2026-06-01 10:00"), tick=False):
        entry = services.add_to_red_list(subject, department=department, criteria="表彰", actor="t",
                                         valid_until=date(2026, 11, 30))
    with time_machine.travel(at(when), tick=False):
        assert sweeps.red_list_terms(datetime.now(UTC)) == int(removed)
    entry.refresh_from_db()
    assert (entry.status == RedListEntry.Status.REMOVED) is removed


@pytest.mark.parametrize("when, escalated", [
    ("2026-11-09 08:00", 0),
    ("2026-11-10 23:59", 0),  # the last day of the two months
    ("2026-11-11 00:05", 1),  # the next Shanghai day (UTC 10 November)
])
def test_heilongjiang_30_commitment_check_overdue_the_day_after_two_months(client_scjg, licensing, profile, when,
                                                                            escalated):
    """Heilongjiang art. 30: the commitment is checked within 2 months of the licence (10 September → 10 November)."""
    profile("heilongjiang")
    payload = {"subject": f.org().code, "source_ref": "XK-B1", "kind": "licence", "matter": "administrative_licence",
               "title": "食品经营许可告知承诺", "content": "承诺具备食品经营条件", "made_on": "2026-09-10",
               "licence_number": "JY2026-B1", "licence_decided_on": "2026-09-10"}
    with time_machine.travel(at("2026-09-11 10:00"), tick=False):
        response = client_scjg.post("/api/v1/commitments/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["verification_due"] == "2026-11-10"
    with time_machine.travel(at(when), tick=False):
        assert sweeps.commitments(datetime.now(UTC))["escalated"] == escalated
