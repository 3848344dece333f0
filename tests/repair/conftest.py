from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import SubjectLink
from credit_platform.models import User
from tests.conftest import STRONG_PASSWORD
from tests.webhooks import hook_fixture


@pytest.fixture
def act_for(db):
    """``act_for(user, subject)``: the user may act for the subject on the portal (a verified link)."""

    def link(user, subject):
        SubjectLink.objects.create(user=user, code_type=subject.code_type, code=subject.code, name=subject.name,
                                   role="agent" if subject.code_type == "uscc" else "self", verified_by="test")

    return link


@pytest.fixture
def citizen(db):
    return User.objects.create_user(username="citizen", password=STRONG_PASSWORD, kind=User.Kind.AGENT, first_name="张伟")


@pytest.fixture
def other_citizen(db):
    return User.objects.create_user(username="citizen2", password=STRONG_PASSWORD, kind=User.Kind.CITIZEN)


@pytest.fixture
def client_for():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _private_evidence(settings, tmp_path):
    settings.REPAIR_EVIDENCE_ROOT = str(tmp_path / "evidence")


@pytest.fixture
def hook():
    """A real webhook receiver on 127.0.0.1 (``tests.webhooks.Hook``) for the change outbox."""
    yield from hook_fixture()
