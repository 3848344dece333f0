"""Publicity windows and retention on the boundary days ("Tests that hold the statute in place").

``public_until`` is the last day a record is public (Karamay art. 33: at most N from the determination); the next
day the public no longer sees it, and the nightly sweep — which beat runs at 00:20 Asia/Shanghai, when the UTC date
is still the day before — archives it on that Shanghai day, neither a day late nor a day early. ``retain_until`` is
the last day a record is kept (Qufu arts. 35–36); the 00:40 sweep shields it the day after.

The clock is frozen with time-machine and the tests run the Celery tasks themselves (the code path beat runs).
The dates are read from the stored window, so the tests hold whatever period the profile gives.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from disclosure import tasks
from disclosure.models import RecordWindow, WindowState
from disclosure.services import public_records
from records.models import Record
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=SHANGHAI)


@pytest.fixture
def penalty(department, items):
    company = f.SubjectFactory(name="克拉玛依边界测试有限公司")
    with time_machine.travel(local(date(2026, 3, 5), 10), tick=False):
        rec = f.record(company, items[f.PENALTY], department, decided_on=date(2026, 3, 2))
    assert rec.public_until is not None and rec.public_until > date(2026, 3, 2)
    assert RecordWindow.objects.get(pk=rec.pk).state == WindowState.ACTIVE
    return rec


def public_ids(code: str) -> set[int]:
    response = Client().get(f"/api/v1/public/subjects/{code}/")
    if response.status_code == 404:  # no public record left: no public page
        return set()
    assert response.status_code == 200, response.content
    return {r["id"] for r in response.json()["records"]}


def test_public_on_the_last_day_and_not_the_day_after(penalty):
    last = penalty.public_until
    assert public_records(last - timedelta(days=1)).filter(pk=penalty.pk).exists()
    assert public_records(last).filter(pk=penalty.pk).exists()
    assert not public_records(last + timedelta(days=1)).filter(pk=penalty.pk).exists()


@pytest.mark.parametrize("offset, moment, shown", [
    (0, (0, 0, 1), True),
    (0, (23, 59, 59), True),  # the last day, a second before local midnight
    (1, (0, 0, 1), False),  # the next Shanghai day (UTC: still the last day) — even before the sweep ran
    (1, (10, 0, 0), False),
])
def test_public_api_follows_the_shanghai_date(penalty, offset, moment, shown):
    when = local(penalty.public_until + timedelta(days=offset), *moment)
    with time_machine.travel(when, tick=False):
        assert (penalty.pk in public_ids(penalty.subject.code)) is shown


@pytest.mark.parametrize("offset, archived", [
    (-1, False),
    (0, False),  # the last public day: the 00:20 run leaves it
    (1, True),  # the day after, at 00:20 Shanghai = 16:20 UTC of the last public day
    (3, True),  # a sweep missed for days catches up
])
def test_publicity_sweep_archives_on_the_shanghai_day_after_the_last(penalty, offset, archived):
    """Karamay art. 33 / Heilongjiang art. 51: publicity ends when the period ends; the beat time is 00:20 Shanghai."""
    day = penalty.public_until + timedelta(days=offset)
    when = local(day, 0, 20)
    if offset == 1:
        assert when.astimezone(UTC).date() == penalty.public_until
    with time_machine.travel(when, tick=False):
        tasks.end_publicity()
    window = RecordWindow.objects.get(pk=penalty.pk)
    penalty.refresh_from_db()
    if archived:
        assert window.state == WindowState.ARCHIVED and window.archived_on == day
        assert penalty.status == "expired"
    else:
        assert window.state == WindowState.ACTIVE and window.archived_on is None
        assert penalty.status == "active"


@pytest.fixture
def qufu_person_record(settings, department, items):
    """Qufu art. 36: a natural person's dishonesty information is kept 5 years from the end of the act."""
    settings.CREDIT_POLICY = "qufu"
    who = f.person("赵六", date(1980, 1, 1))
    with time_machine.travel(local(date(2024, 2, 5), 10), tick=False):
        rec = f.record(who, items[f.PENALTY], department, decided_on=date(2024, 1, 10), ended_on=date(2024, 2, 1))
    assert rec.retain_until == date(2029, 2, 1)
    return rec


@pytest.mark.parametrize("day, shielded", [
    (date(2029, 1, 31), False),
    (date(2029, 2, 1), False),  # the last day kept
    (date(2029, 2, 2), True),  # 00:40 Shanghai = 16:40 UTC on 1 February
    (date(2029, 2, 5), True),
])
def test_qufu_36_retention_shields_the_day_after_the_last(qufu_person_record, day, shielded):
    with time_machine.travel(local(day, 0, 40), tick=False):
        tasks.end_retention()
    window = RecordWindow.objects.get(pk=qufu_person_record.pk)
    assert (window.state == WindowState.SHIELDED) is shielded
    assert (Record.objects.get(pk=qufu_person_record.pk).status == "shielded") is shielded
    if shielded:
        assert window.shielded_on == day
