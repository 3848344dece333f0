"""Forwarding to the provincial credit platform (Heilongjiang art. 22 para. 2).

"设区的市级公共信用工作机构应当自公共信用信息归集之日起三个工作日内将信息推送至省信用平台。"

The duty is data in the profile (``platform_forward_days``): a profile that sets no number queues nothing and sends
nothing. Under one that does, every record the platform collects — and every correction and revocation of it —
becomes a :class:`~records.models.ProvincialForward` row *in the transaction that collects it*, with its due date
(the profile's working days after the day of collection, that day not counted) stored in the row (principle 2).

The ``records_provincial`` sweep (Celery beat, every 5 minutes) claims due rows with ``in_batches`` and POSTs each
to ``PROVINCIAL_PLATFORM_URL``; failures are retried with exponential backoff; after
``PROVINCIAL_PLATFORM_MAX_ATTEMPTS`` a row stops retrying (status ``dead``) until an official retries it. Rows not
acknowledged by the end of their due day are flagged ``overdue_at`` and the credit centre is notified once.

Wire format: ``POST <PROVINCIAL_PLATFORM_URL>`` with a UTF-8 JSON body (sorted keys) and the headers

* ``X-Credit-Timestamp: <unix seconds>`` (the receiver refuses stale timestamps: replay protection);
* ``X-Credit-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + body under PROVINCIAL_PLATFORM_KEY>``;
* ``X-Credit-Event: <event uuid>`` (the same on every retry: the receiver de-duplicates on it);
* ``X-Credit-Event-Kind: created | updated | corrected | revoked``.

The provincial platform acknowledges with a 2xx JSON answer ``{"event_id": "<the event uuid>", "ack_id": "…"}``; the
answer is stored as the acknowledgement. Any other answer (an error status, a 2xx without a matching ack) is a
failed attempt: receipt is not proven, so the row is retried.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import checks
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q
from django.utils import timezone

from credit_platform import roles
from credit_platform.models import User
from credit_platform.notifications import notify
from credit_platform.policies import active_policy
from credit_platform.sweeps import in_batches
from credit_platform.workdays import add_working_days, local_date
from records.models import ProvincialForward, Record
from records.services.changes import record_to_payload

logger = logging.getLogger(__name__)

FWD = ProvincialForward.Status
SIGNATURE_HEADER = "X-Credit-Signature"
TIMESTAMP_HEADER = "X-Credit-Timestamp"
MAX_BACKOFF = timedelta(hours=6)
LEASE = timedelta(minutes=5)
#: Deliveries claimed per transaction by the sweep (each POST may take up to the timeout).
BATCH = 20

#: records_changed kind → forward kind ("pushed" is created or updated, decided per record)
_KINDS = {"corrected": ProvincialForward.Kind.CORRECTED, "revoked": ProvincialForward.Kind.REVOKED}


# --- the duty -----------------------------------------------------------------------------------------------------


def duty():
    """``(days, article)`` of the profile's forwarding duty, or ``None`` when the profile sets none."""
    rule = active_policy().platform_forward_days
    return (rule.value, rule.article) if rule.value is not None else None


