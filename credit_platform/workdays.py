"""Chinese working days (DESIGN.md principle 3).

工作日 excludes statutory holidays and includes the adjusted working Saturdays/Sundays (调休).
The source of truth is the ``CalendarDay`` / ``CalendarYear`` tables, seeded from ``chinesecalendar``
and editable in the admin. For a year whose schedule is not complete yet the computation falls back to
Monday–Friday less the statutory holidays that follow from the rules alone (the ``holidays`` package's
CN rules, without 调休 and without one-off special arrangements) and the result is marked provisional.

Periods follow 期间开始之日不计算在内: the day of receipt is not counted; an event received on a
non-working day starts counting at the next working day. Dates are local to Asia/Shanghai.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar import Holiday
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from credit_platform.deadlines import recompute_functions
from credit_platform.models.calendar import CalendarDay, CalendarSource, CalendarYear

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
#: The admin is warned this many days before the calendar runs out.
COVERAGE_WARNING_DAYS = 60

HOLIDAY = CalendarDay.Kind.HOLIDAY.value
WORKDAY = CalendarDay.Kind.WORKDAY.value

__all__ = [
    "COVERAGE_WARNING_DAYS",
    "DueDate",
    "LOCAL_TZ",
    "add_working_days",
    "calendar_warning",
    "coverage_warning",
    "covered_until",
    "invalidate_cache",
    "is_working_day",
    "is_year_covered",
    "local_date",
    "mark_year_complete",
    "notify_schedule_changed",
    "seed_calendar",
    "statutory_holidays_by_rule",
    "working_days_between",
]


@dataclass(frozen=True)
class DueDate:
    """A computed due date; ``provisional`` when any counted day lies in a year not entered yet."""

    date: date
    provisional: bool


# --- dates ------------------------------------------------------------------------------------------


def local_date(moment: date | datetime) -> date:
    """The Asia/Shanghai calendar date of ``moment``; a ``date`` passes through, a naive datetime is refused."""
    if isinstance(moment, datetime):
        if timezone.is_naive(moment):
            raise ValueError(f"naive datetime {moment.isoformat()} has no time zone; pass an aware datetime or a date")
        return moment.astimezone(LOCAL_TZ).date()
    if isinstance(moment, date):
        return moment
    raise TypeError(f"expected a date or an aware datetime, got {type(moment).__name__}")


def _today() -> date:
    return local_date(timezone.now())


# --- provisional rules (no database) ----------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def statutory_holidays_by_rule(year: int, *, observed: bool = True) -> dict[date, str]:
    """Statutory holidays of ``year`` that follow from the rules alone (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆).

    From the ``holidays`` package's CN rules, with the 补假 of a holiday falling on a weekend when
    ``observed``; never the announced 调休 rest days or one-off special holidays. Names are Chinese.
    """
    # In the function: the holidays package takes ~0.13 s to import and is needed only for a year not entered yet.
    from holidays.countries.china import China

    class _RulesOnlyChina(China):
        def _add_special_holidays(self, *args, **kwargs):  # the announced 调休 and one-off holidays
            return None

    return dict(_RulesOnlyChina(years=year, language="zh_CN", observed=observed))


# --- the cached calendar ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _YearRules:
    provisional: bool
    days_off: frozenset[date]  # Monday–Friday dates that are not working days
    days_on: frozenset[date]  # Saturday/Sunday dates that are working days

    def is_working(self, day: date) -> bool:
        if day.weekday() >= 5:
            return day in self.days_on
        return day not in self.days_off


@dataclass
class _Snapshot:
    stamp: tuple
    complete_years: frozenset[int]
    years: dict[int, _YearRules] = field(default_factory=dict)

    def rules(self, year: int) -> _YearRules:
        rules = self.years.get(year)
        if rules is None:
            rules = self.years[year] = _load_year(year, year in self.complete_years)
        return rules


_lock = threading.Lock()
_snapshot_cache: _Snapshot | None = None


def invalidate_cache() -> None:
    """Forget the cached calendar (connected to CalendarDay/CalendarYear save and delete)."""
    global _snapshot_cache
    with _lock:
        _snapshot_cache = None


def _calendar_stamp() -> tuple:
    """One cheap query that changes whenever a calendar row is added, changed or deleted.

    Signals only reach the process that saved the row; this stamp keeps other processes (web workers,
    Celery workers) and rolled-back transactions from computing with a stale cache. A ``QuerySet.update()``
    of calendar rows should set ``updated_at`` too (the number of complete years is in the stamp anyway).
    """
    connection = connections[router.db_for_read(CalendarDay)]
    q = connection.ops.quote_name
    day, year = q(CalendarDay._meta.db_table), q(CalendarYear._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {day}), (SELECT MAX({q('updated_at')}) FROM {day}), "
            f"(SELECT COUNT(*) FROM {year}), (SELECT MAX({q('updated_at')}) FROM {year}), "
            f"(SELECT COUNT(*) FROM {year} WHERE {q('complete')} = %s)",
            [True],
        )
        return tuple(cursor.fetchone())


def _snapshot() -> _Snapshot:
    global _snapshot_cache
    stamp = _calendar_stamp()
    snapshot = _snapshot_cache
    if snapshot is None or snapshot.stamp != stamp:
        complete = frozenset(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
        snapshot = _Snapshot(stamp=stamp, complete_years=complete)
        with _lock:
            _snapshot_cache = snapshot
    return snapshot


def _load_year(year: int, complete: bool) -> _YearRules:
    if complete:
        rows = CalendarDay.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)).values_list(
            "date", "kind"
        )
        days_off = frozenset(d for d, kind in rows if kind == HOLIDAY and d.weekday() < 5)
        days_on = frozenset(d for d, kind in rows if kind == WORKDAY and d.weekday() >= 5)
        return _YearRules(provisional=False, days_off=days_off, days_on=days_on)
    days_off = frozenset(d for d in statutory_holidays_by_rule(year) if d.weekday() < 5)
    return _YearRules(provisional=True, days_off=days_off, days_on=frozenset())


# --- working days ---------------------------------------------------------------------------------


def is_working_day(day: date | datetime) -> bool:
    """Whether ``day`` (a date, or an aware datetime taken in Asia/Shanghai) is a Chinese working day."""
    day = local_date(day)
    return _snapshot().rules(day.year).is_working(day)


def is_year_covered(year: int) -> bool:
    """Whether ``year``'s schedule has been entered completely (its due dates are not provisional)."""
    return year in _snapshot().complete_years


