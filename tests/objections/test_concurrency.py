"""Two workers sweeping at the same moment act once (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from credit_platform.models.notifications import Notification
from credit_platform.sweeps import batch_claimed
from objections import services, sweeps
from objections.models import Objection
from tests.concurrency import run_at_once
from tests.objections.conftest import at

pytestmark = pytest.mark.django_db(transaction=True)



@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
def test_two_workers_mark_and_escalate_once(record, handler, head, citizen, frozen):
    frozen("2026-09-30 11:00")
    objection = services.file_objection(records=[record], ground="inaccurate", statement="x", actor=citizen,
                                        channel="portal", applicant=citizen, handling_department=handler.department)
    now = at("2026-10-12 08:00")
    results = run_at_once(*[lambda: sweeps.sweep_marks(now)] * 4)
    assert sum(r["marked"] for r in results) == 1
    assert sum(r["mark_escalated"] for r in results) == 1
    objection = Objection.objects.get(pk=objection.pk)
    assert objection.events.filter(kind="auto_marked").count() == 1
    assert Notification.objects.filter(event_key=f"objection:{objection.pk}:escalate:mark").count() == 2


def _overdue_objection(record, handler, citizen, frozen):
    frozen("2026-09-30 11:00")
    objection = services.file_objection(records=[record], ground="inaccurate", statement="x", actor=citizen,
                                        channel="portal", applicant=citizen, handling_department=handler.department)
    services.start_review(objection, actor=handler, now=at("2026-10-09 09:00"))
    objection.refresh_from_db()
    return objection, at("2026-12-01 08:00")  # long past the decision deadline


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
def test_a_decision_made_while_the_sweep_holds_the_objection_waits_and_the_escalation_stands(
    record, handler, head, citizen, frozen
):
    """The sweep claimed the overdue objection first: the handler's decision waits for the sweep's batch to commit,
    then lands; the objection was overdue when escalated, so both the escalation and the decision are on file."""
    objection, now = _overdue_objection(record, handler, citizen, frozen)
    decided, errors = threading.Event(), []

    def decide_in_other_session():
        try:
            services.decide(Objection.objects.get(pk=objection.pk), outcome="unchanged", reasons="经核查，记载无误。",
                            actor=handler, now=now)
            decided.set()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    other = threading.Thread(target=decide_in_other_session)

    def while_sweep_holds_the_batch(sender, ids, **kwargs):
        if sender == "objections.decision_escalations" and objection.pk in ids:
            other.start()
            assert not decided.wait(1.0), "the decision went through a row the sweep had claimed"

    batch_claimed.connect(while_sweep_holds_the_batch)
    try:
        result = sweeps.sweep_escalations(now)
    finally:
        batch_claimed.disconnect(while_sweep_holds_the_batch)
    other.join(10)
    assert not errors
    assert decided.is_set()
    assert result["decision_escalated"] == 1
    objection.refresh_from_db()
    assert objection.status == "decided" and objection.decision_escalated_at == now
    kinds = list(objection.events.order_by("id").values_list("kind", flat=True))
    assert kinds.count("escalated") == 1 and kinds.count("decided") == 1
    assert kinds.index("escalated") < kinds.index("decided")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
def test_a_decision_in_progress_when_the_sweep_runs_is_not_escalated(record, handler, head, citizen, frozen):
    """The handler's decision holds the row when the sweep comes: the sweep skips it (SKIP LOCKED), and once the
    decision commits there is nothing left to escalate — no escalation is recorded or sent for a decided objection."""
    objection, now = _overdue_objection(record, handler, citizen, frozen)
    in_decision, sweep_done, errors, results = threading.Event(), threading.Event(), [], []

    def sweep_in_other_session():
        try:
            in_decision.wait(10)
            results.append(sweeps.sweep_escalations(now))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            sweep_done.set()
            connection.close()

    sweeper = threading.Thread(target=sweep_in_other_session)
    sweeper.start()
    with transaction.atomic():
        services.decide(Objection.objects.get(pk=objection.pk), outcome="unchanged", reasons="经核查，记载无误。",
                        actor=handler, now=now)
        in_decision.set()
        assert sweep_done.wait(10), "the sweep waited for the decision instead of skipping the row"
    sweeper.join(10)
    assert not errors
    assert results[0]["decision_escalated"] == 0
    assert sweeps.sweep_escalations(now)["decision_escalated"] == 0
    objection.refresh_from_db()
    assert objection.status == "decided" and objection.decision_escalated_at is None
    assert not objection.events.filter(kind="escalated").exists()
    assert not Notification.objects.filter(event_key=f"objection:{objection.pk}:escalate:decision").exists()
