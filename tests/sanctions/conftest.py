from __future__ import annotations

import dataclasses
import sys

import pytest

from credit_platform.policies import get_policy
from credit_platform.policies.base import Rule

from tests.sanctions import factories as f


@pytest.fixture
def procurement(db):
    return f.matter("government_procurement", "政府采购", query_purpose="public_resource_trading")


@pytest.fixture
def licensing(db):
    return f.matter("administrative_licence", "行政许可", commitment_route=True)


@pytest.fixture
def client_scjg(token_client, department):
    return token_client(department)


@pytest.fixture
def profile(settings, monkeypatch):
    """``profile("qufu", defence_period_days=5)``: run with a profile, optionally with rules replaced."""

    def use(code: str = "karamay", **values):
        settings.CREDIT_POLICY = code
        if values:
            base = get_policy(code)
            changes = {}
            for name, value in values.items():
                rule = getattr(base, name)
                changes[name] = Rule(value, rule.article, rule.summary, rule.unit, rule.source)
            patched = dataclasses.replace(base, **changes)
            # every sanctions module that reads the profile imported ``active_policy`` by name
            for module in [m for name, m in sys.modules.items() if name.split(".")[0] == "sanctions"]:
                if getattr(module, "active_policy", None) is not None:
                    monkeypatch.setattr(module, "active_policy", lambda p=patched: p)
            monkeypatch.setattr("credit_platform.policies.active_policy", lambda p=patched: p)
            return patched
        return get_policy(code)

    return use


@pytest.fixture
def api_client_anonymous():
    from rest_framework.test import APIClient

    return APIClient()
