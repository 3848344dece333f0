"""Every page a user can land on speaks Chinese: refusals, expired forms, missing pages; the portal has an icon."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_a_refusal_in_the_admin_is_a_chinese_page(make_official):
    official = make_official("clerk_without_roles")
    client = Client()
    client.force_login(official)
    # A staff member without any role opening the audit export is refused: a Chinese page, a way back.
    for url in ("/admin/audit/export/", "/admin/credit_platform/user/"):
        response = client.get(url)
        assert response.status_code == 403, url
        body = response.content.decode()
        assert "无权访问" in body and "Forbidden" not in body, url


@pytest.mark.django_db
def test_permission_denied_renders_the_chinese_page(rf):
    from credit_platform.errors import permission_denied

    response = permission_denied(rf.get("/my/"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


@pytest.mark.django_db
def test_permission_denied_on_the_api_is_json(rf):
    from credit_platform.errors import permission_denied

    response = permission_denied(rf.get("/api/v1/records/"))
    assert response.status_code == 403 and response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_an_expired_form_says_what_to_do_in_chinese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "页面已过期" in body and "CSRF verification failed" not in body


@pytest.mark.django_db
def test_a_missing_page_is_chinese():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


@pytest.mark.django_db
def test_the_portal_has_a_favicon():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    home = Client().get("/").content.decode()
    assert 'rel="icon"' in home
