"""Windows of records created by a bulk push: computed by the worker right after the push commits.

Why not in the push's transaction: storing a window costs CPU per record (the rules of ``disclosure.windows`` in
Python, plus the write), a large share of what the whole validated ingestion of a record costs; inside a large push
it kept the batch API well below the ingestion rate the platform must take (bench/README.md). So:

* a write of up to ``DISCLOSURE_INLINE_WINDOWS_MAX`` records (a single push, a correction, a revocation, a small
  batch), and **every change to an existing record** whatever the batch size, recompute the window in the same
  transaction — a record whose facts change never shows under its old window;
* the records a larger batch *creates* are left to the worker: the push writes their ids in one ``PendingWindows``
  row in its own transaction and, after commit, sends ONE ``disclosure.catch_up_windows`` per
  ``DISCLOSURE_WINDOWS_COALESCE_SECONDS`` (a cache flag, cleared by the task before it reads, so a push committing
  while the task runs sends the next one): under continuous ingestion one task takes the rows of many pushes
  (``catch_up``) instead of a task per push queueing behind each other (issue #17). Until their window is stored
  they are not on the portal (public means a stored, published window: ``public_records``), so the delay can only
  hold publication back by seconds, never publish anything early;
* with the broker down the ``disclosure_missing_windows`` sweep (every minute) stores what the task did not: it takes
  the pending rows, then walks the records past a watermark and computes the windows that are missing. Idempotent: computing a window
  twice stores the same row.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from credit_platform.sweeps import batch_size, in_batches
from disclosure import services, window_store
from disclosure.models import PendingWindows
from records import watermark
from records.models import Record

logger = logging.getLogger(__name__)

SWEEP_NAME = "disclosure_missing_windows"
TASK_CHUNK = 5000
#: the cache key that says "a catch-up of the pending windows is on its way" (set by ``disclosure.tasks.windows_soon``,
#: cleared by ``catch_up`` before it reads)
CATCH_UP_PENDING = "disclosure:windows:catch_up_pending"
#: pending rows one transaction takes at most (each holds one push's created records: up to 5,000)
ROWS_PER_ROUND = 20


def inline_max() -> int:
    return int(settings.DISCLOSURE_INLINE_WINDOWS_MAX)


def split(record_ids: list[int], created_ids: list[int] | None) -> tuple[list[int], list[int]]:
    """(computed now, left to the worker). Only records just created by a write larger than the inline limit wait."""
    created = set(created_ids or ())
    if len(record_ids) <= inline_max() or not created:
        return list(record_ids), []
    now = [i for i in record_ids if i not in created]
    later = [i for i in record_ids if i in created]
    return now, later


def store_created(record_ids: list[int]) -> int:
    """The task: the windows of ``record_ids`` still missing. Rows are claimed with ``SKIP LOCKED`` like the sweep
    below claims them, so the task and the sweep (or two workers) never compute the same window twice."""
    due = window_store.with_ids(Record.objects.filter(window__isnull=True), record_ids)
    return in_batches("disclosure.apply_windows", due, services.apply_windows, size=batch_size(10))


def coalesce_seconds() -> int:
    return max(0, int(settings.DISCLOSURE_WINDOWS_COALESCE_SECONDS))


def defer(record_ids: list[int]) -> None:
    """Leave the windows of ``record_ids`` (just created by a large push) to the worker: one row, written in the
    push's transaction (so it commits, or rolls back, with the records)."""
    if record_ids:
        PendingWindows.objects.create(record_ids=sorted(int(i) for i in record_ids))


def catch_up(*, max_records: int = TASK_CHUNK) -> tuple[int, bool]:
    """The coalesced task's work: clear the "pending" flag FIRST, then take pending rows (oldest first, ``SKIP
    LOCKED``) until about ``max_records`` records, store their windows and delete the rows, in one transaction. A push
    whose commit hook saw the flag still set committed before the clear, so its row is visible here or to the next
    round; one committing later finds the flag gone and sends the next task. Returns (records stored, whether pending
    rows remain)."""
    try:
        cache.delete(CATCH_UP_PENDING)
    except Exception:  # a cache backend down: pushes then send a task each, still correct
        logger.warning("disclosure: the windows catch-up flag could not be cleared", exc_info=True)
    with transaction.atomic():
        taken, ids = [], []
        for pk, record_ids in (PendingWindows.objects.select_for_update(skip_locked=True).order_by("id")
                               .values_list("id", "record_ids")[:ROWS_PER_ROUND]):
            taken.append(pk)
            ids.extend(record_ids)
            if len(ids) >= max_records:
                break
        if not taken:
            return 0, False
        stored = store_created(sorted(set(ids)))
        PendingWindows.objects.filter(pk__in=taken).delete()
    return stored, PendingWindows.objects.exists()


def store_missing(now: datetime) -> dict:
    """The sweep: the pending rows a task did not take (broker down), then the windows still missing for records
    past the watermark (``records.watermark``)."""
    pending = 0
    more = True
    while more:
        done, more = catch_up()
        pending += done
    position = watermark.last(SWEEP_NAME)
    due = Record.objects.filter(pk__gt=position, window__isnull=True)
    stored = in_batches("disclosure.missing_windows", due, services.apply_windows, size=batch_size(10))
    return {"pending": pending, "stored": stored, "watermark": watermark.advance(position, due, now)}


def watermark_now() -> int:
    return watermark.last(SWEEP_NAME)