def queue_forwards(kind: str, record_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Queue one delivery per record for a push, correction or revocation (inside its transaction).

    A record never forwarded before goes as ``created``; a re-push as ``updated``. Returns rows queued.
    """
    current = duty()
    ids = sorted(set(record_ids))
    if current is None or not ids:
        return 0
    days, article = current
    now = now or timezone.now()
    collected_on = local_date(now)
    due = add_working_days(collected_on, days)  # 归集之日 not counted
    known = set(ProvincialForward.objects.filter(record_id__in=ids).values_list("record_id", flat=True).distinct())

    rows = []
    for record in Record.objects.filter(id__in=ids).select_related("subject", "catalog_item", "source_department"):
        forward_kind = _KINDS.get(kind) or (
            ProvincialForward.Kind.UPDATED if record.pk in known else ProvincialForward.Kind.CREATED
        )
        payload = {
            "record": record_to_payload(record),
            "record_id": record.pk,
            "status": record.status,
            "category": record.category,
            "provider": {"code": record.source_department.code, "name": record.source_department.name,
                         "uscc": record.source_department.uscc},
            "collected_on": collected_on.isoformat(),
        }
        rows.append(ProvincialForward(
            record=record, kind=forward_kind, payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
            collected_on=collected_on, due_on=due.date, due_provisional=due.provisional, article=article[:300],
            next_attempt_at=now, created_at=now,
        ))
    ProvincialForward.objects.bulk_create(rows, batch_size=500)
    return len(rows)


# --- signing --------------------------------------------------------------------------------------------------------


def sign(key: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` HMAC-SHA256 of ``"<timestamp>." + body`` (the timestamp is signed with the body)."""
    message = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(key: str, timestamp: str, body: bytes, signature: str, *, now: datetime | None = None,
           tolerance: timedelta = timedelta(minutes=5)) -> bool:
    """What the receiving side checks: the signature, and a timestamp within ``tolerance`` of now."""
    try:
        sent = datetime.fromtimestamp(int(timestamp), tz=timezone.get_current_timezone())
    except (TypeError, ValueError, OverflowError):
        return False
    if abs((now or timezone.now()) - sent) > tolerance:
        return False
    return bool(signature) and hmac.compare_digest(sign(key, timestamp, body), signature.strip())


def body_of(forward: ProvincialForward) -> bytes:
    doc = {
        "event_id": str(forward.event_id),
        "kind": forward.kind,
        "due_on": forward.due_on.isoformat(),
        "article": forward.article,
        "data": forward.payload,
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# --- delivery -------------------------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # the endpoint answers itself; never follow it elsewhere
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=settings.PROVINCIAL_PLATFORM_TIMEOUT_SECONDS) as response:
            return response.status, response.read(65536)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(4096) if exc.fp else b""


def backoff(attempts: int) -> timedelta:
    """Delay after ``attempts`` failures: PROVINCIAL_PLATFORM_BACKOFF_SECONDS × 2^(attempts−1), capped at 6 hours."""
    seconds = settings.PROVINCIAL_PLATFORM_BACKOFF_SECONDS * (2 ** max(0, min(attempts, 30) - 1))
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def _due_q(now: datetime) -> Q:
    return Q(status=FWD.PENDING, next_attempt_at__lte=now) | Q(status=FWD.SENDING, claimed_until__lt=now)


def _claim(pk: int, now: datetime) -> bool:
    """Compare-and-swap: only one worker takes a due delivery."""
    return bool(ProvincialForward.objects.filter(_due_q(now), pk=pk).update(
        status=FWD.SENDING, claimed_until=now + LEASE, attempts=F("attempts") + 1, last_attempt_at=now,
    ))


def _ack(answer: bytes, event_id: str) -> dict | None:
    try:
        doc = json.loads(answer.decode("utf-8")) if answer else None
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(doc, dict) and str(doc.get("event_id", "")) == event_id and str(doc.get("ack_id") or "").strip():
        return doc
    return None


def deliver(pk: int, now: datetime | None = None) -> str:
    """Try one delivery now: ``acknowledged``, ``retry``, ``dead`` or ``skipped`` (not due, or taken)."""
    now = now or timezone.now()
    if not _claim(pk, now):
        return "skipped"
    forward = ProvincialForward.objects.get(pk=pk)
    url, key = settings.PROVINCIAL_PLATFORM_URL, settings.PROVINCIAL_PLATFORM_KEY
    status_code, error, ack = None, "", None
    if not url or not key:
        error = "未配置省级信用平台地址或签名密钥（PROVINCIAL_PLATFORM_URL / PROVINCIAL_PLATFORM_KEY）"
    else:
        body = body_of(forward)
        timestamp = str(int(timezone.now().timestamp()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "credit-platform-provincial/1",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(key, timestamp, body),
            "X-Credit-Event": str(forward.event_id),
            "X-Credit-Event-Kind": forward.kind,
        }
        try:
            status_code, answer = _post(url, body, headers)
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
            else:
                ack = _ack(answer, str(forward.event_id))
                if ack is None:
                    error = f"HTTP {status_code}，但未收到有效回执（须含 event_id 与 ack_id）"
        except Exception as exc:  # noqa: BLE001  (connection refused, timeout, TLS …)
            error = f"{exc.__class__.__name__}: {exc}"[:1000]

    done = max(now, timezone.now())
    if ack is not None:
        ProvincialForward.objects.filter(pk=pk, status=FWD.SENDING).update(
            status=FWD.ACKNOWLEDGED, acknowledged_at=done, ack_id=str(ack["ack_id"])[:128], ack=ack,
            claimed_until=None, last_status_code=status_code, last_error="",
            late=local_date(done) > forward.due_on,
        )
        return "acknowledged"
    if forward.attempts >= settings.PROVINCIAL_PLATFORM_MAX_ATTEMPTS:
        ProvincialForward.objects.filter(pk=pk, status=FWD.SENDING).update(
            status=FWD.DEAD, claimed_until=None, last_status_code=status_code, last_error=error,
        )
        logger.warning("provincial forward %s stopped after %s attempts: %s", pk, forward.attempts, error)
        return "dead"
    ProvincialForward.objects.filter(pk=pk, status=FWD.SENDING).update(
        status=FWD.PENDING, next_attempt_at=done + backoff(forward.attempts), claimed_until=None,
        last_status_code=status_code, last_error=error,
    )
    return "retry"


def retry(queryset) -> int:
    """Put failed deliveries back in the queue with a fresh attempt budget (admin action)."""
    return queryset.exclude(status=FWD.ACKNOWLEDGED).update(
        status=FWD.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_until=None,
    )


# --- the sweep ------------------------------------------------------------------------------------------------------


def flag_overdue(now: datetime) -> int:
    """Set-based: every delivery not acknowledged by the end of its due day (Asia/Shanghai) is flagged once, and the
    credit centre's platform admins are told how many (one notification a day)."""
    today = local_date(now)
    flagged = ProvincialForward.objects.filter(overdue_at__isnull=True, due_on__lt=today).exclude(
        status=FWD.ACKNOWLEDGED
    ).update(overdue_at=now)
    if flagged:
        open_total = ProvincialForward.objects.filter(overdue_at__isnull=False).exclude(status=FWD.ACKNOWLEDGED).count()
        admins = User.objects.filter(groups__name=roles.PLATFORM_ADMIN, is_active=True).distinct()
        for user in admins:
            notify(user, f"records:provincial:overdue:{today.isoformat()}", "向省信用平台推送逾期",
                   f"有 {open_total} 条信息超过推送期限仍未获省平台确认（《黑龙江省社会信用条例》第二十二条第二款）。",
                   "/admin/records/provincialforward/?overdue=yes")
    return flagged


def sweep(now: datetime) -> dict[str, int]:
    """Send every due delivery, then flag the overdue ones. Idempotent; a missed run is caught up by the next."""
    counts = {"acknowledged": 0, "retry": 0, "dead": 0}

    def send(ids: list[int]) -> None:
        for pk in ids:
            outcome = deliver(pk, now)
            if outcome in counts:
                counts[outcome] += 1

    if settings.PROVINCIAL_PLATFORM_URL:
        in_batches("records.provincial", ProvincialForward.objects.filter(_due_q(now)), send, size=BATCH)
    counts["overdue"] = flag_overdue(now)
    return counts


def recompute_provisional(year: int) -> int:
    """Calendar hook: recompute the provisional due dates of deliveries not acknowledged yet."""
    current = duty()
    if current is None:
        return 0
    days, _article = current
    changed = 0
    rows = ProvincialForward.objects.filter(due_provisional=True).exclude(status=FWD.ACKNOWLEDGED)
    for fwd in rows.only("id", "collected_on", "due_on").iterator(chunk_size=2000):
        due = add_working_days(fwd.collected_on, days)
        changed += ProvincialForward.objects.filter(pk=fwd.pk, due_provisional=True).update(
            due_on=due.date, due_provisional=due.provisional
        )
    return changed


@checks.register(checks.Tags.compatibility)
def check_configuration(app_configs, **kwargs):
    """A profile with the forwarding duty needs somewhere to forward to, and a key to sign with."""
    url, key = settings.PROVINCIAL_PLATFORM_URL, settings.PROVINCIAL_PLATFORM_KEY
    problems = []
    if url and not key:
        problems.append(checks.Error("PROVINCIAL_PLATFORM_URL is set but PROVINCIAL_PLATFORM_KEY is empty.",
                                     hint="Set the HMAC key agreed with the provincial platform.", id="records.E020"))
    try:
        has_duty = duty() is not None
    except Exception:  # noqa: BLE001  (an unknown CREDIT_POLICY is reported by its own check)
        has_duty = False
    if has_duty and not url:
        problems.append(checks.Warning(
            "The active profile requires forwarding to the provincial platform but PROVINCIAL_PLATFORM_URL is empty.",
            hint="Deliveries are queued and shown as overdue in the admin until it is set.", id="records.W020"))
    return problems