def add_working_days(start: date | datetime, n: int) -> DueDate:
    """The ``n``-th working day after ``start``; the day of receipt itself is never counted.

    2 working days after Monday is Wednesday; received on a holiday or weekend, the count starts with
    the next working day. ``provisional`` is set when any day counted or skipped lies in a year whose
    schedule has not been entered completely.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    day = local_date(start)
    snapshot = _snapshot()
    provisional = False
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        rules = snapshot.rules(day.year)
        provisional = provisional or rules.provisional
        if rules.is_working(day):
            counted += 1
    return DueDate(date=day, provisional=provisional)


def working_days_between(start: date | datetime, end: date | datetime) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is before ``start``)."""
    first, last = local_date(start), local_date(end)
    if last < first:
        return -working_days_between(last, first)
    snapshot = _snapshot()
    count = 0
    day = first
    while day < last:
        day += timedelta(days=1)
        if snapshot.rules(day.year).is_working(day):
            count += 1
    return count


# --- coverage ---------------------------------------------------------------------------------------


def covered_until() -> date | None:
    """The last day of the last complete year in the contiguous run starting at the first complete year."""
    years = _snapshot().complete_years
    if not years:
        return None
    year = min(years)
    while year + 1 in years:
        year += 1
    return date(year, 12, 31)


