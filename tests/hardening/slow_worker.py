"""The platform's Celery app with every sweep batch held open for ``SWEEP_TEST_BATCH_DELAY`` seconds before it
commits: a worker started with ``-A tests.hardening.slow_worker`` is slow enough to be killed mid-sweep
(tests/hardening/test_worker_killed_mid_sweep.py). Nothing else differs from ``-A config``."""

from __future__ import annotations

import os
import time

import django

from config.celery import app

django.setup()

from credit_platform.sweeps import batch_claimed  # noqa: E402 - needs the app registry

DELAY = float(os.environ.get("SWEEP_TEST_BATCH_DELAY", "0"))


def _hold_batch(sender, ids, **kwargs):
    time.sleep(DELAY)


batch_claimed.connect(_hold_batch, weak=False, dispatch_uid="slow-worker")

__all__ = ["app"]
