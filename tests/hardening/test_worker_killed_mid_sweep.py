"""A Celery worker killed (SIGKILL) in the middle of a sweep leaves nothing half-done, and the sweep is finished
by the next worker.

A real worker runs the disclosure ``end_publicity`` task over 200 due records, each batch held open for a moment
(``tests.hardening.slow_worker``). It is killed once a few batches have committed. The database must then show
whole batches only — every record either archived with its status changed and exactly one history row, or
untouched — and, because the task is acknowledged late and the broker's visibility timeout is short here, a new
worker receives the same message again and completes the sweep with every record acted on exactly once.

Needs PostgreSQL (concurrent transactions, a connection the kill really drops) and Redis (a broker that
redelivers unacknowledged messages).
"""

from __future__ import annotations

import signal
import time
import uuid
from collections import Counter
from datetime import date

import pytest
from django.conf import settings
from django.db import connection

from credit_platform.models import SweepRun
from tests.credit_platform.test_celery_integration import start_worker

pytestmark = [
    pytest.mark.celery_integration,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL=postgres://…)"),
    pytest.mark.skipif(not settings.CELERY_BROKER_URL.startswith("redis"),
                       reason="needs Redis as the broker (set CELERY_BROKER_URL=redis://…): redelivery after a kill"),
]

RECORDS = 200
BATCH = 20  # SWEEP_BATCH_SIZE 2 × the disclosure sweeps' scale of 10
WORKER_ENV = {
    "SWEEP_BATCH_SIZE": "2",
    "SWEEP_TEST_BATCH_DELAY": "0.7",  # each batch stays uncommitted this long
    "CELERY_VISIBILITY_TIMEOUT": "5",  # redeliver an unacknowledged message after 5 s instead of an hour
}
REASON = "公示（披露）期限届满，停止公示，转为档案保存"


def _wait(condition, seconds: float, proc, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if proc.poll() is not None:
            pytest.fail(f"the worker exited while waiting for {what}:\n{proc.stdout.read()}")
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"timed out waiting for {what}:\n{proc.communicate(timeout=15)[0]}")


def _state(ids: list[int]) -> dict[int, tuple]:
    """Per record: (window state, record status, history rows written by the sweep)."""
    from disclosure.models import RecordWindow
    from records.models import Record

    windows = dict(RecordWindow.objects.filter(pk__in=ids).values_list("pk", "state"))
    statuses = dict(Record.objects.filter(pk__in=ids).values_list("pk", "status"))
    history = Counter(Record.history.filter(id__in=ids, history_change_reason=REASON).values_list("id", flat=True))
    return {pk: (windows[pk], statuses[pk], history[pk]) for pk in ids}


DONE, UNTOUCHED = ("archived", "expired", 1), ("active", "active", 0)


def test_killed_worker_leaves_whole_batches_and_the_redelivered_task_finishes(department):
    from disclosure import tasks
    from disclosure.services import apply_windows
    from tests.disclosure import factories as df

    items = df.make_catalog(department)
    who = df.person("赵六", date(1980, 1, 1))
    ids = [df.record(who, items[df.PENALTY], department, apply=False, decided_on=date(2019, 3, 2)).pk
           for _ in range(RECORDS)]
    apply_windows(ids)
    assert set(_state(ids).values()) == {UNTOUCHED}  # all due: their publicity ended years ago

    queue = f"killed-{uuid.uuid4().hex[:8]}"
    first = start_worker(queue, app="tests.hardening.slow_worker", env=WORKER_ENV)
    try:
        tasks.end_publicity.apply_async(queue=queue)
        done = lambda: sum(1 for s in _state(ids).values() if s == DONE)  # noqa: E731
        _wait(lambda: done() >= 2 * BATCH, 120, first, "two batches to commit")
        time.sleep(0.3)  # well inside the next batch's transaction
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=15)
    finally:
        if first.poll() is None:
            first.kill()

    # nothing half-done: whole batches archived with their history, the rest exactly as before
    after_kill = _state(ids)
    assert set(after_kill.values()) <= {DONE, UNTOUCHED}, Counter(after_kill.values())
    archived = [pk for pk, s in after_kill.items() if s == DONE]
    assert len(archived) % BATCH == 0 and 0 < len(archived) < RECORDS, len(archived)
    killed_run = SweepRun.objects.get(name="disclosure_end_publicity")
    assert killed_run.finished_at is None  # the run that died says so: started, never finished

    # the message was never acknowledged: a new worker gets it again and finishes the sweep
    second = start_worker(queue, env={k: v for k, v in WORKER_ENV.items() if k != "SWEEP_TEST_BATCH_DELAY"})
    try:
        _wait(lambda: SweepRun.objects.filter(name="disclosure_end_publicity", finished_at__isnull=False).exists(),
              120, second, "the redelivered task to finish")
    finally:
        second.terminate()
        try:
            second.wait(timeout=15)
        except Exception:  # noqa: BLE001
            second.kill()

    assert set(_state(ids).values()) == {DONE}  # every record acted on exactly once (one history row each)
    finished = SweepRun.objects.get(name="disclosure_end_publicity", finished_at__isnull=False)
    assert finished.error == "" and finished.detail == {"archived": RECORDS - len(archived),
                                                        "expired": RECORDS - len(archived)}
