"""Public reads at cache speed: anonymous subject pages, searches and their API mirrors come from the shared
cache with HTTP validators, and never outlive a change — each kind of change below is proven on the page itself."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db

PAGE = "/subjects/{}/"
API = "/api/v1/public/subjects/{}/"


def _queries(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    return response, len(ctx.captured_queries)


def test_an_anonymous_subject_page_is_rendered_once_then_served_from_the_cache(world):
    c, url = Client(), PAGE.format(world["company"].code)
    first, rendered = _queries(c, url)
    again, cached = _queries(c, url)
    assert first.status_code == again.status_code == 200 and rendered > 0
    assert cached == 0 and again.content == first.content
    assert again["ETag"] == first["ETag"] and "Last-Modified" in again
    assert "Cookie" in again["Vary"] and "must-revalidate" in again["Cache-Control"]


def test_a_matching_etag_gets_304_without_the_database(world):
    c = Client()
    for url in (PAGE.format(world["company"].code), API.format(world["company"].code),
                "/search/?q=克拉玛依示例能源", "/api/v1/public/search/?q=克拉玛依示例能源"):
        etag = c.get(url)["ETag"]
        response, queries = _queries(c, url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304 and queries == 0 and response["ETag"] == etag
        assert c.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_the_api_serves_the_same_data_from_the_cache(world):
    c, url = Client(), API.format(world["company"].code)
    first = c.get(url).json()
    response, queries = _queries(c, url)
    assert queries == 0 and response.json() == first and response["Content-Type"] == "application/json"


def test_records_changed_renders_the_page_afresh(world, django_capture_on_commit_callbacks):
    from records.models import Record
    from records.signals import send_records_changed

    c, url = Client(), API.format(world["company"].code)
    assert world["licence"].pk in {r["id"] for r in c.get(url).json()["records"]}
    with django_capture_on_commit_callbacks(execute=True):  # a service's bulk change, announced as it must be
        Record.objects.filter(pk=world["licence"].pk).update(status="revoked")
        send_records_changed("revoked", [world["licence"].pk], reason="撤销")
    assert world["licence"].pk not in {r["id"] for r in c.get(url).json()["records"]}


def test_a_push_of_a_new_record_shows_at_once(world, department, items, django_capture_on_commit_callbacks):
    c, url = Client(), PAGE.format(world["company"].code)
    assert "克市监罚〔2026〕77号" not in c.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        f.record(world["company"], items[f.PENALTY], department, basis_number="克市监罚〔2026〕77号")
    assert "克市监罚〔2026〕77号" in c.get(url).content.decode()


def test_a_publicity_window_change_shows_at_once(world, django_capture_on_commit_callbacks):
    from disclosure.services import end_publicity, opt_out_of_trust_publicity

    c, url = Client(), API.format(world["company"].code)
    ids = {r["id"] for r in c.get(url).json()["records"]}
    assert {world["trust"].pk, world["penalty"].pk} <= ids
    with django_capture_on_commit_callbacks(execute=True):
        opt_out_of_trust_publicity(world["company"], None)  # windows suppressed by a bulk update
    assert world["trust"].pk not in {r["id"] for r in c.get(url).json()["records"]}
    with django_capture_on_commit_callbacks(execute=True):
        end_publicity([world["penalty"].pk], date(2026, 11, 30))  # repair: publicity ended yesterday
    assert world["penalty"].pk not in {r["id"] for r in c.get(url).json()["records"]}


def test_a_single_window_save_renders_the_page_afresh(world, django_capture_on_commit_callbacks):
    from disclosure.models import RecordWindow

    c, url = Client(), API.format(world["company"].code)
    assert world["licence"].pk in {r["id"] for r in c.get(url).json()["records"]}
    window = RecordWindow.objects.get(record_id=world["licence"].pk)
    window.published = False
    with django_capture_on_commit_callbacks(execute=True):
        window.save()
    assert world["licence"].pk not in {r["id"] for r in c.get(url).json()["records"]}


def test_the_objection_mark_shows_at_once(world, django_capture_on_commit_callbacks):
    from records.services.status import set_disputed

    c, url = Client(), PAGE.format(world["company"].code)
    assert "异议处理中" not in c.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert set_disputed(world["penalty"], True, reason="异议标注")
    assert "异议处理中" in c.get(url).content.decode()
    api = Client().get(API.format(world["company"].code)).json()
    assert next(r for r in api["records"] if r["id"] == world["penalty"].pk)["disputed"] is True


@pytest.mark.parametrize("entry_kind", ["severe", "red"])
def test_a_list_entry_change_renders_the_page_afresh(world, department, entry_kind, django_capture_on_commit_callbacks):
    from sanctions.models import RedListEntry, SevereListEntry

    c, url = Client(), PAGE.format(world["company"].code)
    etag = c.get(url)["ETag"]
    assert _queries(c, url)[1] == 0
    with django_capture_on_commit_callbacks(execute=True):
        if entry_kind == "severe":
            entry = SevereListEntry.objects.create(subject=world["company"], department=department, reasons="测试",
                                                   basis="测试依据", status=SevereListEntry.Status.LISTED, public=True)
        else:
            entry = RedListEntry.objects.create(subject=world["company"], department=department, criteria="测试",
                                                status=RedListEntry.Status.LISTED, valid_until=date(2027, 1, 1))
    response, queries = _queries(c, url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and queries > 0 and response["ETag"] != etag
    etag = response["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        entry.delete()
    assert c.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_new_organisation_appears_in_a_cached_search(world, department, items, django_capture_on_commit_callbacks):
    c = Client()
    assert "克拉玛依示例新能源有限公司" not in c.get("/search/", {"q": "克拉玛依示例"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        f.SubjectFactory(name="克拉玛依示例新能源有限公司")
    assert "克拉玛依示例新能源有限公司" in c.get("/search/", {"q": "克拉玛依示例"}).content.decode()
    names = [r["name"] for r in c.get("/api/v1/public/search/", {"q": "克拉玛依示例"}).json()["results"]]
    assert "克拉玛依示例新能源有限公司" in names


def test_another_subject_s_change_leaves_a_page_cached(world, department, items, django_capture_on_commit_callbacks):
    other = f.SubjectFactory(name="独山子示例化工有限公司")
    c, url = Client(), PAGE.format(world["company"].code)
    c.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        f.record(other, items[f.PENALTY], department)
    assert _queries(c, url)[1] == 0


def test_signed_in_visitors_never_get_the_shared_page(world, citizen_user, login):
    url = PAGE.format(world["company"].code)
    Client().get(url)  # the anonymous page is in the cache now
    client = login(citizen_user(world["company"]))
    response, queries = _queries(client, url)
    assert response.status_code == 200 and queries > 0 and "退出" in response.content.decode()
    assert not response.has_header("ETag")
    assert "退出" not in Client().get(url).content.decode()  # and their page was not stored for everyone


def test_a_visitor_with_pending_messages_is_rendered_for(world):
    c, url = Client(), PAGE.format(world["company"].code)
    c.get(url)
    c.cookies["messages"] = "anything"
    response, queries = _queries(c, url)
    assert queries > 0 and not response.has_header("ETag")


def test_rate_limits_still_count_cached_pages(world, settings):
    settings.RATELIMIT_BROWSE = "3/m"
    c, url = Client(), PAGE.format(world["company"].code)
    assert [c.get(url).status_code for _ in range(3)] == [200, 200, 200]
    assert c.get(url).status_code == 429
    assert c.get(API.format(world["company"].code)).status_code == 429


def test_the_search_limit_counts_cached_searches(world, settings):
    settings.RATELIMIT_SEARCH = "2/m"
    c = Client()
    assert [c.get("/search/", {"q": "克拉玛依"}).status_code for _ in range(2)] == [200, 200]
    assert c.get("/search/", {"q": "克拉玛依"}).status_code == 429
    assert c.get("/api/v1/public/search/", {"q": "克拉玛依"}).status_code == 429


def test_pages_are_rendered_uncached_when_disabled(world, settings):
    settings.PUBLIC_CACHE_ENABLE = False
    c, url = Client(), PAGE.format(world["company"].code)
    c.get(url)
    response, queries = _queries(c, url)
    assert response.status_code == 200 and queries > 0 and not response.has_header("ETag")


def test_an_unknown_code_is_not_kept(world, department, items, django_capture_on_commit_callbacks):
    c, code = Client(), f.uscc()
    assert c.get(PAGE.format(code)).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        f.record(f.SubjectFactory(name="新设示例有限公司", code=code), items[f.PENALTY], department)
    assert c.get(PAGE.format(code)).status_code == 200


def test_bucketed_versions_on_the_file_cache_still_follow_changes(world, settings, django_capture_on_commit_callbacks):
    from records.services.status import set_disputed

    settings.PUBLIC_CACHE_SUBJECT_BUCKETS = 4
    c, url = Client(), PAGE.format(world["company"].code)
    assert "异议处理中" not in c.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        set_disputed(world["penalty"], True, reason="异议标注")
    assert "异议处理中" in c.get(url).content.decode()


# --- the early answer (credit_platform.http_cache.PublicPageCacheMiddleware) ---------------------------------------

_PER_RESPONSE = {"Date", "Content-Length"}


@pytest.mark.parametrize("url", [PAGE.format("{code}"), "/search/?q=克拉玛依示例能源"])
def test_a_hit_carries_every_header_the_full_stack_gave_the_page(world, url):
    """Answered before the policy, session, language, CSRF, user and frame-options middleware, a hit still says what
    the rendered page said (X-Frame-Options, the CSP, Permissions-Policy, Content-Language, Vary …), and the same
    body."""
    c, url = Client(), url.format(code=world["company"].code)
    rendered, rendered_queries = _queries(c, url)
    hit, hit_queries = _queries(c, url)
    assert rendered_queries > 0 and hit_queries == 0
    assert hit.content == rendered.content
    assert {k: v for k, v in hit.items() if k not in _PER_RESPONSE} == \
        {k: v for k, v in rendered.items() if k not in _PER_RESPONSE}
    assert hit["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in hit and "Permissions-Policy" in hit
    assert hit["Content-Language"] and "Accept-Language" in hit["Vary"]


def test_a_conditional_hit_still_passes_the_security_middleware(world):
    c, url = Client(), PAGE.format(world["company"].code)
    etag = c.get(url)["ETag"]
    response = c.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response["ETag"] == etag and not response.content
    assert response["Referrer-Policy"] and response["X-Content-Type-Options"] == "nosniff"


def test_a_request_with_a_session_cookie_goes_down_the_whole_stack(world):
    c, url = Client(), PAGE.format(world["company"].code)
    c.get(url)
    c.cookies["sessionid"] = "not-a-session"
    response, queries = _queries(c, url)
    assert response.status_code == 200 and not response.has_header("ETag")


def _redis_url() -> str | None:
    """Redis for the tests below: where the Celery broker is (CI), else skip (a laptop with nothing but Python)."""
    import os

    import redis

    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        return None
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


@pytest.fixture
def redis_caches(settings):
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis here: the one-round-trip path is Redis-only (CI runs it)")
    options = {"socket_connect_timeout": 2, "socket_timeout": 2}
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "OPTIONS": options,
                    "KEY_PREFIX": "test-rl"},
        "public": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "OPTIONS": options,
                   "KEY_PREFIX": "test-public"},
    }
    from django.core.cache import caches

    caches["default"].clear()
    yield caches
    caches["default"].clear()


@pytest.fixture
def round_trips(monkeypatch):
    """Every Redis round trip the process makes: a command on its own, or a pipeline sent at once."""
    import redis

    sent = []
    original_command, original_pipeline = redis.Redis.execute_command, redis.client.Pipeline.execute

    def command(self, *args, **options):
        sent.append(args[0])
        return original_command(self, *args, **options)

    def pipeline(self, *args, **options):
        sent.append(f"pipeline of {len(self.command_stack)}")
        return original_pipeline(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", command)
    monkeypatch.setattr(redis.client.Pipeline, "execute", pipeline)
    return sent


def test_a_cached_page_on_redis_is_one_round_trip_and_still_counted(world, redis_caches, round_trips, settings):
    """The issue's target hangs on this: the two rate-limit budgets (browse and bulk: SET NX + INCR each) and the
    page lookup (the versions and the stored page: one MGET) go to Redis together."""
    settings.RATELIMIT_BROWSE = "3/m"
    c, url = Client(), PAGE.format(world["company"].code)
    first = c.get(url)
    round_trips.clear()
    again, queries = _queries(c, url)
    assert again.status_code == 200 and queries == 0 and again.content == first.content
    assert round_trips == ["pipeline of 5"]
    assert c.get(url).status_code == 200
    refused = c.get(url)  # the fourth page this minute: the hit was counted like any other
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1


def test_redis_counters_follow_their_window(world, redis_caches, settings, rate_limit_clock):
    clock = rate_limit_clock
    settings.RATELIMIT_BROWSE = "2/m"
    c, url = Client(), PAGE.format(world["company"].code)
    assert [c.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert Client(REMOTE_ADDR="198.51.100.30").get(url).status_code == 200  # another address, its own budget
    clock.now += int(c.get(url)["Retry-After"]) + 1
    assert c.get(url).status_code == 200


def test_a_change_is_seen_at_once_through_the_redis_path(world, redis_caches, django_capture_on_commit_callbacks):
    from records.services.status import set_disputed

    c, url = Client(), PAGE.format(world["company"].code)
    c.get(url)
    assert "异议处理中" not in c.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        set_disputed(world["penalty"], True, reason="异议标注")
    assert "异议处理中" in c.get(url).content.decode()


def test_a_nul_in_a_cached_search_is_still_refused(world):
    """The NUL check sits below the early answer: such a search is never stored, so it always reaches the check."""
    c = Client()
    assert c.get("/search/", {"q": "克拉玛依\x00"}).status_code == 400
    assert c.get("/search/", {"q": "克拉玛依\x00"}).status_code == 400
    assert c.get("/search/", {"q": "克拉玛依"}).status_code == 200


def test_an_official_signed_in_to_the_admin_is_never_served_the_shared_page(world, make_official):
    official = make_official("centre_viewer", "平台管理员")
    c = Client()
    c.force_login(official)
    url = PAGE.format(world["company"].code)
    Client().get(url)
    response, queries = _queries(c, url)
    assert response.status_code == 200 and queries > 0 and not response.has_header("ETag")
