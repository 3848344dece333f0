"""Celery tasks: thin wrappers around disclosure.sweeps (run daily by beat; also `manage.py run_disclosure_sweeps`)
and the windows of records created by large pushes (disclosure.backlog)."""

from __future__ import annotations

from celery import shared_task

from credit_platform.sweeps import run_sweep
from disclosure import sweeps


@shared_task(name="disclosure.end_publicity", ignore_result=True)
def end_publicity() -> int:
    return run_sweep("disclosure_end_publicity", sweeps.end_publicity)


@shared_task(name="disclosure.end_retention", ignore_result=True)
def end_retention() -> int:
    return run_sweep("disclosure_end_retention", sweeps.end_retention)


@shared_task(name="disclosure.apply_windows", ignore_result=True, acks_late=True)
def apply_windows_task(record_ids: list[int]) -> int:
    """Windows of the records a large push created (sent after its commit); idempotent."""
    from disclosure import backlog

    return backlog.store_created(record_ids)


@shared_task(name="disclosure.missing_windows", ignore_result=True)
def missing_windows() -> int:
    """Every minute: the windows the task above could not store (broker down when the push committed)."""
    from disclosure import backlog

    return run_sweep(backlog.SWEEP_NAME, backlog.store_missing)
