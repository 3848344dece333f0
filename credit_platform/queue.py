"""Sending a task from a request without depending on the broker.

The database is the clock (DESIGN.md principle 2): every task a request sends is an optimisation — the
nightly or periodic sweep would do the same work from the rows. So a broker outage must never fail the
request: ``enqueue`` sends after the transaction commits, with a short retry budget, and only logs when the
broker is down.
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

# One quick retry: a request must not hang on a dead broker; the sweep catches up.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def send_now(task, args: tuple = (), kwargs: dict | None = None, **options) -> bool:
    """Publish now; ``options`` go to ``apply_async`` (queue, countdown …). False if the broker is down."""
    try:
        task.apply_async(args=args, kwargs=kwargs or {}, retry=True, retry_policy=PUBLISH_RETRY_POLICY, **options)
        return True
    except Exception as exc:  # kombu raises OperationalError and friends when the broker is unreachable
        logger.warning("broker unavailable, %s left for the sweep: %s", getattr(task, "name", task), exc.__class__.__name__)
        return False


def enqueue(task, args: tuple = (), kwargs: dict | None = None, **options) -> None:
    """Send ``task`` after the current transaction commits; never raise if the broker is down."""
    transaction.on_commit(lambda: send_now(task, args, kwargs, **options))
