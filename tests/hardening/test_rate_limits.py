"""Rate limits per client IP: public search (portal and API), subject pages, the portal and admin logins,
report verification. Over the limit: 429 with Retry-After, a Chinese page for browsers, the API error shape for JSON."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(rate_limit_clock):
    return rate_limit_clock


@pytest.fixture
def rates(settings):
    settings.RATELIMIT_SEARCH = "3/m"
    settings.RATELIMIT_BROWSE = "3/m"
    settings.RATELIMIT_BULK = "1000/h"
    settings.RATELIMIT_LOGIN = "3/m"
    settings.RATELIMIT_VERIFY = "2/m"
    settings.TRUSTED_PROXY_COUNT = 0
    return settings


def client(ip="203.0.113.7", **extra) -> Client:
    return Client(REMOTE_ADDR=ip, **extra)


def assert_html_429(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    body = response.content.decode()
    assert "请求过于频繁" in body and f"请 {response['Retry-After']} 秒后再试" in body
    assert response["Content-Type"].startswith("text/html")


def assert_json_429(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "throttled" and body["fields"] == {} and body["message"]


def test_portal_search_limit_is_429_with_retry_after(rates, clock):
    c = client()
    for _ in range(3):
        assert c.get("/search/", {"q": "示例公司"}).status_code == 200
    assert_html_429(c.get("/search/", {"q": "示例公司"}))
    # The page without a query is not a search and is not counted or refused.
    assert c.get("/search/").status_code == 200


def test_browsing_subject_pages_has_its_own_budget(rates, clock):
    """A results list can be browsed: opening its subject pages does not use up the search budget."""
    c = client()
    for _ in range(3):
        assert c.get("/subjects/91650200MA0000000X/").status_code == 404
    assert_html_429(c.get("/subjects/91650200MA0000000X/"))
    # the search budget is untouched by the browsing
    for _ in range(3):
        assert c.get("/search/", {"q": "示例"}).status_code == 200
    assert_html_429(c.get("/search/", {"q": "示例"}))


def test_bulk_reading_meets_the_long_budget(rates, clock):
    """Under the per-minute budgets but over the long one across searches and subject pages together: a scraper."""
    rates.RATELIMIT_SEARCH = rates.RATELIMIT_BROWSE = "100/m"
    rates.RATELIMIT_BULK = "5/h"
    c = client()
    for path in ("/search/?q=示例", "/subjects/91650200MA0000000X/") * 2 + ("/search/?q=示例",):
        assert c.get(path).status_code in (200, 404)
    assert_html_429(c.get("/subjects/91650200MA0000000X/"))
    # another address is unaffected
    assert client("198.51.100.9").get("/subjects/91650200MA0000000X/").status_code == 404
    # and after the hour the reader is welcome again
    clock.now += 3600
    assert c.get("/search/", {"q": "示例"}).status_code == 200


def test_json_clients_get_the_api_error_shape(rates, clock):
    c = client(HTTP_ACCEPT="application/json")
    for _ in range(3):
        c.get("/search/", {"q": "示例"})
    assert_json_429(c.get("/search/", {"q": "示例"}))


def test_public_search_api_is_limited_on_the_same_counters(rates, clock):
    c = client()
    for _ in range(3):
        assert c.get("/api/v1/public/search/", {"q": "示例"}).status_code == 200
    response = c.get("/api/v1/public/search/", {"q": "示例"})
    assert_json_429(response)
    assert_html_429(c.get("/search/", {"q": "示例"}))  # the portal search is out of budget too


def test_different_ips_are_independent(rates, clock):
    first, second = client("203.0.113.7"), client("198.51.100.20")
    for _ in range(3):
        first.get("/search/", {"q": "示例"})
    assert first.get("/search/", {"q": "示例"}).status_code == 429
    assert second.get("/search/", {"q": "示例"}).status_code == 200


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(rates, clock):
    for i in range(3):
        client(HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").get("/search/", {"q": "示例"})
    # A forged header does not buy a fresh budget: the client is still REMOTE_ADDR.
    assert client(HTTP_X_FORWARDED_FOR="10.9.9.9").get("/search/", {"q": "示例"}).status_code == 429

    rates.TRUSTED_PROXY_COUNT = 1  # one proxy in front: the address it appended (the rightmost) is the client
    proxy = "10.1.1.1"
    for _ in range(3):
        assert client(proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1").get("/search/", {"q": "示例"}).status_code == 200
    assert client(proxy, HTTP_X_FORWARDED_FOR="5.6.7.8, 198.51.100.1").get("/search/", {"q": "示例"}).status_code == 429
    assert client(proxy, HTTP_X_FORWARDED_FOR="198.51.100.2").get("/search/", {"q": "示例"}).status_code == 200


def test_limit_resets_after_the_window(rates, clock):
    c = client()
    for _ in range(3):
        c.get("/search/", {"q": "示例"})
    refused = c.get("/search/", {"q": "示例"})
    assert refused.status_code == 429
    clock.now += int(refused["Retry-After"]) + 1
    assert c.get("/search/", {"q": "示例"}).status_code == 200


def test_portal_login_limit_counts_posts_only(rates, clock, settings):
    settings.DEBUG = True  # the password form is the development door
    c = client()
    for _ in range(5):
        assert c.get("/accounts/login/").status_code == 200  # showing the form is not an attempt
    for i in range(3):
        response = c.post("/accounts/login/", {"username": f"nobody{i}", "password": "wrong-Passw0rd!"})
        assert response.status_code == 200  # the form again, with the error
    assert_html_429(c.post("/accounts/login/", {"username": "nobody9", "password": "wrong-Passw0rd!"}))
    assert client("198.51.100.20").post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 200


def test_admin_login_is_limited_per_ip(rates, clock, make_official):
    make_official("centre_user", "平台管理员")
    c = client()
    for i in range(3):
        assert c.post("/admin/login/", {"username": f"nobody{i}", "password": "wrong"}).status_code == 200
    assert_html_429(c.post("/admin/login/", {"username": "centre_user", "password": "Str0ng-Passw0rd!"}))
    # Another address can still log in with the right password.
    ok = client("198.51.100.20").post("/admin/login/", {"username": "centre_user", "password": "Str0ng-Passw0rd!"})
    assert ok.status_code == 302


def test_report_verification_is_limited(rates, clock):
    c = client()
    assert c.get("/verify/").status_code == 200  # the empty form is not a check
    for _ in range(2):
        assert c.post("/verify/", {"number": "CR-NOPE", "check_code": "ABCDEF"}).status_code in (200, 404)
    assert_html_429(c.post("/verify/", {"number": "CR-NOPE", "check_code": "ABCDEF"}))
    assert_html_429(c.get("/verify/CR-NOPE/", {"c": "ABCDEF"}))  # the QR link counts against the same budget


def _settings_in_subprocess(**env):
    import os
    import subprocess
    import sys

    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.RATELIMIT_SEARCH, s.RATELIMIT_LOGIN, s.RATELIMIT_VERIFY)")
    return subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True)


def test_rates_come_from_the_environment_with_defaults():
    result = _settings_in_subprocess(RATELIMIT_SEARCH="7/m", RATELIMIT_LOGIN="4/h", RATELIMIT_VERIFY="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["7/m", "4/h", "20/m"]
    bad = _settings_in_subprocess(RATELIMIT_SEARCH="lots")
    assert bad.returncode != 0 and "RATELIMIT_SEARCH must look like 30/m" in bad.stderr
