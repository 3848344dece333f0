"""Run callables at the same moment in threads, each with its own database connection (PostgreSQL tests of
concurrent workers and requests)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def run_at_once(*calls: Callable[[], object], timeout: float = 120) -> list:
    """Start every call together (a barrier), wait for all, return their results in order; re-raise the first
    error a thread met."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(n: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[n] = call()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    if errors:
        raise errors[0]
    return results
