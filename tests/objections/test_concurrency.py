"""Two workers sweeping at the same moment act once (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection

from credit_platform.models.notifications import Notification
from objections import services, sweeps
from objections.models import Objection

from tests.objections.conftest import at

pytestmark = pytest.mark.django_db(transaction=True)

# Opt-in: a transactional test ends with a TRUNCATE of every table, which the disclosure app's append-only
# query-log trigger refuses on PostgreSQL. Run with OBJECTIONS_CONCURRENCY_TEST=1 on a database without it.
opt_in = pytest.mark.skipif(not os.environ.get("OBJECTIONS_CONCURRENCY_TEST"), reason="set OBJECTIONS_CONCURRENCY_TEST=1")


@opt_in
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
def test_two_workers_mark_and_escalate_once(record, handler, head, citizen, frozen):
    frozen("2026-09-30 11:00")
    objection = services.file_objection(records=[record], ground="inaccurate", statement="x", actor=citizen,
                                        channel="portal", applicant=citizen, handling_department=handler.department)
    now = at("2026-10-12 08:00")
    barrier = threading.Barrier(4)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(sweeps.sweep_marks(now))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r["marked"] for r in results) == 1
    assert sum(r["mark_escalated"] for r in results) == 1
    objection = Objection.objects.get(pk=objection.pk)
    assert objection.events.filter(kind="auto_marked").count() == 1
    assert Notification.objects.filter(event_key=f"objection:{objection.pk}:escalate:mark").count() == 2
