"""Department-system tokens: stored hashed, shown once, revocable, with last-used time."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from credit_platform.models import ApiToken

pytestmark = pytest.mark.django_db


def _client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_create_api_token_prints_a_token_that_works_and_is_stored_hashed(department):
    out = StringIO()
    call_command("create_api_token", "SCJG", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith(ApiToken.PREFIX)
    token = ApiToken.objects.get(department=department)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.digest, token.key_prefix}
    response = _client(raw).get("/api/v1/whoami/")
    assert response.status_code == 200
    assert response.json() == {"kind": "department_system", "department": "SCJG", "username": "api:SCJG"}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_unknown_department_is_refused():
    with pytest.raises(CommandError, match="NOPE"):
        call_command("create_api_token", "NOPE")


def test_revoked_token_is_refused(department):
    token, raw = ApiToken.issue(department)
    token.revoke()
    response = _client(raw).get("/api/v1/whoami/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_of_inactive_department_is_refused(department):
    _, raw = ApiToken.issue(department)
    department.active = False
    department.save()
    assert _client(raw).get("/api/v1/whoami/").status_code == 401


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token nonsense", "Bearer cpt_wrong"])
def test_malformed_or_unknown_tokens_get_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/whoami/")
    assert response.status_code == 401


def test_admin_issues_token_once_and_never_shows_it_again(department, make_official):
    from django.test import Client

    admin = make_official("sys", superuser=True)
    client = Client()
    client.force_login(admin)
    response = client.post("/admin/credit_platform/apitoken/add/", {"department": department.pk, "name": "执法系统"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    token = ApiToken.objects.get(department=department)
    assert token.key_prefix in page  # the one-time message shows the whole key, which starts with the prefix
    listing = client.get("/admin/credit_platform/apitoken/").content.decode()
    assert token.digest not in listing
