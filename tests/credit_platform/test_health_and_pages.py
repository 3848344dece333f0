"""The entry points a newcomer and an orchestrator touch first."""

from __future__ import annotations

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


MONITOR = "internal-monitor-token-0123456789"


@pytest.fixture
def monitor(settings):
    """A monitor holding the internal token: it sees /healthz's details."""
    from django.test import Client

    settings.HEALTHZ_TOKEN = MONITOR
    return Client(HTTP_AUTHORIZATION=f"Bearer {MONITOR}")


def test_healthz_reports_database_broker_cache_and_calendar_to_the_monitor(monitor):
    response = monitor.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert "ok" in body["broker"]
    assert body["cache"]["ok"] is True
    assert "covered_until" in body["calendar"]
    assert "worker" in body


def test_anonymous_healthz_says_only_ok_or_degraded(client, settings):
    settings.HEALTHZ_TOKEN = MONITOR
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong-token"}, {"HTTP_AUTHORIZATION": f"Token {MONITOR}"}):
        response = client.get("/healthz", **headers)
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"status"} and body["status"] in ("ok", "degraded")
        text = response.content.decode().lower()
        for vendor in ("postgres", "sqlite", "redis", "filesystem", "vendor", "transport"):
            assert vendor not in text


def test_without_a_token_configured_no_bearer_value_opens_the_details(client, settings):
    settings.HEALTHZ_TOKEN = ""
    assert set(client.get("/healthz", HTTP_AUTHORIZATION="Bearer ").json()) == {"status"}


def test_signed_in_staff_see_the_details(client, make_official):
    from credit_platform.security import SYSTEM_ADMIN

    client.force_login(make_official("sysadmin", SYSTEM_ADMIN))
    body = client.get("/healthz").json()
    assert body["database"]["ok"] is True and "vendor" in body["database"]


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_is_200_and_says_so_when_the_broker_is_down(client, monitor):
    response = monitor.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["broker"]["ok"] is False
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert client.get("/healthz").json() == {"status": "degraded"}


def test_healthz_is_503_when_the_database_fails(client, monitor, monkeypatch):
    from credit_platform import health

    monkeypatch.setattr(health, "check_database", lambda: {"ok": False, "vendor": "x", "error": "OperationalError"})
    response = monitor.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False
    anonymous = client.get("/healthz")
    assert anonymous.status_code == 503 and anonymous.json() == {"status": "degraded"}


def test_home_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "公共信用信息平台" in response.content.decode()


def test_admin_login_page_is_chinese(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_openapi_schema_and_docs(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert client.get("/api/docs/").status_code == 200


def test_api_unknown_path_is_json_not_html(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_requires_credentials_with_json_error(client):
    response = client.get("/api/v1/whoami/")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_officials_see_the_active_profile_with_citations(client, make_official):
    client.force_login(make_official("auditor", "审计员"))
    response = client.get("/admin/policy/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "克拉玛依市社会信用条例" in page and "第三十四条" in page


def test_policy_page_is_for_officials_only(client):
    response = client.get("/admin/policy/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_public_rules_page_cites_articles(client):
    page = client.get("/rules/").content.decode()
    assert "第三十四条" in page


def test_schema_documents_the_department_token(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    scheme = schema["components"]["securitySchemes"]["departmentToken"]
    assert scheme["in"] == "header" and scheme["name"] == "Authorization"


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_api_docs_load_their_assets_locally(client):
    page = client.get("/api/docs/").content.decode()
    assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page
    assert "swagger-ui" in page
