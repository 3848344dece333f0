"""``add_months`` counts plain dates directly (the hot path of the window and evaluation rules): it must give exactly
what ``dateutil.relativedelta`` gives, the Civil Code's count (art. 202), for every day and period."""

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from credit_platform.months import add_months, add_years, months_between

PERIODS = (-1200, -37, -13, -12, -1, 0, 1, 2, 3, 6, 11, 12, 13, 24, 36, 60, 120, 1200)


def test_every_day_of_four_years_and_every_period_match_relativedelta():
    day = date(2023, 1, 1)
    while day < date(2027, 1, 1):  # a leap year and the month ends around it
        for months in PERIODS:
            assert add_months(day, months) == day + relativedelta(months=months), (day, months)
        day += timedelta(days=1)


def test_month_ends_and_leap_days():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert months_between(date(2024, 1, 31), date(2024, 2, 29)) == 1
    assert months_between(date(2024, 1, 31), date(2024, 2, 28)) == 0


def test_a_datetime_stays_a_datetime():
    moment = datetime(2024, 1, 31, 10, 30)
    assert add_months(moment, 1) == datetime(2024, 2, 29, 10, 30)
    assert type(add_months(moment, 1)) is datetime