def coverage_warning(today: date | None = None) -> str | None:
    """A Chinese warning for the admin when the calendar runs out within 60 days, or already has."""
    today = local_date(today) if today is not None else _today()
    until = covered_until()
    if until is None:
        return (
            "工作日历尚未录入任何完整年度：所有工作日期限均按周一至周五扣除法定节假日临时推算（标记为“临时”）。"
            "请运行 seed_calendar 或在“年度节假日安排”中录入。"
        )
    next_year = until.year + 1
    how_to = (
        f"请在国务院办公厅公布 {next_year} 年部分节假日安排后，在“工作日历”中录入放假日和调休上班日，"
        f"再在“年度节假日安排”中标记 {next_year} 年“已完整录入”；届时所有临时期限将自动重算。"
    )
    if today > until:
        return (
            f"工作日历只覆盖到 {until:%Y年%m月%d日}，今天已超出：{next_year} 年的期限按周一至周五扣除法定节假日"
            f"临时推算（标记为“临时”，未计调休）。" + how_to
        )
    remaining = (until - today).days
    if remaining <= COVERAGE_WARNING_DAYS:
        return (
            f"工作日历只覆盖到 {until:%Y年%m月%d日}（还剩 {remaining} 天）：跨入 {next_year} 年的期限将按"
            f"周一至周五扣除法定节假日临时推算（标记为“临时”，未计调休）。" + how_to
        )
    return None


#: Admin pages that show the coverage banner.
BANNER_VIEWS = frozenset(
    {
        "admin:index",
        "admin:credit_platform_calendarday_changelist",
        "admin:credit_platform_calendaryear_changelist",
    }
)


def calendar_warning(request) -> dict:
    """Context processor: ``calendar_warning`` for staff on the admin index and the calendar changelists.

    The value is a callable, so the (one-query) check runs only where a template actually uses it.
    """
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if not (user is not None and user.is_authenticated and user.is_staff):
        return {}
    if match is None or match.view_name not in BANNER_VIEWS:
        return {}
    return {"calendar_warning": functools.partial(coverage_warning)}


# --- recompute ---------------------------------------------------------------------------------------


def notify_schedule_changed(year: int, *, using: str | None = None) -> None:
    """Call every ``recompute`` of the deadline registry (:mod:`credit_platform.deadlines`) with ``year`` once the
    current transaction commits (at once in autocommit), each distinct function once.

    Each runs on its own (``robust``): one app's failure is logged and does not stop the others. The registry is the
    only list walked: a deadline that is not registered is not recomputed (and fails the registry test).
    """
    for hook in recompute_functions():
        transaction.on_commit(_bound_hook(hook, year), using=using, robust=True)


def _bound_hook(hook: Callable[[int], object], year: int) -> Callable[[], None]:
    # A named function, not functools.partial: Django logs a robust callback's failure by its __qualname__.
    def call() -> None:
        hook(year)

    call.__qualname__ = f"{getattr(hook, '__qualname__', repr(hook))}({year})"
    return call


def schedule_gaps(year: int) -> list[date]:
    """Statutory holidays of ``year`` by rule (the days themselves, not 补假) on Monday–Friday not entered as days off."""
    entered = set(
        CalendarDay.objects.filter(date__year=year, kind=HOLIDAY).values_list("date", flat=True)
    )
    return sorted(d for d in statutory_holidays_by_rule(year, observed=False) if d.weekday() < 5 and d not in entered)


def mark_year_complete(year: int, user=None) -> CalendarYear:
    """Record that ``year``'s schedule has been entered completely, then call the recompute hooks.

    Refused (``ValidationError``) when the year has no day off entered at all: that is a misclick, not a schedule.
    """
    with transaction.atomic():
        if not CalendarDay.objects.filter(date__year=year, kind=HOLIDAY).exists():
            raise ValidationError(f"{year} 年尚未录入任何放假日，不能标记为已完整录入。")
        row, _ = CalendarYear.objects.select_for_update().get_or_create(year=year)
        row.complete = True
        row.source = CalendarSource.ADMIN
        row.entered_by = user if getattr(user, "pk", None) else None
        row.entered_at = timezone.now()
        row.save()
        notify_schedule_changed(year)
    return row


def prefill_year_from_rules(year: int) -> int:
    """Create the statutory holidays of ``year`` by rule as days off (source ``holidays_rule``) for an admin to
    correct and complete with the announced 调休; dates already entered are left alone. Returns rows created."""
    existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    created = 0
    for day, name in sorted(statutory_holidays_by_rule(year).items()):
        if day.weekday() >= 5 or day in existing:
            continue
        CalendarDay.objects.create(
            date=day, kind=HOLIDAY, name=name, source=CalendarSource.HOLIDAYS_RULE,
            note="按法定节假日规则推算，未含调休，请按国务院办公厅通知核对",
        )
        created += 1
    CalendarYear.objects.get_or_create(year=year, defaults={"source": CalendarSource.ADMIN})
    return created


