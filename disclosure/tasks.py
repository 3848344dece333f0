"""Celery tasks: thin wrappers around disclosure.sweeps (run daily by beat; also `manage.py run_disclosure_sweeps`)."""

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
