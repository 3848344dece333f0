"""Running a statutory sweep: one place that times it, records it and keeps a failure visible — and one
place that claims the rows it acts on, so several workers can sweep at once.

A sweep is a function ``(now) -> int | dict`` that acts on every overdue row and returns how many rows it
changed (or a dict of counts). It must be idempotent: the database is the clock (DESIGN.md principle 2), so a
sweep missed for days simply finds more overdue rows on its next run.

Claiming (:func:`in_batches`): the due rows are taken a batch at a time with
``SELECT … FOR UPDATE SKIP LOCKED`` (ordered by key, ``SWEEP_BATCH_SIZE`` rows), acted on — the state change
and its side rows (events, notifications, outbox entries, history) — and committed, in one transaction per
batch. A second worker running the same sweep skips the rows the first holds and takes the next ones, so every
due row is acted on by exactly one worker; a worker killed mid-sweep leaves whole batches done and the rest
untouched, and the redelivered task (``acks_late``) picks up where it stopped. The compare-and-swap updates in
the services stay as a second line of defence (and are what protects SQLite, which has no row locks).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.dispatch import Signal
from django.utils import timezone

from credit_platform.models import SweepRun

logger = logging.getLogger(__name__)

#: Sent inside each batch's transaction once the batch has been acted on, just before it commits:
#: ``sender`` is the batch's label (e.g. ``"objections.marks"``), ``ids`` the keys claimed. For monitoring
#: and for the tests that prove two workers never claim the same row.
batch_claimed = Signal()


def batch_size(scale: int = 1) -> int:
    """Rows claimed per transaction (``SWEEP_BATCH_SIZE``; set-based sweeps pass ``scale`` for larger batches)."""
    return max(1, int(settings.SWEEP_BATCH_SIZE) * scale)


def in_batches(label: str, due: QuerySet, act: Callable[[list], object], *, key: str = "pk",
               size: int | None = None) -> int:
    """Claim the rows of ``due`` batch by batch and call ``act(keys)`` on each batch inside its transaction.

    ``due`` selects the rows to act on (joins are fine: only the model's own rows are locked). Rows locked by
    another worker are skipped — that worker acts on them. The key cursor moves forward after every batch, so
    a row ``act`` leaves due (e.g. a reminder that was already sent) is not taken again by this run, and the
    loop always ends. Returns the number of rows acted on.

    Claimed rows are checked again once locked (:func:`_still_due`): the claiming statement reads a snapshot taken
    when it started, and a worker that acted on a row and committed while that statement ran has released the
    lock by the time this one reaches the row — PostgreSQL re-reads a locked row's own columns, not the rows a
    join reads (a window stored for a record, a status on a parent), so without the check both workers act.
    """
    size = size or batch_size()
    claimed, last = 0, None
    while True:
        with transaction.atomic():
            qs = due if last is None else due.filter(**{f"{key}__gt": last})
            locked = list(
                qs.select_for_update(skip_locked=True, of=("self",)).order_by(key).values_list(key, flat=True)[:size]
            )
            if not locked:
                return claimed
            keys = _still_due(due, key, locked)
            if keys:
                act(keys)
                batch_claimed.send(sender=label, ids=keys)
        claimed += len(keys)
        last = locked[-1]


def _still_due(due: QuerySet, key: str, locked: list) -> list:
    """The ``locked`` keys ``due`` still selects, read by a new statement (under READ COMMITTED a new snapshot,
    which sees every commit made before the locks were taken), in the claimed order."""
    if connection.vendor != "postgresql":  # one writer at a time: nothing can have changed since the claim
        return locked
    current = set(due.filter(**{f"{key}__in": locked}).values_list(key, flat=True))
    return [k for k in locked if k in current]


def each_in_batches(label: str, due: QuerySet, act_one: Callable[[object], object], *, key: str = "pk",
                    size: int | None = None) -> int:
    """:func:`in_batches` for sweeps that act row by row: ``act_one(key)`` for each claimed row; returns how
    many calls returned a truthy value (an int result is added: e.g. "escalated 1")."""
    acted = 0

    def act(keys: Sequence) -> None:
        nonlocal acted
        for k in keys:
            result = act_one(k)
            acted += int(result) if isinstance(result, bool | int) else bool(result)

    in_batches(label, due, act, key=key, size=size)
    return acted


def run_sweep(name: str, sweep: Callable[[datetime], int | dict], now: datetime | None = None) -> int:
    now = now or timezone.now()
    run = SweepRun.objects.create(name=name, started_at=timezone.now())
    try:
        result = sweep(now)
    except Exception as exc:
        run.error = f"{exc.__class__.__name__}: {exc}"
        run.finished_at = timezone.now()
        run.save(update_fields=["error", "finished_at"])
        logger.exception("sweep %s failed", name)
        raise
    detail = result if isinstance(result, dict) else {}
    acted = sum(v for v in detail.values() if isinstance(v, int)) if detail else int(result or 0)
    run.acted, run.detail, run.finished_at = acted, detail, timezone.now()
    run.save(update_fields=["acted", "detail", "finished_at"])
    return acted
