"""Rate limits per client IP on the public search, the logins and report verification.

Fixed-window counters live in the shared cache (``settings.CACHES``: Redis in production), so every gunicorn worker
counts against the same budget. They are kept here rather than through django-ratelimit because of what a public
read costs: django-ratelimit spends three round trips a budget on Django's Redis cache (``add``, ``exists``,
``incr``) — six for a subject page's two budgets, most of a cached page's time — where a pipeline sends every
budget's ``SET NX EX`` + ``INCR`` in one, and the public page cache (``credit_platform.http_cache``) adds its page
lookup to that same round trip. Rates come from settings (``RATELIMIT_SEARCH``, ``RATELIMIT_LOGIN``,
``RATELIMIT_VERIFY``, ``RATELIMIT_BROWSE``, ``RATELIMIT_BULK``, ``RATELIMIT_REPORT``, each ``"<count>/<s|m|h|d>"``) and are read on every request. A refused request gets
HTTP 429 with ``Retry-After``: the Chinese page ``templates/429.html``, or the API's error shape
``{"code": "throttled", "message": ..., "fields": {}}`` when JSON is wanted.

The client is ``REMOTE_ADDR`` unless ``settings.TRUSTED_PROXY_COUNT`` says how many proxies in front of the
platform append to ``X-Forwarded-For``; only then is that header read, and only the entry the outermost trusted
proxy appended (everything to its left is whatever the client sent).

With the cache unreachable (Redis down) the counters cannot be read: ``settings.RATELIMIT_FAIL_OPEN`` (default on)
lets every request through uncounted — search and login keep answering, limits skipped — and logs a warning;
off, every counted request is refused with 429 until the cache is back. Never a 500 either way.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import JsonResponse
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle

from credit_platform.privacy import address_pseudonym

log = logging.getLogger(__name__)
CACHE_DOWN_RETRY_AFTER = 30  # seconds a client is asked to wait when the cache is down and limits fail closed

RATE_SETTINGS = {"search": "RATELIMIT_SEARCH", "browse": "RATELIMIT_BROWSE", "bulk": "RATELIMIT_BULK",
                 "login": "RATELIMIT_LOGIN", "verify": "RATELIMIT_VERIFY", "comment": "RATELIMIT_COMMENT",
                 "signup": "RATELIMIT_SIGNUP", "identity": "RATELIMIT_IDENTITY", "report": "RATELIMIT_REPORT"}
# Public reads have two budgets per address: a per-minute one for what a person does (searching, opening the subject
# pages of a result list — separate, so a results list can be browsed without running out), and a long one over both
# together ("bulk") that a person behind a shared address (a service hall, an office) never reaches but a scraper
# walking the register does. Each public read view names its own group; "bulk" is counted alongside.
# The public credit report (a PDF rendered per download, far dearer than a page) has its own per-minute budget and
# is counted under "bulk" too.
ALSO_COUNTED = {"search": ("bulk",), "browse": ("bulk",), "report": ("bulk",)}


def client_ip(request) -> str:
    """The address the request came from, IPv6 reduced to its /64 (one host usually holds the whole /64)."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    trusted = max(int(settings.TRUSTED_PROXY_COUNT or 0), 0)
    if trusted:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= trusted:
            address = hops[-trusted]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if ip.version == 6 and not ip.ipv4_mapped:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip.ipv4_mapped or ip) if ip.version == 6 else str(ip)


def lockout_address(request) -> str:
    """django-axes' client address (``AXES_CLIENT_IP_CALLABLE``): the same client as the rate limits see, kept only
    as its keyed pseudonym (``credit_platform.privacy.address_pseudonym``) in the lockout log."""

    return address_pseudonym(client_ip(request))


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate(group: str) -> tuple[int, int]:
    """``(count, seconds)`` of the group's setting, e.g. ``"120/m"`` → ``(120, 60)``, ``"5/10m"`` → ``(5, 600)``."""
    count, period = getattr(settings, RATE_SETTINGS[group]).split("/")
    unit = PERIODS[period[-1]]
    return int(count), unit * int(period[:-1] or 1)


