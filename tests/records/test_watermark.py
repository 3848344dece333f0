"""The record watermark (records.watermark): a sweep sees every new record once, never skips one it missed, and
never moves past records whose push may still be open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from records import watermark
from records.models import Record
from tests.credit_platform.factories import SweepRunFactory
from tests.records.factories import RecordFactory

pytestmark = pytest.mark.django_db


def test_last_is_the_position_of_the_latest_successful_run():
    assert watermark.last("windows_backlog") == 0
    SweepRunFactory(name="windows_backlog", detail={"watermark": "40"})
    SweepRunFactory(name="windows_backlog", detail={"watermark": "90"}, error="OperationalError")  # failed run
    SweepRunFactory(name="other_sweep", detail={"watermark": "500"})
    assert watermark.last("windows_backlog") == 40


def test_advance_stops_before_unsettled_and_missed_records():
    now = timezone.now()
    old = [RecordFactory(received_at=now - timedelta(hours=1)) for _ in range(3)]
    fresh = RecordFactory(received_at=now - timedelta(minutes=1))  # its push may still be open
    start = old[0].pk - 1
    nothing_due = Record.objects.none()
    assert watermark.advance(start, nothing_due, now) == str(old[-1].pk)  # not past the fresh record
    assert int(watermark.advance(start, nothing_due, now)) < fresh.pk
    missed = Record.objects.filter(pk=old[1].pk)  # the run should have acted on it and did not
    assert watermark.advance(start, missed, now) == str(old[0].pk)
