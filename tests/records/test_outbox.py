"""The change outbox (records.outbox): who receives a change, signed delivery to a real local HTTP server, retries
with backoff, the dead letter and its retry, a stale claim taken back, and an event that rolls back with its change."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from records import outbox
from records.models import DeadLetter, DeliveryStatus, OutboxDelivery, OutboxEvent, Subscription
from tests.repair import factories as f

pytestmark = pytest.mark.django_db(transaction=False)


def _publish(department, *subs):
    record = f.record(department)
    event = outbox.publish_change(record, "corrected", {"status": "corrected"})
    return record, event


def test_subscribers_by_scope_and_holding(department, other_department):
    record = f.record(department)
    provided = Subscription.objects.create(name="提供部门", department=department, scope="provided", url="http://127.0.0.1:9/a")
    Subscription.objects.create(name="他部门", department=other_department, scope="provided", url="http://127.0.0.1:9/b")
    everything = Subscription.objects.create(name="信用服务机构", kind="agency", scope="all", url="http://127.0.0.1:9/c")
    holder = Subscription.objects.create(name="持有方", department=other_department, scope="held", url="http://127.0.0.1:9/d")
    Subscription.objects.create(name="停用", scope="all", url="http://127.0.0.1:9/e", active=False)
    outbox.register_holding(record, holder)
    assert {s.pk for s in outbox.subscribers_for(record)} == {provided.pk, everything.pk, holder.pk}


def test_signed_delivery_and_ack_in_answer(department, hook):
    h = hook(body=b'{"acknowledged": true}')
    sub = Subscription.objects.create(name="A", scope="all", url=h.url, secret="top-secret")
    record, event = _publish(department)
    delivery = OutboxDelivery.objects.get(event=event, subscription=sub)
    assert outbox.deliver(delivery.pk) == "delivered"
    headers, raw = h.requests[0]
    expected = "sha256=" + hmac.new(b"top-secret", raw, hashlib.sha256).hexdigest()
    assert headers["X-Credit-Signature"] == expected
    assert headers["X-Credit-Event"] == str(event.event_id)
    body = json.loads(raw)
    assert body["kind"] == "corrected" and body["record"]["id"] == record.pk and body["data"] == {"status": "corrected"}
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.acknowledged_at is not None and delivery.attempts == 1
    assert outbox.deliver(delivery.pk) == "skipped"  # never twice


def test_retry_with_backoff_then_dead_letter_and_admin_retry(department, hook, settings):
    settings.REPAIR_OUTBOX_MAX_ATTEMPTS = 3
    settings.REPAIR_OUTBOX_BACKOFF_SECONDS = 60
    h = hook(statuses=(500,))
    sub = Subscription.objects.create(name="A", scope="all", url=h.url)
    _, event = _publish(department)
    delivery = OutboxDelivery.objects.get(event=event, subscription=sub)
    now = timezone.now()
    assert outbox.deliver(delivery.pk, now) == "retry"
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_status_code == 500
    first_wait = delivery.next_attempt_at - now
    assert timedelta(seconds=59) <= first_wait <= timedelta(seconds=70)
    assert outbox.deliver(delivery.pk, now) == "skipped"  # not due yet
    later = delivery.next_attempt_at + timedelta(seconds=1)
    assert outbox.deliver(delivery.pk, later) == "retry"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at - later >= timedelta(seconds=119)  # doubled
    assert outbox.deliver(delivery.pk, delivery.next_attempt_at + timedelta(seconds=1)) == "dead"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD and delivery.attempts == 3 and len(h.requests) == 3

    assert list(DeadLetter.objects.filter(status="dead").values_list("pk", flat=True)) == [delivery.pk]
    h.statuses = [200]
    assert outbox.retry_deliveries(OutboxDelivery.objects.filter(pk=delivery.pk)) == 1
    assert outbox.redeliver_due(timezone.now() + timedelta(seconds=1)) == {"delivered": 1, "retry": 0, "dead": 0}
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.acknowledged_at is None


def test_connection_refused_is_retried(department):
    sub = Subscription.objects.create(name="A", scope="all", url="http://127.0.0.1:9/closed")
    _, event = _publish(department)
    delivery = OutboxDelivery.objects.get(event=event, subscription=sub)
    assert outbox.deliver(delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.last_error and delivery.status == "pending"


def test_stale_claim_is_taken_back_by_the_sweep(department, hook):
    h = hook()
    sub = Subscription.objects.create(name="A", scope="all", url=h.url)
    _, event = _publish(department)
    delivery = OutboxDelivery.objects.get(event=event, subscription=sub)
    past = timezone.now() - timedelta(hours=1)
    OutboxDelivery.objects.filter(pk=delivery.pk).update(status="sending", claimed_until=past, attempts=1)
    assert outbox.redeliver_due()["delivered"] == 1


def test_publish_rolls_back_with_the_change(department):
    from django.db import transaction

    Subscription.objects.create(name="A", scope="all", url="http://127.0.0.1:9/x")
    record = f.record(department)
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.publish_change(record, "revoked", {})
        raise RuntimeError
    assert not OutboxEvent.objects.exists() and not OutboxDelivery.objects.exists()
