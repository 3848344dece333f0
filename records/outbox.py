"""The outbox: every change to a record reaches every subscriber that holds it (一处修复、处处认可).

Call :func:`publish_change` **inside the transaction that makes the change** (repair, correction,
revocation, objection decision …). It writes one :class:`~records.models.OutboxEvent` and one
:class:`~records.models.OutboxDelivery` per subscriber; if the change rolls back, so does the event.
After commit a Celery task sends each delivery; the ``repair_outbox`` sweep sends whatever is still due,
so nothing waits on the broker (DESIGN.md principle 2).

Who receives an event (:func:`subscribers_for`): every active subscription with scope ``all``; with scope
``provided`` when the record's providing department is the subscription's department; and any
subscription registered as holding the record (:func:`register_holding`, called wherever a record is
shared to a department or an agency).

Wire format: ``POST <url>`` with a JSON body (UTF-8, sorted keys) and the headers

* ``X-Credit-Signature: sha256=<hex HMAC-SHA256 of the raw body with the subscription's secret>``
* ``X-Credit-Event: <event uuid>`` (receivers de-duplicate on it: retries resend the same body)
* ``X-Credit-Event-Kind: <kind>``

Any 2xx answer is a delivery. A JSON answer ``{"acknowledged": true}`` also records the
acknowledgement; otherwise the subscriber acknowledges later with a signed
``POST /api/v1/repair/outbox/ack/`` (see ``repair.api.views.OutboxAckView``). Failures are retried with
exponential backoff and dead-lettered after ``REPAIR_OUTBOX_MAX_ATTEMPTS``; the admin's dead-letter view has a
"retry" action.

The outbox sits beside the records it publishes, so every app above records (objections, repair) can publish
through it. Its settings keep the names they had when it lived in the repair app (declared in
``config/settings.py`` from the environment):

* ``REPAIR_OUTBOX_MAX_ATTEMPTS`` — webhook attempts before a delivery is dead-lettered (default 8).
* ``REPAIR_OUTBOX_BACKOFF_SECONDS`` — the first retry delay; each retry doubles it (default 60 s),
  capped at ``REPAIR_OUTBOX_BACKOFF_MAX_SECONDS`` (default 6 h).
* ``REPAIR_OUTBOX_TIMEOUT_SECONDS`` — HTTP timeout of one webhook call (default 10 s).
* ``REPAIR_OUTBOX_LEASE_SECONDS`` — how long a worker holds a delivery it is sending before a sweep may
  take it back (default 300 s).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q
from django.utils import timezone

from credit_platform.queue import enqueue
from credit_platform.sweeps import batch_size, in_batches
from records.models import DeliveryStatus, OutboxDelivery, OutboxEvent, RecordHolding, Subscription

logger = logging.getLogger(__name__)

__all__ = [
    "KINDS",
    "acknowledge",
    "deliver",
    "publish_change",
    "redeliver_due",
    "register_holding",
    "retry_deliveries",
    "sign",
    "subscribers_for",
    "verify",
]

#: The change kinds the platform publishes (other apps may add their own; these are the common ones).
KINDS = {
    "repaired": "信用修复",
    "repair_revoked": "撤销信用修复",
    "corrected": "更正",
    "revoked": "撤销",
    "objection_decided": "异议处理决定",
    "created": "新增",
    "updated": "变更",
}

SIGNATURE_HEADER = "X-Credit-Signature"

#: Deliveries the sweep sends per transaction (each POST may take up to ``REPAIR_OUTBOX_TIMEOUT_SECONDS``).
OUTBOX_BATCH = 20


# --- settings -------------------------------------------------------------------------------------------------


def outbox_max_attempts() -> int:
    return int(settings.REPAIR_OUTBOX_MAX_ATTEMPTS)


def outbox_backoff_seconds() -> int:
    return int(settings.REPAIR_OUTBOX_BACKOFF_SECONDS)


def outbox_backoff_max_seconds() -> int:
    return int(settings.REPAIR_OUTBOX_BACKOFF_MAX_SECONDS)


def outbox_timeout_seconds() -> int:
    return int(settings.REPAIR_OUTBOX_TIMEOUT_SECONDS)


def outbox_lease_seconds() -> int:
    return int(settings.REPAIR_OUTBOX_LEASE_SECONDS)


# --- signing --------------------------------------------------------------------------------------------------


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    return bool(signature) and hmac.compare_digest(sign(secret, body), signature.strip())


def _body(event: OutboxEvent) -> bytes:
    doc = {
        "event_id": str(event.event_id),
        "kind": event.kind,
        "occurred_at": event.created_at.isoformat(),
        "record": {"id": event.record_id, "source_ref": event.record_ref, "subject_id": event.subject_id},
        "data": event.payload,
    }
    return json.dumps(doc, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# --- publishing -----------------------------------------------------------------------------------------------


def subscribers_for(record) -> list[Subscription]:
    record_id = getattr(record, "pk", record)
    department_id = getattr(record, "source_department_id", None)
    held = RecordHolding.objects.filter(record_id=record_id).values("subscription_id")
    q = Q(scope=Subscription.Scope.ALL) | Q(pk__in=held)
    if department_id:
        q |= Q(scope=Subscription.Scope.PROVIDED, department_id=department_id)
    return list(Subscription.objects.filter(q, active=True).order_by("pk"))


def publish_change(record, kind: str, payload: dict | None = None) -> OutboxEvent:
    """Record that ``record`` changed (``kind``: see :data:`KINDS`) and queue its delivery to every subscriber.

    Must run inside the transaction that makes the change. ``payload`` is JSON-serialisable detail (the new
    status, ``public_until``, the reason …); the record's id, source reference and subject are added.
    """
    event = OutboxEvent.objects.create(
        kind=kind,
        record_id=record.pk,
        record_ref=getattr(record, "source_ref", "") or "",
        subject_id=getattr(record, "subject_id", None),
        source_department_id=getattr(record, "source_department_id", None),
        payload=json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder)),
    )
    deliveries = OutboxDelivery.objects.bulk_create(
        [OutboxDelivery(event=event, subscription=sub, next_attempt_at=event.created_at) for sub in subscribers_for(record)]
    )
    ids = [d.pk for d in deliveries if d.pk]
    if not ids:  # backends without RETURNING on bulk_create
        ids = list(OutboxDelivery.objects.filter(event=event).values_list("pk", flat=True))
    if ids:
        # records.tasks imports this module for its task body: a true cycle inside the app, broken here
        from records.tasks import deliver_outbox

        for pk in ids:  # after commit; a broker outage only delays them until the repair_outbox sweep
            enqueue(deliver_outbox, (pk,))
    return event


def register_holding(record, subscription: Subscription) -> RecordHolding:
    """Note that ``subscription`` holds a copy of ``record`` (call when sharing a record to it)."""
    holding, _ = RecordHolding.objects.get_or_create(subscription=subscription, record_id=getattr(record, "pk", record))
    return holding


# --- delivery ---------------------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a webhook must answer itself, not send us elsewhere
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=outbox_timeout_seconds()) as response:
            return response.status, response.read(65536)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(4096) if exc.fp else b""


def backoff(attempts: int) -> timedelta:
    """Delay before the next attempt after ``attempts`` failures: base × 2^(attempts−1), capped."""
    seconds = outbox_backoff_seconds() * (2 ** max(0, attempts - 1))
    return timedelta(seconds=min(seconds, outbox_backoff_max_seconds()))


def _claim(pk: int, now: datetime) -> bool:
    """Compare-and-swap: take a due delivery (or one whose sender's lease ran out). Only one worker wins."""
    lease = now + timedelta(seconds=outbox_lease_seconds())
    due = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(status=DeliveryStatus.SENDING, claimed_until__lt=now)
    return bool(
        OutboxDelivery.objects.filter(due, pk=pk).update(
            status=DeliveryStatus.SENDING, claimed_until=lease, attempts=F("attempts") + 1, last_attempt_at=now
        )
    )


def deliver(pk: int, now: datetime | None = None) -> str:
    """Try one delivery now. Returns ``delivered``, ``retry``, ``dead`` or ``skipped`` (not due / taken)."""
    now = now or timezone.now()
    if not _claim(pk, now):
        return "skipped"
    delivery = OutboxDelivery.objects.select_related("event", "subscription").get(pk=pk)
    sub, event = delivery.subscription, delivery.event
    body = _body(event)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "credit-platform-outbox/1",
        SIGNATURE_HEADER: sign(sub.secret, body),
        "X-Credit-Event": str(event.event_id),
        "X-Credit-Event-Kind": event.kind,
    }
    status_code, error, answer = None, "", b""
    if not sub.active:
        error = "订阅已停用 / subscription inactive"
    else:
        try:
            status_code, answer = _post(sub.url, body, headers)
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except Exception as exc:  # connection refused, timeout, TLS …
            error = f"{exc.__class__.__name__}: {exc}"[:1000]

    done = max(now, timezone.now())
    if not error:
        fields = {"status": DeliveryStatus.DELIVERED, "delivered_at": done, "claimed_until": None,
                  "last_status_code": status_code, "last_error": ""}
        if _acknowledged(answer):
            fields.update(acknowledged_at=done, ack_note="回调应答确认")
        OutboxDelivery.objects.filter(pk=pk, status=DeliveryStatus.SENDING).update(**fields)
        return "delivered"
    attempts = delivery.attempts
    if attempts >= outbox_max_attempts():
        OutboxDelivery.objects.filter(pk=pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.DEAD, dead_at=done, claimed_until=None, last_status_code=status_code, last_error=error
        )
        logger.warning("outbox: delivery %s to %s dead after %s attempts: %s", pk, sub, attempts, error)
        return "dead"
    OutboxDelivery.objects.filter(pk=pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING, next_attempt_at=done + backoff(attempts), claimed_until=None,
        last_status_code=status_code, last_error=error,
    )
    return "retry"


