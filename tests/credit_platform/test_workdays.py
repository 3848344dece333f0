"""Chinese working days (DESIGN.md principle 3), pinned against the real 2026 schedule in chinesecalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone as dt_timezone

import chinese_calendar
import pytest

from credit_platform import deadlines, workdays
from credit_platform.models import CalendarDay, CalendarYear
from credit_platform.workdays import (
    DueDate,
    add_working_days,
    coverage_warning,
    covered_until,
    is_working_day,
    local_date,
    working_days_between,
)
from tests.credit_platform.factories import CalendarDayFactory

pytestmark = pytest.mark.django_db

BEIJING = dt_timezone(timedelta(hours=8))


@pytest.fixture(autouse=True)
def seeded(db):
    """The data migration has seeded the test database; seeding again is a no-op (and covers --no-migrations)."""
    workdays.seed_calendar()
    workdays.invalidate_cache()
    yield
    workdays.invalidate_cache()


@pytest.fixture
def hook_calls():
    calls: list[int] = []

    def hook(year: int) -> None:
        calls.append(year)

    deadlines.register_deadline("tests.HookProbe", "due", "due_provisional", hook)
    yield calls
    deadlines.unregister_deadline("tests.HookProbe", "due")


# --- the 2026 schedule as chinesecalendar has it (checked against the package, not memory) ------------------


def test_pinned_dates_are_what_chinesecalendar_says():
    assert chinese_calendar.is_holiday(date(2026, 10, 1)) and chinese_calendar.is_holiday(date(2026, 10, 7))
    assert chinese_calendar.is_workday(date(2026, 10, 10))  # Saturday 调休
    assert chinese_calendar.is_workday(date(2026, 9, 20))  # Sunday 调休
    assert chinese_calendar.is_workday(date(2026, 2, 14)) and chinese_calendar.is_workday(date(2026, 2, 28))
    assert all(chinese_calendar.is_holiday(date(2026, 2, d)) for d in range(15, 24))
    assert chinese_calendar.is_holiday(date(2026, 1, 1)) and chinese_calendar.is_workday(date(2026, 12, 31))


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2026, 9, 30), 2, date(2026, 10, 9)),
        (date(2026, 9, 30), 7, date(2026, 10, 15)),  # Saturday 10-10 is a working day
        (date(2026, 9, 30), 15, date(2026, 10, 27)),
        (date(2026, 2, 13), 2, date(2026, 2, 24)),  # Saturday 02-14 works, 02-15..23 off
        (date(2026, 2, 13), 7, date(2026, 3, 2)),  # Saturday 02-28 works
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # Sunday 09-20 is an adjusted working day
        (date(2026, 10, 3), 2, date(2026, 10, 9)),  # received on a holiday: counting starts 10-08
        (date(2026, 11, 23), 2, date(2026, 11, 25)),  # received Monday → due Wednesday
        (date(2026, 12, 28), 2, date(2026, 12, 30)),
    ],
)
def test_add_working_days_2026(start, n, due):
    assert add_working_days(start, n) == DueDate(date=due, provisional=False)


def test_receipt_at_half_past_midnight_beijing_is_that_beijing_day():
    received = datetime(2026, 11, 24, 0, 30, tzinfo=BEIJING)
    assert received.astimezone(UTC).date() == date(2026, 11, 23)
    assert local_date(received) == date(2026, 11, 24)
    assert add_working_days(received, 2) == DueDate(date(2026, 11, 26), provisional=False)


def test_local_date():
    assert local_date(date(2026, 10, 1)) == date(2026, 10, 1)
    assert local_date(datetime(2026, 9, 30, 16, 30, tzinfo=UTC)) == date(2026, 10, 1)
    assert local_date(datetime(2026, 9, 30, 15, 59, tzinfo=UTC)) == date(2026, 9, 30)
    with pytest.raises(ValueError):
        local_date(datetime(2026, 10, 1, 0, 30))
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 10, 1, 0, 30), 2)
    with pytest.raises(ValueError):
        is_working_day(datetime(2026, 10, 1, 0, 30))


def test_is_working_day():
    assert is_working_day(date(2026, 11, 23))  # Monday
    assert not is_working_day(date(2026, 11, 22))  # Sunday
    assert not is_working_day(date(2026, 10, 5))  # Monday in 国庆
    assert is_working_day(date(2026, 10, 10))  # Saturday 调休
    assert is_working_day(date(2026, 9, 20))  # Sunday 调休
    assert not is_working_day(date(2026, 10, 3))  # Saturday in 国庆
    assert is_working_day(datetime(2026, 11, 22, 16, 30, tzinfo=UTC))  # Sunday in UTC, Monday 00:30 in Beijing
    assert not is_working_day(datetime(2026, 11, 21, 15, 30, tzinfo=UTC))  # Saturday 23:30 in Beijing


def test_zero_and_negative():
    assert add_working_days(date(2026, 10, 3), 0) == DueDate(date(2026, 10, 3), provisional=False)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 10, 3), -1)


def test_working_days_between():
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 2
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 15)) == 7
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 27)) == 15
    assert working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 23)) == 0
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 30)) == 5
    assert working_days_between(date(2026, 10, 9), date(2026, 9, 30)) == -2
    assert working_days_between(datetime(2026, 11, 24, 0, 30, tzinfo=BEIJING), date(2026, 11, 26)) == 2
    assert working_days_between(date(2026, 12, 28), date(2027, 1, 7)) == 7  # 2027 by rule: 01-01 off


def test_every_seeded_day_matches_chinesecalendar():
    for year in range(2004, 2027):
        first, last = date(year - 1, 12, 31), date(year, 12, 31)
        expected = sum(chinese_calendar.is_workday(first + timedelta(days=i)) for i in range(1, (last - first).days + 1))
        assert working_days_between(first, last) == expected, year
    day = date(2026, 1, 1)
    while day <= date(2026, 12, 31):
        assert is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


# --- the seed ------------------------------------------------------------------------------------


def test_seed_stores_only_exceptions_with_chinese_names():
    assert not CalendarDay.objects.filter(date=date(2026, 10, 3)).exists()  # a Saturday in the holiday
    for row in CalendarDay.objects.all():
        weekend = row.date.weekday() >= 5
        assert row.kind == (CalendarDay.Kind.WORKDAY if weekend else CalendarDay.Kind.HOLIDAY), row
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(date=date(2026, 9, 25)).name == "中秋节"
    assert CalendarDay.objects.get(date=date(2026, 2, 16)).name == "春节"
    saturday = CalendarDay.objects.get(date=date(2026, 10, 10))
    assert (saturday.kind, saturday.name, saturday.source) == ("workday", "国庆节", "chinesecalendar")
    assert CalendarDay.objects.get(date=date(2015, 9, 3)).name.startswith("中国人民抗日战争")
    years = CalendarYear.objects.filter(complete=True, source="chinesecalendar")
    assert sorted(years.values_list("year", flat=True)) == list(range(2004, 2027))


def test_seed_is_idempotent_and_keeps_admin_rows():
    count = CalendarDay.objects.count()
    assert workdays.seed_calendar() == []
    assert CalendarDay.objects.count() == count

    row = CalendarDay.objects.get(date=date(2026, 10, 1))
    row.name, row.source = "国庆节（已核对）", CalendarDay.Source.ADMIN
    row.save()
    CalendarDay.objects.filter(date=date(2026, 10, 2)).delete()
    assert workdays.seed_calendar() == [2026]  # the deleted package row comes back...
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节（已核对）"  # ...the official's edit stays
    assert CalendarDay.objects.count() == count


def test_seed_calendar_command(capsys):
    from django.core.management import call_command

    call_command("seed_calendar")
    out = capsys.readouterr().out
    assert "2026-12-31" in out


# --- years not entered yet: provisional ----------------------------------------------------------------------


def test_2027_is_provisional_by_rule_and_skips_new_years_day():
    due = add_working_days(date(2026, 12, 28), 7)
    assert due.provisional is True
    assert due.date.year == 2027 and due.date.month == 1
    assert due.date == date(2027, 1, 7)  # 12-29, 12-30, 12-31, [01-01 元旦], 01-04, 01-05, 01-06, 01-07
    assert not is_working_day(date(2027, 1, 1))
    assert not workdays.is_year_covered(2027)


def test_provisional_rules_have_no_adjusted_days():
    rules_2027 = workdays.statutory_holidays_by_rule(2027)
    assert rules_2027[date(2027, 1, 1)] == "元旦"
    assert date(2027, 10, 1) in rules_2027 and date(2027, 4, 5) in rules_2027
    rules_2026 = workdays.statutory_holidays_by_rule(2026)
    assert not [name for name in rules_2026.values() if "调休" in name]
    # Every statutory holiday by rule that falls Monday–Friday is off in the real 2026 schedule too.
    for day in workdays.statutory_holidays_by_rule(2026, observed=False):
        if day.weekday() < 5:
            assert chinese_calendar.is_holiday(day), day


def test_provisional_when_a_year_is_not_complete():
    assert not add_working_days(date(2026, 9, 30), 2).provisional  # warm the cache first
    CalendarYear.objects.filter(year=2026).update(complete=False)  # no signal, no updated_at
    due = add_working_days(date(2026, 9, 30), 2)
    assert due.provisional
    # By rule only: 10-01..10-03 + the 补假 of a weekend holiday; no 调休, so Saturday 10-10 does not work.
    assert not is_working_day(date(2026, 10, 10))
    assert not workdays.is_year_covered(2026)


def test_entering_2027_makes_it_final_and_calls_the_hook(django_capture_on_commit_callbacks, hook_calls):
    assert add_working_days(date(2026, 12, 28), 7).provisional
    CalendarDayFactory(date=date(2027, 1, 1), kind="holiday", name="元旦")
    # Until the year is marked complete it is still computed by rule.
    assert add_working_days(date(2026, 12, 28), 7).provisional
    with django_capture_on_commit_callbacks(execute=True):
        year = workdays.mark_year_complete(2027)
    assert year.complete and year.entered_at is not None
    assert hook_calls == [2027]
    assert add_working_days(date(2026, 12, 28), 7) == DueDate(date(2027, 1, 7), provisional=False)
    assert covered_until() == date(2027, 12, 31)


def test_admin_schedule_is_used_once_complete(django_capture_on_commit_callbacks, hook_calls):
    # A made-up schedule (not the real 2027 one): Sunday 01-03 an adjusted working day.
    CalendarDayFactory(date=date(2027, 1, 1), kind="holiday", name="元旦")
    CalendarDayFactory(date=date(2027, 1, 3), kind="workday", name="元旦")
    with django_capture_on_commit_callbacks(execute=True):
        workdays.mark_year_complete(2027)
    assert is_working_day(date(2027, 1, 3))
    assert add_working_days(date(2026, 12, 28), 7) == DueDate(date(2027, 1, 6), provisional=False)


def test_mark_year_complete_refuses_an_empty_year(hook_calls):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        workdays.mark_year_complete(2027)
    assert not CalendarYear.objects.filter(year=2027, complete=True).exists()
    assert hook_calls == []


def test_failing_hook_does_not_stop_the_others(django_capture_on_commit_callbacks, hook_calls):
    def broken(year):
        raise RuntimeError("boom")

    # registered for two fields: a recompute serving several fields is still called once
    deadlines.register_deadline("tests.BrokenProbe", "due", "due_provisional", broken)
    deadlines.register_deadline("tests.BrokenProbe", "other_due", "other_provisional", broken)
    try:
        CalendarDayFactory(date=date(2027, 1, 1), kind="holiday", name="元旦")
        with django_capture_on_commit_callbacks(execute=True):
            workdays.notify_schedule_changed(2027)
    finally:
        deadlines.unregister_deadline("tests.BrokenProbe", "due")
        deadlines.unregister_deadline("tests.BrokenProbe", "other_due")
    assert hook_calls == [2027]


# --- coverage ------------------------------------------------------------------------------------


def test_covered_until_after_seeding():
    assert covered_until() == date(2026, 12, 31)


def test_coverage_warning():
    warning = coverage_warning(today=date(2026, 11, 23))
    assert warning and "2026年12月31日" in warning and "2027" in warning and "38" in warning
    assert coverage_warning(today=date(2026, 11, 1)) is not None  # 60 days before
    assert coverage_warning(today=date(2026, 10, 31)) is None  # 61 days before
    late = coverage_warning(today=date(2027, 1, 4))
    assert late and "已超出" in late


def test_coverage_warning_uses_local_today(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    assert coverage_warning() == coverage_warning(today=date(2026, 11, 23))
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 6, 1, 2, 0, tzinfo=UTC))
    assert coverage_warning() is None


def test_gap_in_coverage_stops_covered_until():
    CalendarYear.objects.filter(year=2010).update(complete=False)
    assert covered_until() == date(2009, 12, 31)
    CalendarYear.objects.all().delete()
    assert covered_until() is None
    assert "尚未录入" in coverage_warning(today=date(2026, 11, 23))


# --- efficiency and cache ------------------------------------------------------------------------------


def test_no_query_per_day(django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # stamp + complete years + one query per year touched
        add_working_days(date(2026, 1, 1), 240)
    with django_assert_max_num_queries(1):  # warm: only the change stamp
        assert working_days_between(date(2026, 1, 1), date(2026, 12, 31)) > 240


def test_cache_sees_changes_that_send_no_signal():
    assert is_working_day(date(2026, 11, 25))
    # bulk_create sends no post_save (nor does another process's save reach this one): the stamp catches it.
    CalendarDay.objects.bulk_create([CalendarDay(date=date(2026, 11, 25), kind="holiday", name="测试")])
    assert not is_working_day(date(2026, 11, 25))


def test_cache_invalidated_on_save_and_delete():
    assert is_working_day(date(2026, 11, 26))
    row = CalendarDayFactory(date=date(2026, 11, 26), kind="holiday", name="测试")
    assert not is_working_day(date(2026, 11, 26))
    row.delete()
    assert is_working_day(date(2026, 11, 26))
