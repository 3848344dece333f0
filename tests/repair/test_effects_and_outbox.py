"""Effects of a repair applied atomically, revocation restoring them, and the outbox: signed delivery to a local
HTTP server, retries with backoff, dead letter, acknowledgement."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from credit_platform import roles
from credit_platform.models import Notification
from repair import effects, outbox, services
from repair.models import DeliveryStatus, OutboxDelivery, OutboxEvent, RepairApplication, Subscription
from tests.repair import factories as f

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def _while_the_records_are_public():
    """The records are decided in 2025 and public until 2027-01-15: a repair applies only while they are, so these
    tests run on a fixed day inside the window (time-machine, ticking), not on the real date (issue 15 date bomb)."""
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


class Hook:
    """A webhook receiver on 127.0.0.1 that answers with the configured status codes in turn."""

    def __init__(self, statuses=(200,), body=b"{}"):
        self.statuses = list(statuses)
        self.body = body
        self.requests = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                hook.requests.append((dict(self.headers), raw))
                status = hook.statuses.pop(0) if len(hook.statuses) > 1 else hook.statuses[0]
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(hook.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook():
    hooks = []

    def make(*args, **kwargs):
        h = Hook(*args, **kwargs)
        hooks.append(h)
        return h

    yield make
    for h in hooks:
        h.close()


@pytest.fixture
def reviewer(make_official):
    return make_official("reviewer", roles.REPAIR_REVIEWER)


def accepted_application(department, reviewer, *, citizen=None, decided_on=None):
    # Decided half a year ago: past the 3-month minimum and inside the 12-month maximum of a general record (NDRC
    # Order 36, which Karamay art. 33 defers to), whatever today is.
    decided_on = decided_on or timezone.localdate() - timedelta(days=183)
    record = f.record(department, decided_on=decided_on, public_until=decided_on + timedelta(days=365))
    from django.apps import apps

    if apps.is_installed("disclosure"):  # the publicity window as the disclosure app computes it on ingestion
        from disclosure.services import apply_windows

        apply_windows([record.pk])
        record.refresh_from_db()
    app = services.apply(
        record, applicant=citizen, applicant_name="张伟", correction_statement="已整改并缴清罚款",
        commitment=services.commitment_text(record, "张伟"), channel="paper", registered_by=reviewer,
    )
    return services.accept(app, actor=reviewer), record


# --- effects --------------------------------------------------------------------------------------------------------------


def test_approval_applies_every_effect(department, reviewer, citizen, hook, django_capture_on_commit_callbacks):
    h = hook()
    Subscription.objects.create(name="市场监管局业务系统", department=department, scope="provided", url=h.url, secret="s3cret")
    app, record = accepted_application(department, reviewer, citizen=citizen)
    original = record.public_until
    called = []
    from unittest import mock

    with mock.patch.object(effects, "_sanctions_hook", lambda name: (lambda rec, *, actor, reason: called.append((name, rec.pk, rec.status)))):
        with django_capture_on_commit_callbacks(execute=False):
            services.decide(app, actor=reviewer, approve=True, reason="已履行")
    record.refresh_from_db()
    today = timezone.localdate()
    assert record.status == "repaired" and record.public_until == today
    assert record.history.first().history_change_reason.startswith("信用修复")
    assert called == [("on_record_repaired", record.pk, "repaired")]
    event = OutboxEvent.objects.get(record_id=record.pk)
    assert event.kind == "repaired" and event.payload["public_until"] == today.isoformat()
    assert OutboxDelivery.objects.filter(event=event, status="pending").count() == 1
    assert Notification.objects.filter(user=citizen, title="信用修复已完成").exists()
    app.refresh_from_db()
    assert app.status == "approved" and app.repaired_on == today and app.previous_public_until == original


def test_effects_are_atomic_when_one_fails(department, reviewer, citizen):
    app, record = accepted_application(department, reviewer, citizen=citizen)
    original = record.public_until
    Subscription.objects.create(name="全量订阅", scope="all", url="http://127.0.0.1:9/none")
    from unittest import mock

    def boom(rec, *, actor, reason):
        raise RuntimeError("sanctions down")

    with mock.patch.object(effects, "_sanctions_hook", lambda name: boom), pytest.raises(RuntimeError):
        services.decide(app, actor=reviewer, approve=True, reason="已履行")
    record.refresh_from_db()
    app.refresh_from_db()
    assert record.status == "active" and record.public_until == original
    assert app.status == "accepted" and app.decided_at is None
    assert not OutboxEvent.objects.exists()
    assert not Notification.objects.filter(user=citizen, title="信用修复已完成").exists()
    assert not app.events.filter(kind="approved").exists()


def test_derived_records_of_responsible_persons_go_with_the_repair(department, reviewer):
    app, record = accepted_application(department, reviewer)
    person = f.subject(name="王五", type="natural_person")
    derived = f.record(department, subj=person, item=record.catalog_item, parent=record, derived_role="legal_representative")
    services.decide(app, actor=reviewer, approve=True, reason="已履行")
    derived.refresh_from_db()
    assert derived.status == "repaired"
    services.revoke(RepairApplication.objects.get(pk=app.pk), actor=reviewer, ground="fraud", reason="提交伪造的缴款凭证")
    derived.refresh_from_db()
    assert derived.status == "active"


def test_revocation_restores_publicity_and_measures(department, reviewer, citizen):
    app, record = accepted_application(department, reviewer, citizen=citizen)
    original = record.public_until
    services.decide(app, actor=reviewer, approve=True, reason="已履行")
    record.refresh_from_db()
    assert record.public_until == timezone.localdate()
    calls = []
    from unittest import mock

    with mock.patch.object(effects, "_sanctions_hook", lambda name: (lambda rec, *, actor, reason: calls.append(name))):
        with pytest.raises(services.RepairError):
            services.revoke(RepairApplication.objects.get(pk=app.pk), actor=reviewer, ground="fraud", reason="")
        services.revoke(RepairApplication.objects.get(pk=app.pk), actor=reviewer, ground="broken_commitment", reason="再次发生同类违法行为")
    record.refresh_from_db()
    assert record.status == "active" and record.public_until == original
    assert calls == ["on_repair_revoked"]
    app.refresh_from_db()
    assert app.status == "revoked" and app.revocation_ground == "broken_commitment"
    assert OutboxEvent.objects.filter(record_id=record.pk, kind="repair_revoked").exists()
    assert Notification.objects.filter(user=citizen, title="信用修复结果已撤销").exists()
    assert app.events.filter(kind="revoked").get().data["article"]
    # the record is live again and can be repaired again later
    assert services.check_eligibility(record).eligible


def test_revocation_only_of_approved_repairs(department, reviewer):
    app, _ = accepted_application(department, reviewer)
    with pytest.raises(services.RepairError) as exc:
        services.revoke(app, actor=reviewer, ground="fraud", reason="x")
    assert exc.value.code == "invalid_state"


def test_terminate_open_application_for_fraud(department, reviewer):
    app, record = accepted_application(department, reviewer)
    services.terminate(app, actor=reviewer, ground="fraud", reason="证明材料系伪造")
    app.refresh_from_db()
    record.refresh_from_db()
    assert app.status == "terminated" and record.status == "active"


def test_approval_rechecks_eligibility(department, reviewer):
    app, record = accepted_application(department, reviewer)
    type(record).objects.filter(pk=record.pk).update(status="revoked")
    with pytest.raises(services.RepairError) as exc:
        services.decide(app, actor=reviewer, approve=True, reason="已履行")
    assert exc.value.code == "not_eligible"


def test_extension_with_reasons(department, reviewer):
    app, _ = accepted_application(department, reviewer)
    with pytest.raises(services.RepairError):
        services.extend(app, actor=reviewer, until=app.decision_due + timedelta(days=10), reason="")
    with pytest.raises(services.RepairError):
        services.extend(app, actor=reviewer, until=app.decision_due, reason="需现场核查")
    app = services.extend(app, actor=reviewer, until=app.decision_due + timedelta(days=10), reason="需现场核查")
    assert app.extended_due == app.decision_due + timedelta(days=10)
    assert app.events.filter(kind="extended").get().reason == "需现场核查"
    with pytest.raises(services.RepairError):
        services.extend(app, actor=reviewer, until=app.extended_due + timedelta(days=1), reason="再延")


# --- outbox ---------------------------------------------------------------------------------------------------------------


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

    from repair.models import DeadLetter

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


def test_signed_ack_endpoint(department, client):
    sub = Subscription.objects.create(name="A", scope="all", url="http://127.0.0.1:9/x", secret="k")
    _, event = _publish(department)
    body = json.dumps({"event_id": str(event.event_id), "subscription_id": sub.pk, "note": "已同步"}).encode()
    bad = client.post("/api/v1/repair/outbox/ack/", body, content_type="application/json", HTTP_X_CREDIT_SIGNATURE="sha256=00")
    assert bad.status_code == 403
    good = client.post("/api/v1/repair/outbox/ack/", body, content_type="application/json",
                       HTTP_X_CREDIT_SIGNATURE=outbox.sign("k", body))
    assert good.status_code == 200, good.content
    d = OutboxDelivery.objects.get(event=event, subscription=sub)
    assert d.acknowledged_at is not None and d.ack_note == "已同步" and d.status == "delivered"


def test_publish_rolls_back_with_the_change(department):
    from django.db import transaction

    Subscription.objects.create(name="A", scope="all", url="http://127.0.0.1:9/x")
    record = f.record(department)
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.publish_change(record, "revoked", {})
        raise RuntimeError
    assert not OutboxEvent.objects.exists() and not OutboxDelivery.objects.exists()


def test_subject_sees_where_the_change_went(department, reviewer, citizen, act_for, client_for, hook):
    h = hook(body=b'{"acknowledged": true}')
    Subscription.objects.create(name="市场监管局业务系统", department=department, scope="provided", url=h.url)
    app, record = accepted_application(department, reviewer, citizen=citizen)
    act_for(citizen, record.subject)
    services.decide(app, actor=reviewer, approve=True, reason="已履行")
    outbox.redeliver_due()
    rows = client_for(citizen).get(f"/api/v1/records/{record.pk}/change-deliveries/").json()
    assert rows[0]["subscriber"] == "市场监管局业务系统" and rows[0]["status"] == "delivered" and rows[0]["acknowledged_at"]


def test_repaired_record_leaves_the_public_portal_and_comes_back_on_revocation(department, reviewer):
    from django.apps import apps

    if not apps.is_installed("disclosure"):
        pytest.skip("disclosure app not installed")
    from disclosure.services import public_records

    app, record = accepted_application(department, reviewer, decided_on=timezone.localdate() - timedelta(days=200))
    visible_before = public_records().filter(pk=record.pk).exists()
    assert visible_before
    services.decide(app, actor=reviewer, approve=True, reason="已履行")
    assert not public_records().filter(pk=record.pk).exists()
    services.revoke(RepairApplication.objects.get(pk=app.pk), actor=reviewer, ground="fraud", reason="伪造凭证")
    assert public_records().filter(pk=record.pk).exists() == visible_before
