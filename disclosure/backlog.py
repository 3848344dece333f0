"""Windows of records created by a bulk push: computed by the worker right after the push commits.

Why not in the push's transaction: storing a window costs CPU per record (the rules of ``disclosure.windows`` in
Python, plus the write), a large share of what the whole validated ingestion of a record costs; inside a large push
it kept the batch API well below the ingestion rate the platform must take (bench/README.md). So:

* a write of up to ``DISCLOSURE_INLINE_WINDOWS_MAX`` records (a single push, a correction, a revocation, a small
  batch), and **every change to an existing record** whatever the batch size, recompute the window in the same
  transaction — a record whose facts change never shows under its old window;
* the records a larger batch *creates* go to the ``disclosure.apply_windows`` task after commit
  (``disclosure.tasks.defer_windows``). Until their window is stored they are not on the portal (public means a
  stored, published window: ``public_records``), so the delay can only hold publication back by seconds, never
  publish anything early;
* with the broker down the ``disclosure_missing_windows`` sweep (every minute) stores what the task did not:
  it walks the records past a watermark and computes the windows that are missing. Idempotent: computing a window
  twice stores the same row.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from credit_platform.sweeps import batch_size, in_batches
from disclosure import services, window_store
from records import watermark
from records.models import Record

SWEEP_NAME = "disclosure_missing_windows"
TASK_CHUNK = 5000


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


def store_missing(now: datetime) -> dict:
    """The sweep: store the windows missing for records past the watermark (``records.watermark``)."""
    position = watermark.last(SWEEP_NAME)
    due = Record.objects.filter(pk__gt=position, window__isnull=True)
    stored = in_batches("disclosure.missing_windows", due, services.apply_windows, size=batch_size(10))
    return {"stored": stored, "watermark": watermark.advance(position, due, now)}


def watermark_now() -> int:
    return watermark.last(SWEEP_NAME)
