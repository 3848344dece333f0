"""Celery tasks: thin wrappers around disclosure.sweeps (run daily by beat; also `manage.py run_disclosure_sweeps`)
and the windows of records created by large pushes (disclosure.backlog)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache
from django.db import transaction

from credit_platform.queue import send_now
from credit_platform.sweeps import run_sweep
from disclosure import backlog, sweeps

logger = logging.getLogger(__name__)


@shared_task(name="disclosure.end_publicity", ignore_result=True)
def end_publicity() -> int:
    return run_sweep("disclosure_end_publicity", sweeps.end_publicity)


@shared_task(name="disclosure.end_retention", ignore_result=True)
def end_retention() -> int:
    return run_sweep("disclosure_end_retention", sweeps.end_retention)


@shared_task(name="disclosure.apply_windows", ignore_result=True, acks_late=True)
def apply_windows_task(record_ids: list[int]) -> int:
    """The windows of the records named; idempotent. Pushes no longer send it (they send the coalesced
    ``disclosure.catch_up_windows``); kept for messages already queued."""
    return backlog.store_created(record_ids)


@shared_task(name="disclosure.catch_up_windows", ignore_result=True, acks_late=True)
def catch_up_windows() -> int:
    """What large pushes send, at most once per ``DISCLOSURE_WINDOWS_COALESCE_SECONDS``: store the windows of the
    records every push left pending (``backlog.catch_up``), a round of up to 5,000 records, then send itself again
    behind the tasks queued meanwhile while rows remain (the sanctions catch-up shares the one worker)."""
    stored, more = backlog.catch_up()
    if more:
        send_now(catch_up_windows)
    return stored


@shared_task(name="disclosure.missing_windows", ignore_result=True)
def missing_windows() -> int:
    """Every minute: the windows the tasks above could not store (broker down when the push committed)."""
    return run_sweep(backlog.SWEEP_NAME, backlog.store_missing)


def defer_windows(record_ids: list[int]) -> None:
    """Leave the windows of ``record_ids`` (the records a large push creates) to the worker: recorded in the current
    transaction (``backlog.defer``), and one coalesced task sent after it commits."""
    if not record_ids:
        return
    backlog.defer(record_ids)
    transaction.on_commit(windows_soon)


def windows_soon() -> bool:
    """Send the coalesced ``catch_up_windows`` unless one is pending; True if this call sent it."""
    window = backlog.coalesce_seconds()
    try:
        first = cache.add(backlog.CATCH_UP_PENDING, 1, timeout=window + 60)  # expires even if the task is lost
    except Exception:  # a cache backend down: send uncoalesced rather than leave the windows to the sweep
        logger.warning("disclosure: windows catch-up flag unavailable, sending without coalescing", exc_info=True)
        first = True
    if not first:
        return False
    if not send_now(catch_up_windows, countdown=window):
        cache.delete(backlog.CATCH_UP_PENDING)  # broker down: the next push tries again; the sweep catches up
        return False
    return True
