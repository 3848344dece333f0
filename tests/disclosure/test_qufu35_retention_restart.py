"""Qufu art. 35: "自移出名单之日起保存10年 … 10年内再次发生失信行为的，该条信息的保存期限重新计算".

A new dishonesty act restarts the retention only when it HAPPENS after the removal (and within the retention);
an act dated on or before the removal, or a late push of an old act, never resets it, and a restart never shortens
what is already running."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from disclosure.models import RecordWindow
from disclosure.services import severe_list_removed
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db

REMOVED = date(2026, 6, 1)
RETAIN = date(2036, 6, 1)


@pytest.fixture
def listed(settings, department, items):
    settings.CREDIT_POLICY = "qufu"
    settings.CREDIT_POLICY_ALLOW_LAPSED = True
    company = f.SubjectFactory()
    severe = f.record(company, items[f.PENALTY], department, severity="severe", decided_on=date(2025, 1, 10),
                      occurred_on=date(2024, 12, 1))
    severe_list_removed([severe.pk], REMOVED)
    severe.refresh_from_db()
    assert severe.retain_until == RETAIN
    assert RecordWindow.objects.get(pk=severe.pk).list_removed_on == REMOVED
    return company, severe


def _new_act(company, items, department, occurred_on, decided_on=None):
    return f.record(company, items[f.PENALTY], department, occurred_on=occurred_on, decided_on=decided_on or occurred_on)


def _retain(severe):
    severe.refresh_from_db()
    assert RecordWindow.objects.get(pk=severe.pk).retain_until == severe.retain_until
    return severe.retain_until


@pytest.mark.parametrize(("acted_on", "expected"), [
    (date(2026, 5, 31), RETAIN),  # the day before the removal: not a NEW act after it
    (date(2026, 6, 1), RETAIN),  # the removal day itself
    (date(2026, 6, 2), date(2036, 6, 2)),  # the day after: restarts from the act
])
def test_qufu_art35_only_an_act_after_removal_restarts(listed, items, department, acted_on, expected):
    company, severe = listed
    _new_act(company, items, department, acted_on, decided_on=date(2026, 9, 1))
    assert _retain(severe) == expected


@pytest.mark.parametrize(("acted_on", "expected"), [
    (date(2036, 5, 31), date(2046, 5, 31)),
    (date(2036, 6, 1), date(2046, 6, 1)),  # the last day of the retention is still "10年内"
    (date(2036, 6, 2), RETAIN),  # after the retention ended: nothing to restart
])
def test_qufu_art35_restart_only_within_the_ten_years(listed, items, department, acted_on, expected):
    company, severe = listed
    with time_machine.travel(datetime(2036, 7, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        _new_act(company, items, department, acted_on)
    assert _retain(severe) == expected


def test_qufu_art35_late_push_of_a_2015_act_neither_resets_nor_shields(listed, items, department):
    company, severe = listed
    with time_machine.travel(datetime(2026, 12, 7, 0, 20, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        _new_act(company, items, department, date(2015, 3, 1), decided_on=date(2015, 5, 1))
        assert _retain(severe) == RETAIN  # not 2025-03-01, which the sweep would shield at once
        call_command("run_disclosure_sweeps", as_of="2026-12-07")
    assert RecordWindow.objects.get(pk=severe.pk).state == "archived"  # publicity stopped, still retained


def test_qufu_art35_a_restart_never_shortens_the_retention(listed, items, department):
    company, severe = listed
    _new_act(company, items, department, date(2027, 1, 1))
    assert _retain(severe) == date(2037, 1, 1)
    _new_act(company, items, department, date(2026, 12, 1))  # after the removal, but earlier than the last restart
    assert _retain(severe) == date(2037, 1, 1)


def test_karamay_has_no_restart(settings, department, items):
    settings.CREDIT_POLICY = "karamay"
    company = f.SubjectFactory()
    severe = f.record(company, items[f.PENALTY], department, severity="severe", decided_on=date(2025, 1, 10))
    severe_list_removed([severe.pk], REMOVED)
    severe.refresh_from_db()
    before = severe.retain_until
    _new_act(company, items, department, date(2026, 7, 1))
    severe.refresh_from_db()
    assert severe.retain_until == before


def _reset(severe):
    from records.models import Record

    Record.objects.filter(pk=severe.pk).update(retain_until=RETAIN)
    RecordWindow.objects.filter(pk=severe.pk).update(retain_until=RETAIN)


def test_qufu_art35_many_new_acts_in_one_batch_restart_in_order_with_one_read(listed, items, department):
    """The set-based restart (one read for the whole batch) gives what the acts applied one after the other give,
    and its queries do not grow with the number of new records."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from disclosure.services import apply_windows

    company, severe = listed
    other = f.SubjectFactory()  # a subject with no listing: its acts restart nothing
    acts = [_new_act(company, items, department, day) for day in (date(2027, 1, 1), date(2026, 12, 1),
                                                                  date(2027, 3, 1), date(2026, 5, 1))]
    one_after_the_other = _retain(severe)
    assert one_after_the_other == date(2037, 3, 1)

    def batch(records) -> int:
        _reset(severe)
        RecordWindow.objects.filter(pk__in=[r.pk for r in records]).delete()
        with CaptureQueriesContext(connection) as ctx:
            apply_windows([r.pk for r in records])
        return len(ctx.captured_queries)

    few = batch(acts)
    assert _retain(severe) == one_after_the_other
    many = batch(acts + [_new_act(other, items, department, date(2026, 7, d)) for d in range(1, 26)])
    assert _retain(severe) == one_after_the_other
    assert many == few
