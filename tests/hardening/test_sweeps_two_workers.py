"""Two Celery workers running the same sweep at the same moment act on every due row exactly once.

Each test makes many due rows, runs the sweep function in two threads started together (each thread has its own
database connection, as two workers would), and checks three things:

* every due row was claimed by exactly one thread (``credit_platform.sweeps.batch_claimed`` names the keys of each
  batch) and its effects — events, notifications, history rows, webhook POSTs — exist exactly once;
* the counts the two threads report add up to the number of due rows;
* the two threads really worked at the same time: a batch of one thread was held while the other thread held a
  batch of its own. Without ``SKIP LOCKED`` the second worker would queue behind the first one's row locks, so
  this fails if the sweeps fall back to plain ``FOR UPDATE``; without any row lock the "exactly once" checks fail.

PostgreSQL only: SQLite has no row locks (Django leaves ``FOR UPDATE`` out there) and serialises writers.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from credit_platform.models import Notification, SweepRun
from credit_platform.sweeps import batch_claimed

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs row locks and concurrent transactions (PostgreSQL); SQLite ignores SKIP LOCKED"),
    pytest.mark.django_db(transaction=True),
]

SH = ZoneInfo("Asia/Shanghai")
BATCH = 5  # SWEEP_BATCH_SIZE in these tests: many small batches, so the two workers interleave
HOLD = 0.5  # a worker holding a batch waits up to this long for the other worker to reach the end of one too


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SH)


@pytest.fixture(autouse=True)
def small_batches(settings):
    settings.SWEEP_BATCH_SIZE = BATCH


@dataclass(frozen=True)
class Batch:
    label: str
    worker: int
    ids: tuple
    overlapped: bool  # the other worker finished acting on a batch of its own while this one held its rows


def race(sweep, *args) -> tuple[list, list[Batch]]:
    """Run ``sweep(*args)`` in two threads at once; return both results and every batch either claimed.

    Each batch, once acted on and still uncommitted (its rows locked), waits up to ``HOLD`` seconds for the other
    worker to get to the same point with a batch of the same sweep — which it can only do if it skipped the locked
    rows instead of queueing behind them.
    """
    batches: list[Batch] = []
    cond = threading.Condition()
    entered: Counter = Counter()  # (label, worker) -> batches acted on
    finished = [False, False]
    local = threading.local()

    def on_batch(sender, ids, **kwargs):
        me = local.worker
        other = 1 - me
        with cond:
            entered[sender, me] += 1
            cond.notify_all()
            before = entered[sender, other]
            cond.wait_for(lambda: entered[sender, other] > before or finished[other], timeout=HOLD)
            batches.append(Batch(sender, me, tuple(ids), entered[sender, other] > before))

    barrier = threading.Barrier(2)
    results: list = [None, None]
    errors: list = []

    def worker(n: int) -> None:
        local.worker = n
        try:
            barrier.wait(timeout=30)
            results[n] = sweep(*args)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()
            with cond:
                finished[n] = True
                cond.notify_all()

    batch_claimed.connect(on_batch, weak=False, dispatch_uid="two-workers-test")
    try:
        threads = [threading.Thread(target=worker, args=(n,)) for n in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
    finally:
        batch_claimed.disconnect(dispatch_uid="two-workers-test")
    assert not errors, errors
    return results, batches


def assert_claimed_once(batches: list[Batch], label: str, due) -> None:
    mine = [b for b in batches if b.label == label]
    claimed = [k for b in mine for k in b.ids]
    twice = [k for k, n in Counter(claimed).items() if n > 1]
    assert not twice, f"{label}: rows claimed by more than one batch: {twice[:10]}"
    assert set(claimed) == set(due), f"{label}: claimed {len(set(claimed))} rows of {len(set(due))} due"
    by_worker = Counter(b.worker for b in mine)
    assert by_worker[0] and by_worker[1], f"{label}: one worker did everything ({dict(by_worker)}): no concurrency"
    assert any(b.overlapped for b in mine), (
        f"{label}: the two workers never held a batch at the same time (one queued behind the other's row locks?)"
    )


def total(results: list, key: str | None = None) -> int:
    return sum((r[key] if key else r) for r in results)


# --- platform ---------------------------------------------------------------------------------------------------------


def test_prune_sweep_runs():
    from credit_platform.tasks import prune_sweep_runs

    long_ago = timezone.now() - timedelta(days=500)
    SweepRun.objects.bulk_create([SweepRun(name="old", started_at=long_ago) for _ in range(300)])
    due = list(SweepRun.objects.filter(name="old").values_list("pk", flat=True))
    results, batches = race(prune_sweep_runs)
    assert_claimed_once(batches, "credit_platform.prune_sweep_runs", due)
    assert total(results) == 300
    assert not SweepRun.objects.filter(name="old").exists()
    assert SweepRun.objects.filter(name="prune_sweep_runs", finished_at__isnull=False).count() == 2


# --- disclosure -------------------------------------------------------------------------------------------------------


@pytest.fixture
def disclosed_records(department, settings):
    from disclosure.services import apply_windows
    from tests.disclosure import factories as df

    settings.CREDIT_POLICY = "qufu"  # a natural person's retention ends (Qufu arts. 35-36): both sweeps have work
    items = df.make_catalog(department)
    who = df.person("赵六", date(1980, 1, 1))
    records = [df.record(who, items[df.PENALTY], department, apply=False, decided_on=date(2024, 1, 10),
                         ended_on=date(2024, 2, 1)) for _ in range(300)]
    apply_windows([r.pk for r in records])
    return [r.pk for r in records]


def test_disclosure_end_publicity_and_retention(disclosed_records):
    from disclosure import sweeps
    from disclosure.models import RecordWindow
    from records.models import Record

    ids = disclosed_records
    results, batches = race(sweeps.end_publicity, at(date(2045, 1, 1)))
    assert_claimed_once(batches, "disclosure.end_publicity", ids)
    assert total(results, "archived") == len(ids) and total(results, "expired") == len(ids)
    assert RecordWindow.objects.filter(pk__in=ids, state="archived").count() == len(ids)
    history = Record.history.filter(id__in=ids, history_change_reason__startswith="公示（披露）期限届满")
    assert Counter(history.values_list("id", flat=True)) == Counter(dict.fromkeys(ids, 1))

    results, batches = race(sweeps.end_retention, at(date(2100, 1, 1)))
    assert_claimed_once(batches, "disclosure.end_retention", ids)
    assert total(results, "shielded") == len(ids)
    assert RecordWindow.objects.filter(pk__in=ids, state="shielded").count() == len(ids)
    history = Record.history.filter(id__in=ids, history_change_reason="保存期限届满，予以屏蔽")
    assert Counter(history.values_list("id", flat=True)) == Counter(dict.fromkeys(ids, 1))


# --- objections -------------------------------------------------------------------------------------------------------


def test_objections_reminders_marks_and_escalations(department, other_department, make_official, monkeypatch, settings,
                                                    tmp_path):
    from credit_platform import roles
    from credit_platform.models import Department, User
    from objections import services, sweeps
    from objections.models import EventKind, Objection, ObjectionEvent
    from tests.catalog.factories import make_test_catalog
    from tests.objections.factories import make_record
    from tests.records.factories import uscc

    settings.OBJECTION_EVIDENCE_ROOT = str(tmp_path / "evidence")
    centre = Department.objects.create(code="XYZX", name="市社会信用中心", uscc="12650200MB1234567X",
                                       is_credit_centre=True)
    make_official("handler", roles.OBJECTION_HANDLER, department=centre)
    make_official("head", roles.PLATFORM_ADMIN, department=centre)
    citizen = User.objects.create_user(username="citizen", password="Str0ng-Passw0rd!", kind=User.Kind.CITIZEN)
    make_test_catalog(department, other_department)
    filed = at(date(2026, 9, 30), 11)
    monkeypatch.setattr(timezone, "now", lambda: filed)
    ids = [
        services.file_objection(records=[make_record(department, code=uscc(900 + n))], ground="inaccurate",
                                statement="处罚金额记载错误", actor=citizen, channel="portal", applicant=citizen,
                                handling_department=centre).pk
        for n in range(60)  # one subject each, as in life: marking a record also touches its subject's row
    ]
    first = Objection.objects.get(pk=ids[0])
    mark_due, decision_due = first.mark_due, first.decision_due
    assert Objection.objects.filter(pk__in=ids, mark_due=mark_due, status="received").count() == len(ids)

    def events(kind: str, which: str) -> Counter:
        rows = ObjectionEvent.objects.filter(objection_id__in=ids, kind=kind, data__which=which)
        return Counter(rows.values_list("objection_id", flat=True))

    once = Counter(dict.fromkeys(ids, 1))

    # the morning the mark falls due: every handler is reminded once
    results, batches = race(sweeps.sweep_reminders, at(mark_due, 8))
    assert_claimed_once(batches, "objections.mark_reminders", ids)
    assert total(results, "mark_reminded") == len(ids)
    assert events(EventKind.REMINDED, "mark") == once

    # two days late: every objection is marked once and its late mark escalated once
    results, batches = race(sweeps.sweep_marks, at(mark_due + timedelta(days=2), 8))
    assert_claimed_once(batches, "objections.marks", ids)
    assert total(results, "marked") == len(ids) and total(results, "mark_escalated") == len(ids)
    assert Objection.objects.filter(pk__in=ids, status="marked").count() == len(ids)
    assert Counter(ObjectionEvent.objects.filter(objection_id__in=ids, kind=EventKind.AUTO_MARKED)
                   .values_list("objection_id", flat=True)) == once
    assert events(EventKind.ESCALATED, "mark") == once

    # past the decision date: every objection is escalated once, heads and handlers told once each
    results, batches = race(sweeps.sweep_escalations, at(decision_due + timedelta(days=1), 8))
    assert_claimed_once(batches, "objections.decision_escalations", ids)
    assert total(results, "decision_escalated") == len(ids)
    assert events(EventKind.ESCALATED, "decision") == once
    notes = Notification.objects.filter(event_key__in=[f"objection:{pk}:escalate:decision" for pk in ids])
    assert notes.count() == 2 * len(ids)  # the head and the handler (unique per user and event)


# --- repair -----------------------------------------------------------------------------------------------------------


def test_repair_escalations_and_notices(department, make_official):
    from credit_platform import roles
    from records.models import Record
    from repair import services, sweeps
    from repair.models import RepairApplication, RepairEvent, RepairNotice
    from tests.repair import factories as rf

    reviewer = make_official("reviewer", roles.REPAIR_REVIEWER)
    make_official("head", roles.PLATFORM_ADMIN)
    ids = []
    for _ in range(60):
        record = rf.record(department, decided_on=date(2025, 1, 15))
        ids.append(services.apply(record, applicant_name="李四", correction_statement="整改完毕",
                                  commitment=services.commitment_text(record, "李四"), channel="paper",
                                  registered_by=reviewer, now=at(date(2026, 9, 28))).pk)
    for _ in range(140):  # dishonesty records whose notice row the sweep must create
        rf.record(department, decided_on=date(2025, 2, 1))
    without_notice = list(Record.objects.filter(category="dishonesty", repair_notice__isnull=True)
                          .values_list("pk", flat=True))
    assert len(without_notice) >= 140

    results, batches = race(sweeps.remind_and_escalate, at(date(2026, 11, 2)))
    assert_claimed_once(batches, "repair.accept_escalations", ids)
    assert total(results, "accept_escalated") == len(ids)
    escalated = RepairEvent.objects.filter(application_id__in=ids, kind="escalated")
    assert Counter(escalated.values_list("application_id", flat=True)) == Counter(dict.fromkeys(ids, 1))
    assert RepairApplication.objects.filter(pk__in=ids, accept_escalated_at__isnull=False).count() == len(ids)

    assert_claimed_once(batches, "repair.notices", without_notice)
    assert total(results, "notices_created") == len(without_notice)
    assert Counter(RepairNotice.objects.filter(record_id__in=without_notice).values_list("record_id", flat=True)) == \
        Counter(dict.fromkeys(without_notice, 1))


class _Receiver(BaseHTTPRequestHandler):
    received: Counter = Counter()
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802 - http.server's API
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.lock:
            self.received[self.headers["X-Credit-Event"]] += 1
        body = json.dumps({"acknowledged": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        """Keep the test output free of the stub server's access log."""