# --- seeding from chinesecalendar ------------------------------------------------------------------

#: chinesecalendar's Holiday enum, by member name, in Chinese.
HOLIDAY_NAMES_ZH = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "national_day": "国庆节",
    "mid_autumn_festival": "中秋节",
    "anti_fascist_70th_day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _holiday_name(holiday) -> str:
    """The Chinese name of a chinesecalendar holiday: its dicts hold the Holiday enum's values ("National Day")."""
    member = holiday if isinstance(holiday, Holiday) else Holiday._value2member_map_.get(holiday)
    if member is None:  # a holiday this module does not know yet: keep the package's name rather than guess
        return str(holiday)
    return HOLIDAY_NAMES_ZH.get(member.name, str(member.value))


def chinesecalendar_exceptions() -> dict[int, dict[date, tuple[str, str]]]:
    """Per year covered by chinesecalendar, the dates that differ from Monday–Friday: ``{year: {date: (kind, name)}}``.

    Its ``holidays`` dict also lists the weekend days inside a holiday; those are not exceptions and are skipped.
    """
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    result: dict[int, dict[date, tuple[str, str]]] = {y: {} for y in range(min(years), max(years) + 1)}
    for day, holiday in chinese_calendar.holidays.items():
        if day.weekday() < 5:
            result[day.year][day] = (HOLIDAY, _holiday_name(holiday))
    for day, holiday in chinese_calendar.workdays.items():
        if day.weekday() >= 5:
            result[day.year][day] = (WORKDAY, _holiday_name(holiday))
    return result


def seed_calendar(day_model=None, year_model=None, *, using: str = "default") -> list[int]:
    """Seed (idempotently) every year chinesecalendar covers; returns the years whose schedule changed.

    Rows an admin entered or edited (source ``admin``/``holidays_rule``) win over the package, and a year an
    admin has marked complete is left entirely alone. Works with the historical models of a data migration.
    """
    day_model = day_model or CalendarDay
    year_model = year_model or CalendarYear
    days_qs, years_qs = day_model._default_manager.using(using), year_model._default_manager.using(using)
    package = CalendarSource.CHINESECALENDAR.value
    wanted = chinesecalendar_exceptions()
    if not wanted:
        return []
    first, last = date(min(wanted), 1, 1), date(max(wanted), 12, 31)
    changed: list[int] = []
    with transaction.atomic(using=using):
        admin_years = set(years_qs.filter(source=CalendarSource.ADMIN.value).values_list("year", flat=True))
        existing = {row.date: row for row in days_qs.filter(date__gte=first, date__lte=last)}
        years = {row.year: row for row in years_qs.filter(year__gte=first.year, year__lte=last.year)}
        to_create = []
        for year, days in sorted(wanted.items()):
            if year in admin_years:
                continue
            year_changed = False
            for day, (kind, name) in days.items():
                row = existing.get(day)
                if row is None:
                    to_create.append(day_model(date=day, kind=kind, name=name, source=package))
                    year_changed = True
                elif row.source == package and (row.kind, row.name) != (kind, name):
                    row.kind, row.name = kind, name
                    row.save(using=using)
                    year_changed = True
            stale = [d for d, row in existing.items() if d.year == year and row.source == package and d not in days]
            if stale:
                for row in days_qs.filter(date__in=stale, source=package):
                    row.delete(using=using)
                year_changed = True
            row = years.get(year)
            if row is None:
                years_qs.create(year=year, source=package, complete=True)
                year_changed = True
            elif not row.complete:
                row.complete, row.source = True, package
                row.save(using=using)
                year_changed = True
            if year_changed:
                changed.append(year)
        if to_create and day_model is CalendarDay and using == "default":
            # The real model: keep simple-history's record of every seeded row.
            bulk_create_with_history(to_create, CalendarDay, batch_size=500, default_change_reason="seed_calendar")
        elif to_create:  # a data migration's historical model (no history manager there)
            days_qs.bulk_create(to_create, batch_size=500)
    invalidate_cache()
    return changed
