"""一处修复、别处不认 no more: an objection decision reaches every subscriber holding the record through the outbox,
written in the decision's own transaction (nothing is published for a decision that rolls back)."""

from __future__ import annotations

import pytest
from django.db import transaction

from objections import services
from objections.models import Objection
from records.models import OutboxDelivery, OutboxEvent, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(department):
    return Subscription.objects.create(name="市场监管局业务系统", department=department, scope="provided",
                                       url="http://127.0.0.1:9/hook", secret="s")


@pytest.fixture
def filed(file_api, record, frozen):
    frozen("2026-09-30 11:00")
    body = file_api([record], received_at="2026-09-30T10:00:00+08:00").json()
    return Objection.objects.get(pk=body["id"])


def decide(client, objection, **body):
    return client.post(f"/api/v1/objections/{objection.pk}/decide/", body, format="json")


def test_decision_is_published_to_subscribers(handler_client, filed, record, subscription, frozen):
    frozen("2026-10-09 09:00")
    response = decide(handler_client, filed, outcome="corrected", reasons="违法行为类型记载有误，予以更正。",
                      corrections={str(record.pk): {"content": {"违法行为类型": "未按规定公示即时信息"}}})
    assert response.status_code == 200, response.content
    event = OutboxEvent.objects.get(record_id=record.pk, kind="objection_decided")
    data = event.payload
    assert data["objection_id"] == filed.pk and data["objection_number"] == filed.number
    assert data["outcome"] == "corrected" and data["reasons"] == "违法行为类型记载有误，予以更正。"
    assert data["correction"] == {"content": {"违法行为类型": "未按规定公示即时信息"}}
    assert data["record_change_id"] and data["status"] == "corrected" and data["disputed"] is False
    assert OutboxDelivery.objects.filter(event=event, subscription=subscription, status="pending").count() == 1


def test_unchanged_decision_is_published_too(handler_client, filed, record, subscription):
    response = decide(handler_client, filed, outcome="unchanged", reasons="经核查，处罚决定书记载无误。")
    assert response.status_code == 200, response.content
    event = OutboxEvent.objects.get(record_id=record.pk, kind="objection_decided")
    assert event.payload["outcome"] == "unchanged" and event.payload["record_change_id"] is None


def test_nothing_is_published_when_the_decision_rolls_back(handler, filed, record, subscription):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.decide(filed, outcome="unchanged", reasons="无误", actor=handler)
        assert OutboxEvent.objects.filter(kind="objection_decided").count() == 1  # written inside the transaction
        raise RuntimeError("a later step fails")
    assert not OutboxEvent.objects.exists() and not OutboxDelivery.objects.exists()
    filed.refresh_from_db()
    assert filed.status != "decided"


def test_refused_correction_rolls_back_the_decision_and_its_event(handler_client, filed, record, subscription):
    response = decide(handler_client, filed, outcome="corrected", reasons="更正",
                      corrections={str(record.pk): {"decided_on": "不是日期"}})
    assert response.status_code == 400 and response.json()["code"].startswith("correction_"), response.content
    assert not OutboxEvent.objects.exists()
