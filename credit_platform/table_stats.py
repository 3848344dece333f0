"""Plans that survive bulk loads: refresh the planner's statistics of the tables a bulk write loaded.

Right after a large load PostgreSQL plans from statistics of a table a fraction of its size, and a page that takes
milliseconds takes seconds until ``ANALYZE`` (bench/README.md has the measurement). Autovacuum analyses a table once about 10 %
of it has changed, but a first migration load or a nightly bulk push hits those plans before it runs.

So the bulk writers report how many rows they wrote (``rows_written``). The counts add up per table in the shared
cache — across pushes, processes and workers, so many small pushes coalesce into one refresh and a single small one
never causes one — and once a table's count since its last refresh reaches ``STATS_REFRESH_AFTER_ROWS``
(default 100,000; 0 switches this off), ``ANALYZE <table>`` runs right after the write commits, once: a lock in the
cache keeps two processes from analysing the same table at the same time. ANALYZE reads a fixed sample (300 ×
``default_statistics_target`` rows), so its cost hardly grows with the table (``records_record`` at 2,000,000 rows:
4.4 s on this machine under load average 15; the push that crosses the threshold answers after it).

Nothing to do on other databases (SQLite in development and tests). A cache or database error here is logged and
never fails the write that has already committed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

log = logging.getLogger(__name__)

COUNT_KEY = "table-stats:rows:{}"
LOCK_KEY = "table-stats:analyzing:{}"
LOCK_SECONDS = 600


def threshold() -> int:
    return max(int(settings.STATS_REFRESH_AFTER_ROWS), 0)


def rows_written(models: Iterable, rows: int) -> None:
    """``rows`` rows were written to each of ``models``' tables in the current transaction."""
    if rows <= 0 or threshold() <= 0 or connection.vendor != "postgresql":
        return
    due = []
    try:
        for model in models:
            table = model._meta.db_table
            key = COUNT_KEY.format(table)
            cache.add(key, 0, None)
            if cache.incr(key, rows) >= threshold():
                due.append(table)
    except Exception as exc:  # noqa: BLE001 - redis.ConnectionError, OSError …: autovacuum still analyses in its own time
        log.warning("table statistics counter unavailable (%s): %d rows not counted", exc.__class__.__name__, rows)
        return
    if due:
        transaction.on_commit(lambda: refresh(due))


def refresh(tables: list[str]) -> list[str]:
    """ANALYZE each table no other process is analysing now; returns the tables analysed."""
    done = []
    for table in tables:
        lock = LOCK_KEY.format(table)
        try:
            if not cache.add(lock, 1, LOCK_SECONDS):
                continue  # another process is analysing it: its sample already holds these rows or the next will
            try:
                cache.set(COUNT_KEY.format(table), 0, None)
                with connection.cursor() as cursor:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
                done.append(table)
            finally:
                cache.delete(lock)
        except Exception as exc:  # noqa: BLE001 - the write has committed: a failed refresh is left to autovacuum, never a 500
            log.warning("ANALYZE %s failed (%s): left to autovacuum", table, exc.__class__.__name__)
    if done:
        log.info("statistics refreshed after a bulk load: %s", ", ".join(done))
    return done
