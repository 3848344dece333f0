"""Celery tasks of the records app: thin wrappers that run a sweep and record the run."""

from __future__ import annotations

from celery import shared_task

from credit_platform.sweeps import run_sweep
from records.provincial import sweep


@shared_task(name="records.forward_provincial", ignore_result=True, acks_late=True)
def forward_provincial() -> int:
    """Heilongjiang art. 22 para. 2: send due deliveries to the provincial platform and flag overdue ones."""

    return run_sweep("records_provincial", sweep)
