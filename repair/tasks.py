"""Repair tasks: thin wrappers over the sweeps and the outbox."""

from __future__ import annotations

from celery import shared_task

from credit_platform.sweeps import run_sweep


@shared_task(name="repair.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> int:
    from repair.sweeps import remind_and_escalate

    return run_sweep("repair_deadlines", remind_and_escalate)


@shared_task(name="repair.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    from repair.sweeps import redeliver_outbox

    return run_sweep("repair_outbox", redeliver_outbox)


@shared_task(name="repair.deliver_outbox", ignore_result=True)
def deliver_outbox(delivery_id: int) -> str:
    """Send one delivery right after the change commits (the sweep retries whatever this misses)."""
    from repair.outbox import deliver

    return deliver(delivery_id)
