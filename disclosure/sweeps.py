"""Daily disclosure sweeps (DESIGN.md principle 2: the database is the clock).

* ``end_publicity`` — every window whose last day has passed is archived: the record is no longer disclosed and
  is never published again (Karamay art. 33, Heilongjiang art. 51); repaired records are archived too.
* ``end_retention`` — every record whose retention has run out is shielded (Qufu arts. 35–36).

Both are set-based and idempotent: each batch of due windows is claimed with ``SELECT … FOR UPDATE SKIP LOCKED``
(``credit_platform.sweeps.in_batches``, ``SWEEP_BATCH_SIZE`` × 10 rows) and updated with its records and their
history rows in one transaction, so two workers never act on the same record and a killed worker leaves whole
batches. A run missed for days finds everything overdue since and acts on it once; a second run the same day
finds nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Min
from django.utils import timezone

from credit_platform.sweeps import batch_size, in_batches, run_sweep
from credit_platform.workdays import local_date
from disclosure import backlog, public_cache
from disclosure.models import RecordWindow, WindowState
from records.services import status as record_status

#: Set-based updates are cheap per row: a disclosure batch is this many times ``SWEEP_BATCH_SIZE``.
BATCH_SCALE = 10


def end_publicity(now: datetime) -> dict:
    day: date = local_date(now)
    counts = {"archived": 0, "expired": 0}
    # Two selections, each served by an index, so a night with nothing due costs index probes, not a pass over the
    # millions of windows still running (bench/EXPLAIN.md):
    # * windows whose last day has passed, in the range [earliest active end, today) of the partial index
    #   ``disc_window_due_idx``. The range starts at the earliest end date still active (one probe of that index):
    #   the planner's statistics cover every window, most of those that ended long ago archived, so for
    #   "``public_until < today`` among active windows" it expected millions of rows and walked all active windows
    #   in key order (7 s with nothing due at 10,000,000 records); between the earliest active end and today it
    #   expects the few days' rows there are;
    # * repaired records (their window already ends on the repair day, disclosure.services.end_publicity, which may
    #   be today), found through the partial index of repaired records (``record_repaired_idx``): a condition on
    #   the record ORed with the window's date made every batch join all active windows with their records.
    first = _earliest_active_end()
    if first is None or first > day:
        return counts

    def archive(chunk: list[int]) -> None:
        # compare-and-swap as well as the row lock: only rows still active are archived
        counts["archived"] += RecordWindow.objects.filter(record_id__in=chunk, state=WindowState.ACTIVE).update(
            state=WindowState.ARCHIVED, archived_on=day
        )
        counts["expired"] += len(record_status.set_lifecycle_status(
            chunk, record_status.EXPIRED, reason="公示（披露）期限届满，停止公示，转为档案保存", now=now))
        public_cache.records_changed(chunk)

    active = RecordWindow.objects.filter(state=WindowState.ACTIVE, public_until__gte=first)
    size = batch_size(BATCH_SCALE)
    in_batches("disclosure.end_publicity", active.filter(public_until__lt=day), archive, key="record_id", size=size)
    in_batches("disclosure.end_publicity_repaired", active.filter(public_until__lte=day, record__status="repaired"),
               archive, key="record_id", size=size)
    return counts


def _earliest_active_end() -> date | None:
    return RecordWindow.objects.filter(state=WindowState.ACTIVE).aggregate(first=Min("public_until"))["first"]


def end_retention(now: datetime) -> dict:
    day: date = local_date(now)
    due = RecordWindow.objects.filter(state__in=(WindowState.ACTIVE, WindowState.ARCHIVED), retain_until__lt=day)
    shielded = 0

    def shield(chunk: list[int]) -> None:
        nonlocal shielded
        shielded += RecordWindow.objects.filter(
            record_id__in=chunk, state__in=(WindowState.ACTIVE, WindowState.ARCHIVED)
        ).update(state=WindowState.SHIELDED, shielded_on=day, archived_on=day)
        record_status.set_lifecycle_status(chunk, record_status.SHIELDED, reason="保存期限届满，予以屏蔽", now=now)
        public_cache.records_changed(chunk)

    in_batches("disclosure.end_retention", due, shield, key="record_id", size=batch_size(BATCH_SCALE))
    return {"shielded": shielded}


def run_all(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    return {
        # first: a record whose window the worker never stored gets it before the ends are applied
        backlog.SWEEP_NAME: run_sweep(backlog.SWEEP_NAME, backlog.store_missing, now),
        "disclosure_end_publicity": run_sweep("disclosure_end_publicity", end_publicity, now),
        "disclosure_end_retention": run_sweep("disclosure_end_retention", end_retention, now),
    }