@dataclass(frozen=True)
class Limit:
    retry_after: int


@dataclass(frozen=True)
class Budget:
    """One fixed-window counter: ``limit`` requests per ``period`` seconds for one client in one group. Windows are
    staggered per client (an offset from the client's hash), so every client's budget does not reset in the same
    second."""

    group: str
    limit: int
    key: str
    window_end: int

    def limit_for(self, count: int, now: int) -> Limit | None:
        return Limit(retry_after=max(self.window_end - now, 1)) if count > self.limit else None


def budgets(request, group: str, key: str | None = None) -> list[Budget]:
    """The counters one request of ``group`` bumps: its own and those counted alongside (``ALSO_COUNTED``), for the
    client's address — or for ``key`` (e.g. the keyed hash of an identity tried, whatever address it comes from).
    None with ``RATELIMIT_ENABLE`` off (a load test on a staging copy); django-axes' login lockout is separate."""
    if not settings.RATELIMIT_ENABLE:
        return []
    ident = client_ip(request) if key is None else key
    now = int(time.time())
    found = []
    for name in (group, *ALSO_COUNTED.get(group, ())):
        limit, period = _rate(name)
        digest = hashlib.blake2b(f"{name}\x1f{period}\x1f{ident}".encode(), digest_size=12).hexdigest()
        offset = int(digest[:8], 16) % period
        window_end = now - (now - offset) % period + period
        found.append(Budget(name, limit, f"rl:{name}:{window_end}:{digest}", window_end))
    return found


def counter_cache():
    return caches["default"]


def redis_client(cache):
    """The redis-py client behind Django's built-in ``RedisCache`` (``cache._cache`` is its documented-in-source
    ``RedisCacheClient``; one server here), or None for any other backend."""
    return cache._cache.get_client(write=True) if isinstance(cache, RedisCache) else None


def queue_counts(pipe, cache, found: list[Budget], now: int) -> None:
    """Add each budget's count to a Redis pipeline: create the counter for its window (``SET NX EX``), then
    ``INCR`` it — two commands a budget, no round trip of their own."""
    for budget in found:
        full_key = cache.make_and_validate_key(budget.key)
        pipe.set(full_key, 0, ex=max(budget.window_end - now, 1) + 1, nx=True)
        pipe.incr(full_key)


def limit_from_counts(found: list[Budget], replies: list, now: int) -> Limit | None:
    """The first budget over its limit, from the replies of ``queue_counts`` (every second one is a count)."""
    for budget, count in zip(found, replies[1::2], strict=True):
        limit = budget.limit_for(int(count), now)
        if limit is not None:
            return limit
    return None


def count(found: list[Budget]) -> Limit | None:
    """Bump the counters: one pipelined round trip on Redis, ``add`` + ``incr`` per budget on another cache."""
    cache, now = counter_cache(), int(time.time())
    client = redis_client(cache)
    if client is not None:
        pipe = client.pipeline(transaction=False)
        queue_counts(pipe, cache, found, now)
        return limit_from_counts(found, pipe.execute(), now)
    for budget in found:
        cache.add(budget.key, 0, max(budget.window_end - now, 1) + 1)
        try:
            count = cache.incr(budget.key)
        except ValueError:  # evicted between add and incr (a full file or local-memory cache): count afresh
            cache.set(budget.key, 1, max(budget.window_end - now, 1) + 1)
            count = 1
        limit = budget.limit_for(count, now)
        if limit is not None:
            return limit
    return None


def cache_down(exc: Exception, group: str) -> Limit | None:
    """What a request gets when the counters cannot be reached (see the module doc): let through or refused."""
    fail_open = bool(settings.RATELIMIT_FAIL_OPEN)
    log.warning("rate-limit cache unreachable (%s): %s request let through uncounted" if fail_open
                else "rate-limit cache unreachable (%s): %s request refused (RATELIMIT_FAIL_OPEN off)",
                exc.__class__.__name__, group)
    return None if fail_open else Limit(retry_after=CACHE_DOWN_RETRY_AFTER)