@pytest.fixture
def webhook_receiver():
    _Receiver.received = Counter()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", _Receiver.received
    server.shutdown()
    server.server_close()


def test_repair_outbox_redelivery_posts_each_delivery_once(department, webhook_receiver):
    from records import outbox
    from records.models import DeliveryStatus, OutboxDelivery, OutboxEvent, Subscription
    from repair import sweeps

    url, received = webhook_receiver
    subscription = Subscription.objects.create(name="银行", department=department, scope=Subscription.Scope.ALL, url=url,
                                               secret="s3cret")
    past = timezone.now() - timedelta(minutes=5)
    events = OutboxEvent.objects.bulk_create(
        [OutboxEvent(kind="updated", record_id=1000 + n, record_ref=f"REF-{n}", payload={}) for n in range(200)]
    )
    OutboxDelivery.objects.bulk_create(
        [OutboxDelivery(event=e, subscription=subscription, next_attempt_at=past) for e in events]
    )
    due = list(OutboxDelivery.objects.filter(subscription=subscription).values_list("pk", flat=True))

    results, batches = race(sweeps.redeliver_outbox, timezone.now())
    assert_claimed_once(batches, "repair.outbox", due)
    assert total(results, "delivered") == len(due)
    assert received == Counter({str(e.event_id): 1 for e in OutboxEvent.objects.all()})
    rows = OutboxDelivery.objects.filter(pk__in=due)
    assert rows.filter(status=DeliveryStatus.DELIVERED, attempts=1, acknowledged_at__isnull=False).count() == len(due)
    assert outbox.redeliver_due() == {"delivered": 0, "retry": 0, "dead": 0}


