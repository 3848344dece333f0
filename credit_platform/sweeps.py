"""Running a statutory sweep: one place that times it, records it and keeps a failure visible.

A sweep is a function ``(now) -> int`` that acts on every overdue row with set-based queries and
returns how many rows it changed. It must be idempotent: the database is the clock (DESIGN.md
principle 2), so a sweep missed for days simply finds more overdue rows on its next run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from credit_platform.models import SweepRun

logger = logging.getLogger(__name__)


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
