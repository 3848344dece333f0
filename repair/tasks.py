"""Repair tasks: thin wrappers over the sweeps (one outbox delivery is ``records.tasks.deliver_outbox``)."""

from __future__ import annotations

from celery import shared_task

from credit_platform.sweeps import run_sweep
from repair.sweeps import redeliver_outbox, remind_and_escalate


@shared_task(name="repair.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> int:
    return run_sweep("repair_deadlines", remind_and_escalate)


@shared_task(name="repair.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    return run_sweep("repair_outbox", redeliver_outbox)
