"""The objection clock on the boundary days ("Tests that hold the statute in place").

Karamay art. 34: the disputed mark within 2 working days, the decision within 7. An objection received on
Wednesday 30 September 2026 (before the National Day holiday, 1–8 October off, Saturday 10 October a working day)
is to be marked by 9 October and decided by 15 October. Each date is tested the day before, the day itself and the
day after, and just after local midnight — when the UTC date is still the day before. The clock is frozen with
time-machine; the decision goes through the API as a handler's system would send it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from objections import services, sweeps
from objections.models import EventKind, Objection
from tests.objections.conftest import at

pytestmark = pytest.mark.django_db

RECEIVED_AT = "2026-09-30 11:00"
MARK_DUE = date(2026, 10, 9)
DECISION_DUE = date(2026, 10, 15)


@pytest.fixture
def received(record, citizen, handler, head):
    with time_machine.travel(at(RECEIVED_AT), tick=False):
        objection = services.file_objection(
            records=[record], ground="inaccurate", statement="记载有误", actor=citizen, channel="portal",
            applicant=citizen, handling_department=handler.department,
        )
    assert (objection.mark_due, objection.decision_due, objection.provisional) == (MARK_DUE, DECISION_DUE, False)
    return objection



@pytest.mark.parametrize("when, on_time", [
    ("2026-10-14 10:00", True),
    ("2026-10-15 23:59:59", True),  # the due date, a second before local midnight
    ("2026-10-16 00:00:30", False),  # the next Shanghai day; UTC still 15 October
    ("2026-10-16 10:00", False),
])
def test_decision_on_its_due_date_is_on_time(received, handler_client, when, on_time):
    """Karamay art. 34: decided within 7 working days — the due date itself is in time."""
    with time_machine.travel(at(when), tick=False):
        response = handler_client.post(f"/api/v1/objections/{received.pk}/decide/",
                                       {"outcome": "unchanged", "reasons": "经核查，记录无误。"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["decided_on_time"] is on_time
    assert Objection.objects.get(pk=received.pk).decided_on_time is on_time


@pytest.mark.parametrize("when, marked, escalated", [
    ("2026-10-08 23:59", False, False),  # the day before the mark is due
    ("2026-10-09 00:05", True, False),  # the due date: the sweep marks in time
    ("2026-10-10 00:05", True, True),  # the day after (UTC 9 October): marked late and escalated
])
def test_mark_sweep_on_the_boundary_days(received, when, marked, escalated):
    with time_machine.travel(at(when), tick=False):
        sweeps.sweep_marks(datetime.now(UTC))
    objection = Objection.objects.get(pk=received.pk)
    assert (objection.status == "marked") is marked
    assert (objection.mark_escalated_at is not None) is escalated


@pytest.mark.parametrize("when, late", [
    ("2026-10-09 23:59", False),
    ("2026-10-10 00:01", True),  # UTC still 9 October
])
def test_a_handlers_mark_is_late_only_after_the_due_date(received, handler, when, late):
    services.mark(received, actor=handler, now=at(when))
    event = received.events.filter(kind=EventKind.MARKED).latest("pk")
    assert event.data["late"] is late


@pytest.fixture
def marked(received, handler):
    services.mark(received, actor=handler, now=at("2026-10-08 09:00"))
    return Objection.objects.get(pk=received.pk)


@pytest.mark.parametrize("when, escalated", [
    ("2026-10-14 00:05", False),
    ("2026-10-15 23:59", False),  # the due date: still in time
    ("2026-10-16 00:05", True),  # the next Shanghai day (UTC 15 October)
    ("2026-10-19 00:05", True),  # a missed weekend caught up
])
def test_decision_escalated_the_day_after_its_due_date(marked, when, escalated):
    with time_machine.travel(at(when), tick=False):
        sweeps.sweep_escalations(datetime.now(UTC))
    assert (Objection.objects.get(pk=marked.pk).decision_escalated_at is not None) is escalated


@pytest.mark.parametrize("decided_at", ["2026-10-15 16:00", "2026-10-17 10:00"])  # on time, late
def test_a_decided_objection_is_never_escalated(marked, handler, decided_at):
    """Only open objections are overdue: a decision — on time or late — ends the clock (Karamay art. 34)."""
    services.decide(marked, outcome="unchanged", reasons="经核查，记录无误。", actor=handler, now=at(decided_at))
    counts = sweeps.sweep_escalations(at("2026-10-20 00:05"))
    assert counts["decision_escalated"] == 0
    objection = Objection.objects.get(pk=marked.pk)
    assert objection.decision_escalated_at is None and objection.escalated_at is None
    assert not objection.events.filter(kind=EventKind.ESCALATED).exists()


def test_a_decision_between_the_claim_and_the_escalation_wins(marked, handler, monkeypatch):
    """SQLite has no row locks: a handler may decide after the sweep selected the row. The escalation's
    compare-and-swap must still see that the objection is no longer open."""
    original = sweeps.each_in_batches

    def racing(label, due, act_one, **kwargs):
        if label != "objections.decision_escalations":
            return original(label, due, act_one, **kwargs)

        def decided_first(pk):
            services.decide(Objection.objects.get(pk=pk), outcome="unchanged", reasons="经核查，记录无误。",
                            actor=handler, now=at("2026-10-16 00:04"))
            return act_one(pk)

        return original(label, due, decided_first, **kwargs)

    monkeypatch.setattr(sweeps, "each_in_batches", racing)
    counts = sweeps.sweep_escalations(at("2026-10-16 00:05"))
    objection = Objection.objects.get(pk=marked.pk)
    assert objection.status == "decided" and objection.decided_on_time is False
    assert counts["decision_escalated"] == 0 and objection.decision_escalated_at is None
    assert not objection.events.filter(kind=EventKind.ESCALATED).exists()
