"""Rate limits per client IP on the public search, the logins and report verification (django-ratelimit).

Counters live in the shared cache (``settings.CACHES``: Redis in production), so every gunicorn worker counts
against the same budget. Rates come from settings (``RATELIMIT_SEARCH``, ``RATELIMIT_LOGIN``,
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
import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage
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


def _ip_key(group, request) -> str:
    return client_ip(request)


def _rate(group: str) -> str:
    return getattr(settings, RATE_SETTINGS[group])


@dataclass(frozen=True)
class Limit:
    retry_after: int


def hit(request, group: str, *, key: str | None = None) -> Limit | None:
    """Count one request of ``group`` (and of the groups counted alongside it, ``ALSO_COUNTED``) for the client — or
    for ``key``, e.g. the keyed hash of an identity tried, counted whatever address it comes from; the ``Limit`` of
    the first budget it is over, else None.

    The cache down: None (uncounted) when ``RATELIMIT_FAIL_OPEN``, else a ``Limit`` (refused) — see the module doc."""
    for name in (group, *ALSO_COUNTED.get(group, ())):
        limit = _hit_one(request, name, key)
        if limit is not None:
            return limit
    return None


def _hit_one(request, group: str, key: str | None) -> Limit | None:
    key_func = _ip_key if key is None else (lambda _group, _request: key)
    try:
        usage = get_usage(request, group=group, key=key_func, rate=_rate(group), increment=True)
    except Exception as exc:  # redis.ConnectionError, TimeoutError, OSError …: whatever the cache backend raises
        fail_open = bool(settings.RATELIMIT_FAIL_OPEN)
        log.warning("rate-limit cache unreachable (%s): %s request let through uncounted" if fail_open
                    else "rate-limit cache unreachable (%s): %s request refused (RATELIMIT_FAIL_OPEN off)",
                    exc.__class__.__name__, group)
        return None if fail_open else Limit(retry_after=CACHE_DOWN_RETRY_AFTER)
    if usage is None or not usage["should_limit"]:
        return None
    return Limit(retry_after=max(int(usage["time_left"]), 1))


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


def rate_limited(group: str, *, methods: tuple[str, ...] | None = None, when=None):
    """Decorate a view: count requests of ``methods`` (all when None) for which ``when(request)`` holds (always when
    None) against ``group``'s rate; over it, answer 429 without running the view."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            counted = (methods is None or request.method in methods) and (when is None or when(request))
            if counted:
                limit = hit(request, group)
                if limit is not None:
                    return too_many_requests(request, limit)
            return view(request, *args, **kwargs)

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
