"""Celery tasks of the records app: thin wrappers that run a sweep and record the run."""

from __future__ import annotations

from celery import shared_task

from credit_platform.sweeps import run_sweep
from records.outbox import deliver
from records.provincial import sweep


@shared_task(name="records.forward_provincial", ignore_result=True, acks_late=True)
def forward_provincial() -> int:
    """Heilongjiang art. 22 para. 2: send due deliveries to the provincial platform and flag overdue ones."""

    return run_sweep("records_provincial", sweep)


@shared_task(name="repair.deliver_outbox", ignore_result=True)
def deliver_outbox(delivery_id: int) -> str:
    """Send one outbox delivery right after the change commits (the ``repair_outbox`` sweep retries whatever this
    misses). The task keeps the name it had in the repair app, so messages already queued still find it."""
    return deliver(delivery_id)
