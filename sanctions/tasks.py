"""Celery tasks: thin wrappers that run a sweep and record the run."""

from __future__ import annotations

from celery import shared_task

from credit_platform.sweeps import run_sweep
from sanctions.services import on_records_changed
from sanctions.sweeps import SWEEPS


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
    """Red-list removal, listings whose basis was revoked, and evaluations for records a push changed.
    Sent by the push after commit; the ``record_changes`` watermark sweep catches up if the broker was down."""
    return on_records_changed(record_ids)


@shared_task(name="sanctions.implementation", ignore_result=True)
def implementation() -> int:
    return _run("sanctions_implementation")
