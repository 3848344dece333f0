"""A request in disclosure, repair or objections never depends on the broker (DESIGN.md principle 2): every task it
sends goes through ``credit_platform.queue.enqueue`` (after commit, failures logged), and the sweeps catch up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from kombu.exceptions import OperationalError

from records import outbox
from records.models import DeliveryStatus, OutboxDelivery, Subscription

APPS = ("disclosure", "repair", "objections")
DIRECT_SEND = re.compile(r"\.(delay|apply_async)\s*\(|\bsend_task\s*\(")


def test_no_request_path_sends_a_task_directly():
    """Only credit_platform.queue may call .delay / .apply_async; these apps call enqueue."""
    offenders = []
    for app in APPS:
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if DIRECT_SEND.search(line.split("#", 1)[0]):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{n}: {line.strip()}")
    assert not offenders, "use credit_platform.queue.enqueue(task, args=..., kwargs=...):\n" + "\n".join(offenders)


@pytest.fixture
def broker_down(monkeypatch):
    """Every publish to the broker fails the way kombu fails when Redis / the broker folder is unreachable."""
    from config.celery import app

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(app.amqp, "send_task_message", refuse)
    return attempts


@pytest.mark.django_db(transaction=True)
def test_objection_decision_succeeds_with_the_broker_down_and_the_sweep_delivers(
    broker_down, department, other_department, make_official
):
    """The decision publishes to the outbox and tries to send the delivery after commit; the broker refuses, the
    request still answers 200, the delivery waits in the table and the repair_outbox sweep sends it."""
    from rest_framework.test import APIClient

    from credit_platform import roles
    from credit_platform.models import Department
    from objections import services
    from tests.catalog.factories import make_test_catalog
    from tests.objections.factories import make_record

    make_test_catalog(department, other_department)
    record = make_record(department)
    centre = Department.objects.create(code="XYZX", name="市社会信用中心", uscc="12650200MB1234567X", is_credit_centre=True)
    handler = make_official("handler", roles.OBJECTION_HANDLER, department=centre)
    Subscription.objects.create(name="市场监管局业务系统", department=department, scope="provided",
                                url="http://127.0.0.1:9/hook", secret="s")
    objection = services.file_objection(records=[record], ground="inaccurate", statement="记载有误", actor=handler,
                                        channel="counter", handling_department=centre, applicant_name="张伟")
    client = APIClient()
    client.force_authenticate(handler)

    response = client.post(f"/api/v1/objections/{objection.pk}/decide/",
                           {"outcome": "unchanged", "reasons": "经核查记载无误。"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "decided"
    assert broker_down, "the delivery task was never offered to the broker"
    delivery = OutboxDelivery.objects.get(event__record_id=record.pk, event__kind="objection_decided")
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
    # the sweep (which needs no broker) takes it from the table
    assert outbox.redeliver_due()["retry"] == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.last_error