def hit(request, group: str, *, key: str | None = None) -> Limit | None:
    """Count one request of ``group`` (and of the groups counted alongside it, ``ALSO_COUNTED``) for the client — or
    for ``key``, e.g. the keyed hash of an identity tried, counted whatever address it comes from; the ``Limit`` of
    the first budget it is over, else None.

    The cache down: None (uncounted) when ``RATELIMIT_FAIL_OPEN``, else a ``Limit`` (refused) — see the module doc."""
    if group in getattr(request, "rate_limits_counted", ()):  # the public page cache counted it already
        return request.rate_limits_counted[group]
    try:
        found = budgets(request, group, key)
        return count(found) if found else None
    except Exception as exc:  # redis.ConnectionError, TimeoutError, OSError …: whatever the cache backend raises
        return cache_down(exc, group)


def _wants_json(request) -> bool:
    if request.path.startswith("/api/"):
        return True
    accept = request.META.get("HTTP_ACCEPT", "")
    return "application/json" in accept and "text/html" not in accept


def too_many_requests(request, limit: Limit):
    """The 429 answer: the API's error shape for JSON clients, the portal's Chinese page otherwise."""
    message = f"请求过于频繁，请 {limit.retry_after} 秒后再试。"
    if _wants_json(request):
        response = JsonResponse({"code": "throttled", "message": f"{message} / too many requests, retry in "
                                 f"{limit.retry_after} s", "fields": {}}, status=429)
    else:
        response = render(request, "429.html", {"retry_after": limit.retry_after, "message": message}, status=429)
    response["Retry-After"] = str(limit.retry_after)
    return response


@dataclass(frozen=True)
class RateLimit:
    """What ``rate_limited`` counts, kept on the view it decorates (``PublicPageCacheMiddleware`` counts it early)."""

    group: str
    methods: tuple[str, ...] | None = None
    when: object = None

    def counts(self, request) -> bool:
        return (self.methods is None or request.method in self.methods) and (self.when is None or self.when(request))


def rate_limited(group: str, *, methods: tuple[str, ...] | None = None, when=None):
    """Decorate a view: count requests of ``methods`` (all when None) for which ``when(request)`` holds (always when
    None) against ``group``'s rate; over it, answer 429 without running the view."""
    rate = RateLimit(group, methods, when)

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if rate.counts(request):
                limit = hit(request, group)
                if limit is not None:
                    return too_many_requests(request, limit)
            return view(request, *args, **kwargs)

        wrapped.rate_limit = rate
        return wrapped

    return decorate


class GroupThrottle(BaseThrottle):
    """DRF throttle on the same counters as the portal (DRF answers 429 with Retry-After in the API error shape)."""

    group = ""

    def allow_request(self, request, view):
        self._limit = hit(request._request if hasattr(request, "_request") else request, self.group)
        return self._limit is None

    def wait(self):
        limit = getattr(self, "_limit", None)
        return limit.retry_after if limit else None

    def get_ident(self, request):
        return client_ip(request)


class SearchThrottle(GroupThrottle):
    """The public search API shares the portal search's budget (``RATELIMIT_SEARCH``, and ``RATELIMIT_BULK``)."""

    group = "search"


class BrowseThrottle(GroupThrottle):
    """The public subject API shares the subject pages' budget (``RATELIMIT_BROWSE``, and ``RATELIMIT_BULK``)."""

    group = "browse"


class CommentThrottle(GroupThrottle):
    """Anonymous comments on draft catalogs through the API share the portal form's budget (``RATELIMIT_COMMENT``)."""

    group = "comment"


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout page (``AXES_LOCKOUT_CALLABLE``) with ``Retry-After``: the cool-off in seconds, as every
    other 429 of the platform says when to come back."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }, status=429)
    if cool_off:
        response["Retry-After"] = str(max(1, int(cool_off.total_seconds())))
    return response
