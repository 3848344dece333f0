"""Effects of a repair applied atomically (the record through records.services, publicity through disclosure, the
measures through sanctions, the change through the outbox), revocation restoring them, and the signed
acknowledgement endpoint. The outbox itself is tested in tests/records/test_outbox.py."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from credit_platform import roles
from credit_platform.exceptions import DomainError
from credit_platform.models import Notification
from disclosure.services import apply_windows, public_records
from records import outbox
from records.models import OutboxDelivery, OutboxEvent, Subscription
from records.signals import records_changed
from repair import effects, services
from repair.models import RepairApplication
from sanctions import services as sanctions_services
from tests.repair import factories as f

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def _while_the_records_are_public():
    """The records are decided in 2025 and public until 2027-01-15: a repair applies only while they are, so these
    tests run on a fixed day inside the window (time-machine, ticking), not on the real date."""
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture
def reviewer(make_official):
    return make_official("reviewer", roles.REPAIR_REVIEWER)


def accepted_application(department, reviewer, *, citizen=None, decided_on=None):
    # Decided half a year ago: past the 3-month minimum and inside the 12-month maximum of a general record (NDRC
    # Order 36, which Karamay art. 33 defers to), whatever today is.
    decided_on = decided_on or timezone.localdate() - timedelta(days=183)
    record = f.record(department, decided_on=decided_on, public_until=decided_on + timedelta(days=365))
    apply_windows([record.pk])  # the publicity window as the disclosure app computes it on ingestion
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
    changes = []
    records_changed.connect(lambda sender, **kw: changes.append((kw["kind"], kw["record_ids"])), weak=False,
                            dispatch_uid="test_repair_changes")
    spy = mock.patch.object(effects, "on_record_repaired", wraps=sanctions_services.on_record_repaired)
    try:
        with spy as lifted, django_capture_on_commit_callbacks(execute=False):
            services.decide(app, actor=reviewer, approve=True, reason="已履行")
    finally:
        records_changed.disconnect(dispatch_uid="test_repair_changes")
    record.refresh_from_db()
    today = timezone.localdate()
    assert record.status == "repaired" and record.public_until == today
    assert record.history.first().history_change_reason.startswith("信用修复")
    assert changes == [("repaired", [record.pk])]  # the records app owns the status change and says so
    assert lifted.call_count == 1 and lifted.call_args.args[0].pk == record.pk
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
    sanctions_down = mock.patch.object(effects, "on_record_repaired", side_effect=RuntimeError("sanctions down"))

    with sanctions_down, pytest.raises(RuntimeError):
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
    with mock.patch.object(effects, "on_repair_revoked", wraps=sanctions_services.on_repair_revoked) as restored:
        with pytest.raises(DomainError):
            services.revoke(RepairApplication.objects.get(pk=app.pk), actor=reviewer, ground="fraud", reason="")
        services.revoke(RepairApplication.objects.get(pk=app.pk), actor=reviewer, ground="broken_commitment", reason="再次发生同类违法行为")
    record.refresh_from_db()
    assert record.status == "active" and record.public_until == original
    assert restored.call_count == 1 and restored.call_args.args[0].pk == record.pk
    app.refresh_from_db()
    assert app.status == "revoked" and app.revocation_ground == "broken_commitment"
    assert OutboxEvent.objects.filter(record_id=record.pk, kind="repair_revoked").exists()
    assert Notification.objects.filter(user=citizen, title="信用修复结果已撤销").exists()
    assert app.events.filter(kind="revoked").get().data["article"]
    # the record is live again and can be repaired again later
    assert services.check_eligibility(record).eligible


def test_revocation_only_of_approved_repairs(department, reviewer):
    app, _ = accepted_application(department, reviewer)
    with pytest.raises(DomainError) as exc:
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
    with pytest.raises(DomainError) as exc:
        services.decide(app, actor=reviewer, approve=True, reason="已履行")
    assert exc.value.code == "not_eligible"


def test_extension_with_reasons(department, reviewer):
    app, _ = accepted_application(department, reviewer)
    with pytest.raises(DomainError):
        services.extend(app, actor=reviewer, until=app.decision_due + timedelta(days=10), reason="")
    with pytest.raises(DomainError):
        services.extend(app, actor=reviewer, until=app.decision_due, reason="需现场核查")
    app = services.extend(app, actor=reviewer, until=app.decision_due + timedelta(days=10), reason="需现场核查")
    assert app.extended_due == app.decision_due + timedelta(days=10)
    assert app.events.filter(kind="extended").get().reason == "需现场核查"
    with pytest.raises(DomainError):
        services.extend(app, actor=reviewer, until=app.extended_due + timedelta(days=1), reason="再延")


def test_signed_ack_endpoint(department, client):
    sub = Subscription.objects.create(name="A", scope="all", url="http://127.0.0.1:9/x", secret="k")
    event = outbox.publish_change(f.record(department), "corrected", {"status": "corrected"})
    body = json.dumps({"event_id": str(event.event_id), "subscription_id": sub.pk, "note": "已同步"}).encode()
    bad = client.post("/api/v1/repair/outbox/ack/", body, content_type="application/json", HTTP_X_CREDIT_SIGNATURE="sha256=00")
    assert bad.status_code == 403
    good = client.post("/api/v1/repair/outbox/ack/", body, content_type="application/json",
                       HTTP_X_CREDIT_SIGNATURE=outbox.sign("k", body))
    assert good.status_code == 200, good.content
    d = OutboxDelivery.objects.get(event=event, subscription=sub)
    assert d.acknowledged_at is not None and d.ack_note == "已同步" and d.status == "delivered"


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
    app, record = accepted_application(department, reviewer, decided_on=timezone.localdate() - timedelta(days=200))
    visible_before = public_records().filter(pk=record.pk).exists()
    assert visible_before
    services.decide(app, actor=reviewer, approve=True, reason="已履行")
    assert not public_records().filter(pk=record.pk).exists()
    services.revoke(RepairApplication.objects.get(pk=app.pk), actor=reviewer, ground="fraud", reason="伪造凭证")
    assert public_records().filter(pk=record.pk).exists() == visible_before