# --- sanctions --------------------------------------------------------------------------------------------------------


def _steps(model, ids, step: str) -> Counter:
    from django.contrib.contenttypes.models import ContentType

    from sanctions.models import SanctionEvent

    rows = SanctionEvent.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids,
                                        step=step)
    return Counter(rows.values_list("object_id", flat=True))


def test_sanctions_list_terms_and_publicity(department):
    from sanctions import sweeps
    from sanctions.models import RedListEntry, SevereListEntry
    from tests.sanctions import factories as sf

    severe = [SevereListEntry.objects.create(subject=sf.org(f"严重失信单位{n}"), department=department, reasons="测试",
                                             basis="测试依据", status=SevereListEntry.Status.LISTED, public=True,
                                             term_end=date(2026, 1, 1)).pk for n in range(80)]
    red = [RedListEntry.objects.create(subject=sf.org(f"守信单位{n}"), department=department, criteria="测试",
                                       status=RedListEntry.Status.LISTED, valid_until=date(2026, 1, 1)).pk
           for n in range(80)]
    now = at(date(2026, 6, 1))
    once_severe, once_red = Counter(dict.fromkeys(severe, 1)), Counter(dict.fromkeys(red, 1))

    results, batches = race(sweeps.severe_list_terms, now)
    assert_claimed_once(batches, "sanctions.severe_list_terms", severe)
    assert total(results) == len(severe)
    assert _steps(SevereListEntry, severe, "removed") == once_severe

    results, batches = race(sweeps.publicity, now)
    assert_claimed_once(batches, "sanctions.publicity", severe)
    assert total(results) == len(severe)
    assert _steps(SevereListEntry, severe, "publicity_stopped") == once_severe
    assert not SevereListEntry.objects.filter(pk__in=severe, public=True).exists()

    results, batches = race(sweeps.red_list_terms, now)
    assert_claimed_once(batches, "sanctions.red_list_terms", red)
    assert total(results) == len(red)
    assert _steps(RedListEntry, red, "removed") == once_red