def _acknowledged(answer: bytes) -> bool:
    try:
        doc = json.loads(answer.decode("utf-8")) if answer else None
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(doc, dict) and doc.get("acknowledged") is True


def redeliver_due(now: datetime | None = None) -> dict[str, int]:
    """Send every delivery that is due (the sweep). The due rows are claimed a few at a time with
    ``SELECT … FOR UPDATE SKIP LOCKED`` and each batch is sent and its outcomes recorded in one transaction
    (the lock is held across the short, time-limited POSTs): a second sweep skips them, a task's
    compare-and-swap waits and then finds them done, and a sweep killed mid-batch leaves the batch untouched
    (its POSTs are sent again; receivers de-duplicate on ``X-Credit-Event``)."""
    now = now or timezone.now()
    due = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(status=DeliveryStatus.SENDING, claimed_until__lt=now)
    counts = {"delivered": 0, "retry": 0, "dead": 0}

    def send(ids: list[int]) -> None:
        for pk in ids:
            outcome = deliver(pk, now)
            if outcome in counts:
                counts[outcome] += 1

    # "repair.outbox": the batch label (``batch_claimed`` sender) the sweep has had since it began
    in_batches("repair.outbox", OutboxDelivery.objects.filter(due), send, size=min(batch_size(), OUTBOX_BATCH))
    return counts


