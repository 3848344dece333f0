"""Fixtures shared by every app's tests: departments, officials by role, API clients with department tokens."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from credit_platform.models import ApiToken, Department, User
from credit_platform.roles import sync_role_groups
from tests.oidc_provider.fixtures import oidc_platform, oidc_provider  # noqa: F401 - a real OIDC provider

STRONG_PASSWORD = "Str0ng-Passw0rd!"


def admin_session(username: str):
    """A test client signed in through the admin login form as ``username`` (password ``STRONG_PASSWORD``), as an
    attacker's browser would be — not ``force_login``, so the login door itself is part of the test."""
    from django.test import Client

    client = Client()
    response = client.post("/admin/login/", {"username": username, "password": STRONG_PASSWORD, "next": "/admin/"})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


# --- the whole suite with the clock moved (no date bombs) ---------------------------------------------------
# ``CREDIT_TEST_CLOCK=2035-06-01 make test`` runs every test as if today were that date (Asia/Shanghai, 10:00, ticking):
# a test that depends on today must freeze the clock itself. Also accepts an ISO datetime with an offset.
TEST_CLOCK_ENV = "CREDIT_TEST_CLOCK"


def _clock_destination(value: str):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from django.utils.dateparse import parse_date, parse_datetime

    moment = parse_datetime(value) if "T" in value or " " in value.strip() else None
    if moment is None:
        day = parse_date(value.strip())
        if day is None:
            raise pytest.UsageError(f"{TEST_CLOCK_ENV}={value!r}: expected YYYY-MM-DD or an ISO datetime")
        moment = datetime.combine(day, time(10, 0))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    return moment


#: The chinesecalendar data the tests are written against (1.11: 2004–2026). A later release that adds 2027 must not
#: change what the tests see ("2027 is not entered yet, so its due dates are provisional"): the package's tables are
#: cut back to these years for the whole session, before the data migration seeds the test database from them.
PINNED_CALENDAR_YEARS = range(2004, 2027)


def _pin_chinesecalendar() -> None:
    from chinese_calendar import constants

    for table in (constants.holidays, constants.workdays, constants.in_lieu_days):
        for day in [d for d in table if d.year not in PINNED_CALENDAR_YEARS]:
            del table[day]  # in place: chinese_calendar.utils and the package namespace share these dicts


def pytest_configure(config):
    _pin_chinesecalendar()
    value = os.environ.get(TEST_CLOCK_ENV, "").strip()
    if value:
        import time_machine

        traveller = time_machine.travel(_clock_destination(value), tick=True)
        traveller.start()
        config._credit_test_clock = traveller


def pytest_unconfigure(config):
    traveller = getattr(config, "_credit_test_clock", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    value = os.environ.get(TEST_CLOCK_ENV, "").strip()
    if value:
        return f"{TEST_CLOCK_ENV}: the clock starts at {_clock_destination(value).isoformat()} (time-machine, ticking)"
    return None


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters (and anything else cached) never carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rate_limit_clock(monkeypatch):
    """The rate limits' clock, moved by hand: windows end when the test says so (``clock.now += …``)."""
    from credit_platform import ratelimits

    class Clock:
        now = 1_800_000_000.0

        def time(self):
            return self.now

    fake = Clock()
    monkeypatch.setattr(ratelimits, "time", fake)
    return fake


@pytest.fixture
def department(db) -> Department:
    return Department.objects.create(code="SCJG", name="市市场监督管理局", uscc="11650200MB0000020B")


@pytest.fixture
def other_department(db) -> Department:
    return Department.objects.create(code="SWJ", name="市税务局", uscc="11650200MB0000030C")


@pytest.fixture
def make_official(db):
    sync_role_groups()

    def make(username: str, *roles: str, department: Department | None = None, superuser: bool = False) -> User:
        user = User.objects.create_user(
            username=username, password=STRONG_PASSWORD, kind=User.Kind.OFFICIAL, department=department,
            is_staff=True, is_superuser=superuser,
        )
        user.groups.set(Group.objects.filter(name__in=roles))
        return user

    return make


@pytest.fixture
def token_client():
    """``token_client(department)`` → an APIClient authenticated as that department's system."""

    def make(department: Department) -> APIClient:
        _, raw = ApiToken.issue(department, name="test system")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client

    return make
