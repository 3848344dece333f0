"""With the cache (Redis) down, the platform fails open where it promised to: public search and
every login answer, rate limits skipped as ``RATELIMIT_FAIL_OPEN`` says; /healthz reports the cache as degraded.

The cache points at a closed port (127.0.0.1:1), so every cache call fails with a connection error, as it does
when Redis is stopped."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db

CLOSED_PORT_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.fixture
def cache_down(settings):
    settings.RATELIMIT_SEARCH = "1/m"  # would refuse the second request if the counters were counted
    settings.RATELIMIT_LOGIN = "1/m"
    with override_settings(CACHES=CLOSED_PORT_CACHE):
        from django.core.cache import cache
        from redis.exceptions import ConnectionError as RedisConnectionError

        with pytest.raises(RedisConnectionError):  # the premise: the cache really is unreachable
            cache.set("probe", 1)
        yield


def test_public_search_answers_with_the_cache_down(cache_down):
    c = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):  # over the 1/m limit: skipped, not counted and not refused
        assert c.get("/search/", {"q": "示例公司"}).status_code == 200
        assert c.get("/api/v1/public/search/", {"q": "示例公司"}).status_code == 200
        assert c.get("/subjects/91650200MA0000000X/").status_code == 404  # the ordinary "not found" page


def test_portal_and_admin_logins_answer_with_the_cache_down(cache_down, make_official, settings):
    from django.contrib.auth import get_user_model

    settings.DEBUG = True  # the portal's password form is the development door
    get_user_model().objects.create_user(username="citizen1", password=STRONG_PASSWORD, kind="citizen")
    make_official("centre_user")
    c = Client(REMOTE_ADDR="203.0.113.8")
    assert c.post("/accounts/login/", {"username": "citizen1", "password": "wrong-Passw0rd!"}).status_code == 200
    assert c.post("/accounts/login/", {"username": "citizen1", "password": STRONG_PASSWORD}).status_code == 302
    admin = Client(REMOTE_ADDR="203.0.113.9")
    assert admin.post("/admin/login/", {"username": "centre_user", "password": "wrong"}).status_code == 200
    assert admin.post("/admin/login/", {"username": "centre_user", "password": STRONG_PASSWORD}).status_code == 302


def test_limits_fail_closed_when_configured(cache_down, settings):
    settings.RATELIMIT_FAIL_OPEN = False
    response = Client(REMOTE_ADDR="203.0.113.10").get("/search/", {"q": "示例公司"})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    api = Client(REMOTE_ADDR="203.0.113.10").get("/api/v1/public/search/", {"q": "示例公司"})
    assert api.status_code == 429 and api.json()["code"] == "throttled"


def test_healthz_reports_the_cache_as_degraded(cache_down, settings):
    settings.HEALTHZ_TOKEN = "internal-monitor-token-0123456789"
    anonymous = Client().get("/healthz")
    assert anonymous.status_code == 200 and anonymous.json() == {"status": "degraded"}
    details = Client(HTTP_AUTHORIZATION="Bearer internal-monitor-token-0123456789").get("/healthz").json()
    assert details["status"] == "degraded"
    assert details["cache"]["ok"] is False and details["cache"]["error"]
    assert details["database"]["ok"] is True
