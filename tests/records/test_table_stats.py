"""Plans survive bulk loads: once the rows pushed since the last refresh reach STATS_REFRESH_AFTER_ROWS,
the push refreshes the statistics of the tables it loaded (ANALYZE, after commit); smaller pushes do not."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from tests.records import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE is PostgreSQL's; a no-op elsewhere"),
]
TABLES = ("records_record", "records_historicalrecord", "records_subject", "disclosure_recordwindow")


@pytest.fixture(autouse=True)
def _while_the_penalties_are_public():
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


def _last_analyze() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT relname, last_analyze FROM pg_stat_user_tables WHERE relname = ANY(%s)", [list(TABLES)])
        return dict(cursor.fetchall())


def test_small_pushes_leave_the_statistics_to_autovacuum_until_they_add_up(push, settings):
    settings.STATS_REFRESH_AFTER_ROWS = 5
    settings.DISCLOSURE_INLINE_WINDOWS_MAX = 10  # the windows are stored in the push too
    before = _last_analyze()
    push(*[f.penalty() for _ in range(3)])
    assert _last_analyze() == before  # 3 rows: below the threshold
    push(*[f.penalty() for _ in range(3)])  # 6 since the last refresh: the tables it loaded are analysed
    after = _last_analyze()
    for table in TABLES:
        assert after[table] is not None and after[table] != before.get(table), table
    push(*[f.penalty() for _ in range(3)])  # the count started again from zero
    assert _last_analyze() == after


def test_one_large_push_refreshes_at_once(push, settings):
    settings.STATS_REFRESH_AFTER_ROWS = 4
    before = _last_analyze()
    push(*[f.penalty() for _ in range(4)])
    after = _last_analyze()
    assert after["records_record"] is not None and after["records_record"] != before.get("records_record")


def test_switched_off_with_zero(push, settings):
    settings.STATS_REFRESH_AFTER_ROWS = 0
    before = _last_analyze()
    push(*[f.penalty() for _ in range(6)])
    assert _last_analyze() == before
