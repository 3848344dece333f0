"""Celery tasks: thin wrappers around disclosure.sweeps (run daily by beat; also `manage.py run_disclosure_sweeps`)
and the windows of records created by large pushes (disclosure.backlog)."""

from __future__ import annotations

from celery import shared_task

from credit_platform.queue import enqueue
from credit_platform.sweeps import run_sweep
from disclosure import backlog, sweeps


@shared_task(name="disclosure.end_publicity", ignore_result=True)
def end_publicity() -> int:
    return run_sweep("disclosure_end_publicity", sweeps.end_publicity)


@shared_task(name="disclosure.end_retention", ignore_result=True)
def end_retention() -> int:
    return run_sweep("disclosure_end_retention", sweeps.end_retention)


@shared_task(name="disclosure.apply_windows", ignore_result=True, acks_late=True)
def apply_windows_task(record_ids: list[int]) -> int:
    """Windows of the records a large push created (sent after its commit); idempotent."""
    return backlog.store_created(record_ids)


@shared_task(name="disclosure.missing_windows", ignore_result=True)
def missing_windows() -> int:
    """Every minute: the windows the task above could not store (broker down when the push committed)."""
    return run_sweep(backlog.SWEEP_NAME, backlog.store_missing)


def defer_windows(record_ids: list[int]) -> None:
    """Send the windows of ``record_ids`` to the worker after the current transaction commits (``disclosure.backlog``:
    the records a large push creates)."""
    ids = sorted(record_ids)
    for start in range(0, len(ids), backlog.TASK_CHUNK):
        enqueue(apply_windows_task, args=(ids[start:start + backlog.TASK_CHUNK],))
