"""A watermark over record ids, for sweeps that must look at every new record once without reading the whole table
each run (the windows a push left to the worker, repair notices).

A run acts on the records past the watermark, then moves it up to the newest record old enough that the push which
wrote it has certainly committed (``SETTLE``: a push still open may commit records with smaller ids later) — but
never past a record the run should have acted on and did not (another worker held it, then rolled back): the next
run starts there again. The position is kept in the run's own ``SweepRun.detail`` (as text: ``run_sweep`` adds
the integers of ``detail`` into the count of rows acted on).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet

from credit_platform.models import SweepRun
from records.models import Record

SETTLE = timedelta(minutes=10)


def last(sweep_name: str, key: str = "watermark") -> int:
    """The position the last successful run of ``sweep_name`` left (0 before the first)."""
    detail = (
        SweepRun.objects.filter(name=sweep_name, error="", finished_at__isnull=False)
        .order_by("-id").values_list("detail", flat=True).first()
    )
    return int((detail or {}).get(key) or 0)


def advance(watermark: int, still_due: QuerySet, now: datetime) -> str:
    """The next position, as text for ``detail``. ``still_due``: the records the run was to act on (past
    ``watermark``), evaluated after the run."""
    settled = (
        Record.objects.filter(pk__gt=watermark, received_at__lt=now - SETTLE).order_by("-pk")
        .values_list("pk", flat=True).first()
    ) or watermark
    first_missed = still_due.filter(pk__lte=settled).order_by("pk").values_list("pk", flat=True).first()
    return str(max(watermark, first_missed - 1 if first_missed else settled))
