"""Celery tasks: thin wrappers that run a sweep and record the run."""

from __future__ import annotations

from celery import shared_task

from credit_platform.queue import send_now
from credit_platform.sweeps import run_sweep
from sanctions.services import on_records_changed
from sanctions.sweeps import SWEEPS, catch_up


def _run(name: str) -> int:
    return run_sweep(name, SWEEPS[name])


@shared_task(name="sanctions.severe_list_terms", ignore_result=True)
def severe_list_terms() -> int:
    return _run("sanctions_severe_list_terms")


@shared_task(name="sanctions.red_list_terms", ignore_result=True)
def red_list_terms() -> int:
    return _run("sanctions_red_list_terms")


@shared_task(name="sanctions.publicity", ignore_result=True)
def publicity() -> int:
    return _run("sanctions_publicity")


@shared_task(name="sanctions.commitments", ignore_result=True)
def commitments() -> int:
    return _run("sanctions_commitments")


@shared_task(name="sanctions.evaluations", ignore_result=True)
def evaluations() -> int:
    return _run("sanctions_evaluations")


@shared_task(name="sanctions.record_changes", ignore_result=True)
def record_changes() -> int:
    return _run("sanctions_record_changes")


@shared_task(name="sanctions.on_records_changed", ignore_result=True, acks_late=True)
def records_changed(record_ids: list[int]) -> int:
    """Red-list removal, listings whose basis was revoked, and evaluations for the records named. Pushes no longer
    send it (they send ``sanctions.catch_up_record_changes``, coalesced); kept for messages already queued."""
    return on_records_changed(record_ids)


#: history batches one catch-up task handles before it sends itself again behind the tasks queued meanwhile (the
#: pushes' publicity windows): one long catch-up would hold the only worker while windows wait
CATCH_UP_BATCHES = 1


@shared_task(name="sanctions.catch_up_record_changes", ignore_result=True, acks_late=True)
def catch_up_record_changes() -> int:
    """What pushes send, at most once per ``SANCTIONS_RECORD_CHANGES_COALESCE_SECONDS`` (``sweeps.catch_up``): react
    to every record change past the history watermark in a set-based batch, and send itself again while a backlog
    remains (behind the work queued meanwhile), so derived work keeps pace with continuous ingestion with one worker."""
    touched, more = catch_up(max_batches=CATCH_UP_BATCHES)
    if more:
        send_now(catch_up_record_changes)
    return touched


@shared_task(name="sanctions.implementation", ignore_result=True)
def implementation() -> int:
    return _run("sanctions_implementation")
