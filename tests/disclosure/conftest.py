from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests.accounts.factories import citizen
from tests.disclosure import factories as f

PASSWORD = "Str0ng-Passw0rd!"


#: The day these tests are written against: the factories' records are decided in 2026 (publicity until 2029).
TODAY = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _fixed_today(settings):
    """Every disclosure test runs on ``TODAY`` (time-machine, ticking): windows, masks by age and report periods
    depend on today, and the suite must pass with the real clock anywhere up to 2035."""
    settings.MEDIA_ROOT = settings.VAR_DIR / "test-media"
    from django.core.cache import cache

    cache.clear()
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def items(department):
    return f.make_catalog(department)


@pytest.fixture
def citizen_user(db):
    return citizen


@pytest.fixture
def login():
    def do(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return do


@pytest.fixture
def world(department, items):
    """A company with public and non-public records, a natural person, a minor."""
    company = f.SubjectFactory(name="克拉玛依示例能源有限公司")
    boss = f.person("王小明", date(1975, 3, 3))
    f.relate(company, boss)
    penalty = f.record(company, items[f.PENALTY], department, content={"违法事实": "王小明指使销售过期食品，电话13812345678",
                                                                           "address": "某路1号"},
                       responsible_persons=[{"name": "王小明"}])
    licence = f.record(company, items[f.LICENCE], department, decided_on=date(2025, 5, 1))
    trust = f.record(company, items[f.TRUST], department, decided_on=date(2025, 6, 1))
    hidden = f.record(company, items[f.HIDDEN], department)
    old = f.record(company, items[f.PENALTY], department, decided_on=date(2020, 1, 10), occurred_on=date(2019, 12, 1))
    citizen = f.person("张伟", date(1990, 1, 1))
    cit_penalty = f.record(citizen, items[f.PENALTY], department)
    minor = f.person("李小小", date(2012, 5, 5))
    minor_rec = f.record(minor, items[f.PENALTY], department, occurred_on=date(2026, 1, 1))
    return dict(company=company, boss=boss, penalty=penalty, licence=licence, trust=trust, hidden=hidden, old=old,
                citizen=citizen, cit_penalty=cit_penalty, minor=minor, minor_rec=minor_rec)
