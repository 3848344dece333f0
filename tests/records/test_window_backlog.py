"""Windows of the records a large push creates are stored by the worker after commit (disclosure.backlog).

Small writes and every change to an existing record keep their window in the write itself; the delay for new
records can only hold publication back, never publish early; the sweep stores whatever the task did not."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credit_platform.models import SweepRun
from credit_platform.sweeps import in_batches, run_sweep
from disclosure import backlog, services
from disclosure.models import PendingWindows, RecordWindow
from disclosure.services import public_records
from disclosure.tasks import apply_windows_task, catch_up_windows
from records.models import Record
from tests.concurrency import run_at_once
from tests.records import factories as f


@pytest.fixture(autouse=True)
def _while_the_penalties_are_public():
    """The factory's penalties are decided on 2026-03-02 and public for their window only: the tests run inside it
    (time-machine, ticking), not on the real date."""
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture
def sent(monkeypatch):
    """The windows tasks the pushes send after commit (the broker is not involved): the coalesced
    ``catch_up_windows`` (no arguments: the records wait in ``PendingWindows`` rows)."""
    calls: list[str] = []

    def fake_send_now(task, args=(), kwargs=None, **options):
        if task in (apply_windows_task, catch_up_windows):  # sanctions sends its own task after every push
            calls.append(task.name)
        return True

    monkeypatch.setattr("credit_platform.queue.send_now", fake_send_now)
    monkeypatch.setattr("disclosure.tasks.send_now", fake_send_now)
    return calls


def _pending() -> list[int]:
    return sorted(i for row in PendingWindows.objects.values_list("record_ids", flat=True) for i in row)


def _windowed(ids) -> set[int]:
    return set(RecordWindow.objects.filter(record_id__in=ids).values_list("record_id", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_small_push_stores_its_windows_in_the_push(push, sent, settings):
    settings.DISCLOSURE_INLINE_WINDOWS_MAX = 3
    body = push(*[f.penalty() for _ in range(3)])
    ids = [r["id"] for r in body["results"]]
    assert _windowed(ids) == set(ids)
    assert sent == []


@pytest.mark.django_db(transaction=True)
def test_a_large_push_leaves_new_records_unpublished_until_the_worker_stores_their_windows(push, sent, settings):
    settings.DISCLOSURE_INLINE_WINDOWS_MAX = 3
    body = push(*[f.penalty() for _ in range(5)])
    ids = [r["id"] for r in body["results"]]
    assert body["created"] == 5
    assert _windowed(ids) == set()
    assert not public_records().filter(pk__in=ids).exists()  # held back, never published early
    assert sent == ["disclosure.catch_up_windows"]
    assert _pending() == sorted(ids)

    catch_up_windows()  # what the worker does with the message
    assert _windowed(ids) == set(ids)
    assert _pending() == []
    assert public_records().filter(pk__in=ids).count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_large_repush_recomputes_the_windows_of_changed_records_in_the_push(push, sent, settings):
    first = [f.penalty() for _ in range(2)]
    ids = [r["id"] for r in push(*first)["results"]]
    assert _windowed(ids) == set(ids)
    before = {w.record_id: w.public_until for w in RecordWindow.objects.filter(record_id__in=ids)}

    settings.DISCLOSURE_INLINE_WINDOWS_MAX = 3
    changed = [dict(r, decided_on="2026-05-04") for r in first]  # the period runs from the decision
    body = push(*changed, *[f.penalty() for _ in range(3)])
    assert body["updated"] == 2 and body["created"] == 3
    after = {w.record_id: w.public_until for w in RecordWindow.objects.filter(record_id__in=ids)}
    assert all(after[i] == before[i] + (date(2026, 5, 4) - date(2026, 3, 2)) for i in ids), (before, after)
    new_ids = [r["id"] for r in body["results"] if r["status"] == "created"]
    assert _pending() == sorted(new_ids)


@pytest.mark.django_db(transaction=True)
def test_the_sweep_stores_missing_windows_and_moves_its_watermark_only_past_settled_records(push, sent, settings):
    settings.DISCLOSURE_INLINE_WINDOWS_MAX = 1
    old_ids = [r["id"] for r in push(f.penalty(), f.penalty())["results"]]
    Record.objects.filter(pk__in=old_ids).update(received_at=timezone.now() - timedelta(hours=1))
    fresh_ids = [r["id"] for r in push(f.penalty(), f.penalty())["results"]]  # the broker "lost" both messages
    assert _windowed(old_ids + fresh_ids) == set()

    run_sweep(backlog.SWEEP_NAME, backlog.store_missing)
    assert _windowed(old_ids + fresh_ids) == set(old_ids + fresh_ids)
    run = SweepRun.objects.filter(name=backlog.SWEEP_NAME).latest("id")
    assert run.detail["pending"] + run.detail["stored"] == 4
    # the fresh records' pushes could still have been open: the watermark stops before them
    assert backlog.watermark_now() == max(old_ids)

    # a record of a transaction that committed late, below the newest ids, is still found
    RecordWindow.objects.filter(record_id=fresh_ids[0]).delete()
    run_sweep(backlog.SWEEP_NAME, backlog.store_missing)
    assert fresh_ids[0] in _windowed([fresh_ids[0]])

    run_sweep(backlog.SWEEP_NAME, backlog.store_missing)
    assert SweepRun.objects.filter(name=backlog.SWEEP_NAME).latest("id").detail["stored"] == 0


@pytest.mark.django_db(transaction=True)
def test_the_sweep_is_on_the_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["disclosure-missing-windows"]["task"] == "disclosure.missing_windows"
    assert settings.CELERY_BEAT_SCHEDULE["disclosure-missing-windows"]["schedule"] <= 60


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_the_task_and_the_sweep_on_two_workers_never_compute_a_window_twice(push, sent, settings, monkeypatch):
    settings.DISCLOSURE_INLINE_WINDOWS_MAX = 1
    settings.SWEEP_BATCH_SIZE = 1  # batches of 10 windows (the backlog claims 10 × the sweep batch)
    ids = [r["id"] for r in push(*[f.penalty() for _ in range(120)])["results"]]
    assert _windowed(ids) == set()
    computed: list[int] = []
    real_apply = services.apply_windows

    def counting_apply(record_ids, **kwargs):
        computed.extend(record_ids)
        time.sleep(0.02)  # hold each batch a moment so the two workers overlap
        return real_apply(record_ids, **kwargs)

    # Observed at the public seam both workers call for each batch they claim (disclosure.services.apply_windows).
    monkeypatch.setattr(services, "apply_windows", counting_apply)
    run_at_once(lambda: backlog.store_created(ids), lambda: run_sweep(backlog.SWEEP_NAME, backlog.store_missing))
    assert sorted(computed) == sorted(ids)  # every window computed, none twice
    assert _windowed(ids) == set(ids)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_a_window_stored_while_the_claim_reads_its_snapshot_is_not_computed_again(push, sent, settings):
    """The race the two-worker test above meets now and then, made certain: the claiming statement's snapshot is
    taken, another worker stores the windows and commits (its locks gone), then the statement locks the records.
    Under READ COMMITTED the lock does not re-read the join to the windows, so the records still look due; the
    claim checks them again (``credit_platform.sweeps.in_batches``) and acts on none."""
    settings.DISCLOSURE_INLINE_WINDOWS_MAX = 1
    ids = [r["id"] for r in push(*[f.penalty() for _ in range(5)])["results"]]
    assert _windowed(ids) == set()
    # The sub-select runs once, while the statement scans (after its snapshot is taken): it holds the claim 1.5 s,
    # ample for the other worker to store five windows on a loaded machine.
    slow_claim = Record.objects.filter(pk__in=ids, window__isnull=True).extra(
        where=["(SELECT 1 FROM pg_sleep(1.5)) = 1"]
    )
    acted: list[int] = []

    def other_worker():
        time.sleep(0.2)  # inside the claim's sleep
        return services.apply_windows(ids)

    claimed, stored = run_at_once(lambda: in_batches("test.claim", slow_claim, acted.extend), other_worker)
    assert stored == 5 and _windowed(ids) == set(ids)
    assert (claimed, acted) == (0, [])


@pytest.mark.django_db(transaction=True)
def test_pushes_within_the_window_share_one_task_and_the_next_push_after_it_sends_another(push, sent, settings):
    settings.DISCLOSURE_INLINE_WINDOWS_MAX = 1
    settings.DISCLOSURE_WINDOWS_COALESCE_SECONDS = 2
    first = [r["id"] for r in push(f.penalty(), f.penalty())["results"]]
    second = [r["id"] for r in push(f.penalty(), f.penalty(), f.penalty())["results"]]
    assert sent == ["disclosure.catch_up_windows"]  # one task for both pushes
    assert _pending() == sorted(first + second)

    catch_up_windows()
    assert _windowed(first + second) == set(first + second)
    assert _pending() == []

    third = [r["id"] for r in push(f.penalty(), f.penalty())["results"]]  # the task cleared the flag
    assert sent == ["disclosure.catch_up_windows"] * 2
    catch_up_windows()
    assert _windowed(third) == set(third)


@pytest.mark.django_db(transaction=True)
def test_a_task_takes_one_round_and_sends_itself_again_for_the_rest(push, sent, settings, monkeypatch):
    settings.DISCLOSURE_INLINE_WINDOWS_MAX = 1
    monkeypatch.setattr(backlog, "TASK_CHUNK", 2)
    monkeypatch.setattr(backlog.catch_up, "__kwdefaults__", {"max_records": 2})
    ids = [r["id"] for _ in range(3) for r in push(f.penalty(), f.penalty())["results"]]
    assert sent == ["disclosure.catch_up_windows"]
    catch_up_windows()  # one push's records, then itself again behind the queue
    assert len(_windowed(ids)) == 2
    assert sent == ["disclosure.catch_up_windows"] * 2
    catch_up_windows()
    catch_up_windows()
    assert _windowed(ids) == set(ids)
    assert _pending() == []


@pytest.mark.django_db(transaction=True)
def test_the_sweep_takes_the_pending_rows_a_lost_task_left(push, sent, settings):
    settings.DISCLOSURE_INLINE_WINDOWS_MAX = 1
    ids = [r["id"] for r in push(f.penalty(), f.penalty())["results"]]  # the task is "lost": never run
    run_sweep(backlog.SWEEP_NAME, backlog.store_missing)
    assert _windowed(ids) == set(ids)
    assert _pending() == []
    assert SweepRun.objects.filter(name=backlog.SWEEP_NAME).latest("id").detail["pending"] == 2


def _catch_up_queries(push, n: int) -> int:
    ids = [r["id"] for r in push(*[f.penalty() for _ in range(n)])["results"]]
    with CaptureQueriesContext(connection) as ctx:
        catch_up_windows()
    assert _windowed(ids) == set(ids)
    return len(ctx.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_the_windows_task_costs_the_same_queries_for_3_or_60_records(push, sent, settings):
    settings.DISCLOSURE_INLINE_WINDOWS_MAX = 1
    small, large = _catch_up_queries(push, 3), _catch_up_queries(push, 60)
    if connection.vendor == "postgresql":
        assert small == large
    else:  # SQLite's 999-parameter limit splits the portable bulk insert of 60 windows in two
        assert large <= small + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_a_push_committed_while_the_task_runs_is_stored_by_the_next_task(push, sent, settings, monkeypatch):
    settings.DISCLOSURE_INLINE_WINDOWS_MAX = 1
    first = [r["id"] for r in push(f.penalty(), f.penalty())["results"]]
    assert sent == ["disclosure.catch_up_windows"]
    during: list[int] = []
    real_store = backlog.store_created

    def store_while_another_push_commits(record_ids):
        if not during:  # a department pushes (and commits) while the task holds its rows
            def other_push():
                try:
                    during.extend(r["id"] for r in push(f.penalty(), f.penalty())["results"])
                finally:
                    connection.close()
            thread = threading.Thread(target=other_push)
            thread.start()
            thread.join()
        return real_store(record_ids)

    monkeypatch.setattr(backlog, "store_created", store_while_another_push_commits)
    catch_up_windows()
    assert _windowed(first) == set(first)
    assert len(during) == 2 and _windowed(during) == set()
    assert _pending() == sorted(during)  # not taken by the running task, not lost
    # the flag was cleared first, so the push sent the next task; and the task, seeing rows left, sent itself again
    assert sent == ["disclosure.catch_up_windows"] * 3

    catch_up_windows()
    assert _windowed(during) == set(during)
