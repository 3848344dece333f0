"""Fixtures shared by every app's tests: departments, officials by role, API clients with department tokens."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from credit_platform.models import ApiToken, Department, User
from credit_platform.roles import sync_role_groups
from tests.oidc_provider.fixtures import oidc_platform, oidc_provider  # noqa: F401 - a real OIDC provider (issue 13)

STRONG_PASSWORD = "Str0ng-Passw0rd!"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters (and anything else cached) never carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
