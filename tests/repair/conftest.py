from __future__ import annotations

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from credit_platform.models import User
from tests.conftest import STRONG_PASSWORD


@pytest.fixture
def act_for(monkeypatch):
    """``act_for(user, subject)``: the user may act for the subject on the portal (a verified link)."""
    links: dict[int, set[int]] = {}
    if not apps.is_installed("disclosure"):
        from records.models import Subject

        def lookup(user):
            if not getattr(user, "is_authenticated", False) or getattr(user, "is_department_client", False):
                return Subject.objects.none()
            return Subject.objects.filter(pk__in=links.get(user.pk, set()))

        monkeypatch.setattr("repair.portal.subjects_for_user", lookup)

    def link(user, subject):
        if apps.is_installed("disclosure"):
            from accounts.models import SubjectLink

            SubjectLink.objects.create(user=user, code_type=subject.code_type, code=subject.code, name=subject.name,
                                       role="agent" if subject.code_type == "uscc" else "self", verified_by="test")
        else:
            links.setdefault(user.pk, set()).add(subject.pk)

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
