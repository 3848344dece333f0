from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from credit_platform import roles
from credit_platform.models import Department, User
from tests.catalog.factories import make_test_catalog
from tests.objections.factories import make_record

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """``at("2026-09-30 10:00")`` → that moment in Asia/Shanghai."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def frozen(monkeypatch):
    """``frozen("2026-10-12 09:00")`` sets what ``timezone.now()`` returns (Asia/Shanghai wall time)."""

    def freeze(text: str) -> datetime:
        moment = at(text)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.OBJECTION_EVIDENCE_ROOT = str(tmp_path / "evidence")
    return tmp_path / "evidence"


@pytest.fixture
def centre(db) -> Department:
    return Department.objects.create(code="XYZX", name="市社会信用中心", uscc="12650200MB1234567X", is_credit_centre=True)


@pytest.fixture
def catalog(department, other_department):
    return make_test_catalog(department, other_department)


@pytest.fixture
def record(catalog, department):
    return make_record(department)


@pytest.fixture
def handler(make_official, centre) -> User:
    return make_official("handler", roles.OBJECTION_HANDLER, department=centre)


@pytest.fixture
def head(make_official, centre) -> User:
    return make_official("head", roles.PLATFORM_ADMIN, department=centre)


@pytest.fixture
def handler_client(handler) -> APIClient:
    client = APIClient()
    client.force_authenticate(handler)
    return client


@pytest.fixture
def citizen(db) -> User:
    user = User.objects.create_user(username="citizen", password="Str0ng-Passw0rd!", kind=User.Kind.CITIZEN,
                                    email="citizen@example.invalid", phone="13800000000", first_name="张伟")
    return user


@pytest.fixture
def file_api(handler_client):
    """``file_api(records, received_at=..., ground=...)`` → the POST response."""

    def post(records, *, client=None, ground="inaccurate", statement="处罚决定书记载的违法事实与实际不符", **extra):
        body = {"records": [getattr(r, "pk", r) for r in records], "ground": ground, "statement": statement, **extra}
        return (client or handler_client).post("/api/v1/objections/", body, format="json")

    return post


@pytest.fixture
def heilongjiang(settings):
    settings.CREDIT_POLICY = "heilongjiang"


def group(name: str) -> Group:
    return Group.objects.get(name=name)