def retry_deliveries(queryset) -> int:
    """Put dead (or failing) deliveries back in the queue with a fresh attempt budget (admin action)."""
    return queryset.exclude(status=DeliveryStatus.DELIVERED).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), dead_at=None, claimed_until=None
    )


def acknowledge(event_id, subscription: Subscription, note: str = "") -> OutboxDelivery | None:
    """Record the subscriber's acknowledgement of an event (idempotent; the first time wins)."""
    delivery = OutboxDelivery.objects.filter(event__event_id=event_id, subscription=subscription).first()
    if delivery is None:
        return None
    now = timezone.now()
    OutboxDelivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, ack_note=(note or "订阅方确认")[:200]
    )
    # an acknowledgement proves receipt even if our side never saw the 2xx
    OutboxDelivery.objects.filter(pk=delivery.pk).exclude(status=DeliveryStatus.DELIVERED).update(
        status=DeliveryStatus.DELIVERED, delivered_at=now, claimed_until=None
    )
    delivery.refresh_from_db()
    return delivery


def deliveries_for_record(record_id: int):
    """Where the changes to a record were sent, for the subject's and officials' views."""
    return (
        OutboxDelivery.objects.filter(event__record_id=record_id)
        .select_related("event", "subscription")
        .order_by("-event__created_at", "subscription__name")
    )