def test_sanctions_commitments_and_evaluations(department, make_official):
    from credit_platform import roles
    from sanctions import sweeps
    from sanctions.models import Commitment, Evaluation
    from tests.sanctions import factories as sf

    officer = make_official("officer", roles.DEPARTMENT_OFFICER, department=department)
    commitments = [Commitment.objects.create(subject=sf.org(f"承诺单位{n}"), department=department, source_ref=f"CM-{n}",
                                             title="按期补交材料", content="承诺", made_on=date(2026, 1, 5),
                                             status=Commitment.Status.PENDING, verification_due=date(2026, 3, 1)).pk
                   for n in range(80)]
    now = at(date(2026, 6, 1))
    once = Counter(dict.fromkeys(commitments, 1))
    results, batches = race(sweeps.commitments, now)
    # every commitment was overdue: the reminder and the escalation each happen once
    assert_claimed_once(batches, "sanctions.commitment_reminders", commitments)
    assert_claimed_once(batches, "sanctions.commitment_escalations", commitments)
    assert total(results, "reminded") == len(commitments) and total(results, "escalated") == len(commitments)
    assert _steps(Commitment, commitments, "reminded") == once and _steps(Commitment, commitments, "escalated") == once
    told = Notification.objects.filter(user=officer, event_key__startswith="sanctions:commitment:")
    assert told.count() == 2 * len(commitments)

    subjects = [sf.org(f"评价单位{n}") for n in range(80)]
    evaluations = [Evaluation.objects.create(subject=s, score=1, grade="D", model_version="old",
                                             recompute_on=date(2026, 1, 1)).pk for s in subjects]
    results, batches = race(sweeps.evaluations, now)
    assert_claimed_once(batches, "sanctions.evaluations", evaluations)
    assert total(results) == len(evaluations)
    recomputed = Evaluation.history.filter(id__in=evaluations, history_change_reason="重新评价")
    assert Counter(recomputed.values_list("id", flat=True)) == Counter(dict.fromkeys(evaluations, 1))


