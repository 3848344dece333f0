"""Platform tasks. Tasks are thin: they call services and record the run."""

from __future__ import annotations

import socket
from datetime import datetime

from celery import shared_task
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from credit_platform.models import SweepRun, WorkerHeartbeat
from credit_platform.sweeps import in_batches, run_sweep


@shared_task(name="credit_platform.heartbeat", ignore_result=True)
def heartbeat(sent_at: str | None = None, worker: str | None = None) -> int:
    """Prove a message went through the broker and the worker can write to the database."""
    sent = parse_datetime(sent_at) if sent_at else timezone.now()
    row = WorkerHeartbeat.objects.create(worker=worker or socket.gethostname(), sent_at=sent or timezone.now())
    # Keep the table small: a day of minutely beats is plenty for diagnosis.
    stale = timezone.now() - timezone.timedelta(days=1)
    WorkerHeartbeat.objects.filter(received_at__lt=stale).delete()
    return row.pk


@shared_task(name="credit_platform.prune_sweep_runs", ignore_result=True)
def prune_sweep_runs() -> int:
    def prune(now: datetime) -> int:
        deleted = 0

        def delete(ids: list[int]) -> None:
            nonlocal deleted
            deleted += SweepRun.objects.filter(pk__in=ids).delete()[0]

        old = SweepRun.objects.filter(started_at__lt=now - timezone.timedelta(days=400))
        in_batches("credit_platform.prune_sweep_runs", old, delete)
        return deleted

    return run_sweep("prune_sweep_runs", prune)
