"""Celery tasks: thin wrappers that run the sweeps through ``run_sweep`` (logged as SweepRun rows).

No countdown or ETA task is ever scheduled for a due date: beat runs these sweeps, which read the
stored due dates, so a flushed or unavailable broker delays nothing beyond the next run.
"""

from __future__ import annotations

from celery import shared_task

from credit_platform.sweeps import run_sweep
from objections import sweeps


@shared_task(name="objections.sweep_marks", ignore_result=True)
def sweep_marks() -> int:
    return run_sweep("objections_marks", sweeps.sweep_marks)


@shared_task(name="objections.sweep_escalations", ignore_result=True)
def sweep_escalations() -> int:
    return run_sweep("objections_escalations", sweeps.sweep_escalations)


@shared_task(name="objections.sweep_reminders", ignore_result=True)
def sweep_reminders() -> int:
    return run_sweep("objections_reminders", sweeps.sweep_reminders)