def test_sanctions_record_changes_reads_each_history_batch_once(department, settings):
    from records.models import Record
    from sanctions import services, sweeps
    from sanctions.models import RecordCursor
    from tests.sanctions import factories as sf

    history = Record.history.model
    last = history.objects.order_by("-history_id").values_list("history_id", flat=True).first() or 0
    RecordCursor.objects.update_or_create(name="records", defaults={"last_history_id": last})
    for n in range(60):
        sf.record(department, sf.org(f"变化单位{n}"))
    settings.SANCTIONS_RECORD_SYNC_BATCH = 5
    seen: list[int] = []
    lock = threading.Lock()
    real = services.on_records_changed

    def counting(record_ids, **kwargs):
        with lock:
            seen.extend(record_ids)
        time.sleep(0.02)
        return real(record_ids, **kwargs)

    from unittest import mock

    with mock.patch.object(services, "on_records_changed", counting):
        results, _ = race(sweeps.record_changes, timezone.now())
    created = list(Record.objects.filter(source_ref__startswith="SX-").values_list("pk", flat=True))
    assert Counter(seen) == Counter(dict.fromkeys(created, 1))
    assert total(results) == len(created)  # one subject per record, each read once
    newest = history.objects.order_by("-history_id").values_list("history_id", flat=True).first()
    assert RecordCursor.objects.get(name="records").last_history_id == newest
