"""Anonymous public reads at cache speed: a shared page cache keyed by version tokens, with HTTP validators.

A public page (the subject page, the search, their API mirrors) is the same for every anonymous visitor, so it is
rendered once and kept in the ``public`` cache (``settings.CACHES["public"]``: Redis when ``CACHE_URL`` points at
it, files under ``var/cache/public`` by default, locmem in tests). Nothing is ever stale, because nothing is ever
*updated* in place: a page is stored under a key made of

* the view's scope (e.g. ``subject-page:<code>``, ``search:<q>:<page>``),
* the current **version token** of every name the page depends on (``all``, ``subject:<code>``, ``search``) and
* the day (public pages filter on today's date) and the active language,

and a change *bumps* the versions it touches (``bump``): the next request computes a new key, misses, renders
fresh. Old entries are never read again and expire (``PUBLIC_CACHE_SECONDS``). A version that the cache has lost
(eviction, restart) is recreated with a fresh random token, so a lost version can never resurrect an old page.

Ordering makes this race-free: a request reads the versions *before* it reads the database, and changes bump
*after* their transaction commits (``bump_on_commit``; it bumps once before too). A request that read the old data therefore also read the
old version and stores its page with the old digest, which no later request accepts.

The same key is the page's ``ETag`` and the newest bump its ``Last-Modified``: a conditional GET whose
``If-None-Match`` matches is answered ``304 Not Modified`` from the version lookup alone, without the database.

Only anonymous reads are shared: a request with a session or messages cookie or an ``Authorization`` header goes
straight to the view (its page may show the visitor's name, messages or a CSRF token); a response that sets a
cookie, used the CSRF token or is not 200 is never stored. Stored and conditional answers carry ``Vary: Cookie`` and
``Cache-Control: public, max-age=0, must-revalidate`` so a proxy in front keeps them apart from signed-in pages and
revalidates every time. Decorate *inside* the rate limit (``credit_platform.ratelimits.rate_limited`` outermost; DRF
throttles run before the method), so cached pages still count against every client's budget.

Two doors serve the same pages. ``PublicPageCacheMiddleware`` (second in ``MIDDLEWARE``) answers the portal's pages
— the function views carrying ``public_page`` — before the rest of the stack, in one Redis round trip together with
the rate limits: that is what makes a hit cheap (≈1 ms of CPU, ``bench/public_reads.py``). The decorator itself
serves the DRF mirrors (``method_decorator``: DRF negotiates the format first) and any request the middleware left
alone.

With the cache unreachable the view renders as if there were no cache (logged once per failure).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import time
from datetime import datetime, time as dtime
from email.utils import formatdate

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags

from credit_platform import ratelimits

log = logging.getLogger(__name__)

ALIAS = "public"
VERSION_PREFIX = "v:"
PAGE_PREFIX = "p:"
ALL = "all"  # every public page depends on it (catalog items, departments: names shown on every page)


def _cache():
    """The ``public`` cache; the default one where settings declare no other (a deployment's own CACHES)."""
    return caches[ALIAS if ALIAS in settings.CACHES else "default"]


def enabled() -> bool:
    return bool(settings.PUBLIC_CACHE_ENABLE)


def _new_token() -> str:
    # the bump's time (Last-Modified) and randomness (two bumps in the same microsecond still differ)
    return f"{time.time():.6f}-{secrets.token_hex(6)}"


def versions(names: list[str], *also: str) -> tuple[list[str], dict]:
    """The current token of each name, creating those the cache does not hold (atomic ``add``: concurrent creators
    agree on one token); and the values of the keys ``also``, read in the same round trip."""
    cache = _cache()
    keys = [VERSION_PREFIX + n for n in names]
    found = cache.get_many([*keys, *also])
    missing = [k for k in keys if k not in found]
    if missing:
        for key in missing:
            cache.add(key, _new_token(), None)
        found.update(cache.get_many(missing))
    # a cache that dropped the key again between add and get (full file cache): a token nobody else will use
    return [found.get(k) or _new_token() for k in keys], {k: found[k] for k in also if k in found}


def bump(names) -> None:
    """Give each name a new version now: every page that depends on one of them is rendered afresh."""
    names = sorted(set(names))
    if not names or not enabled():
        return
    try:
        _cache().set_many({VERSION_PREFIX + n: _new_token() for n in names}, None)
    except Exception as exc:  # noqa: BLE001 - redis.ConnectionError, OSError …: the pages' own expiry bounds what is left behind
        log.error("public cache unreachable (%s): %d version(s) not bumped", exc.__class__.__name__, len(names))


def bump_on_commit(names) -> None:
    """Bump now and again after the current transaction commits: the bump after commit is the one that counts (a
    reader that saw the old data saw the old version, so it can never store the old data under the new one); the
    bump now lets the writing process — and a test inside one transaction — read its own change at once (a page
    rendered between the two is stored under a version the commit replaces)."""
    names = sorted(set(names))
    if names:
        bump(names)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: bump(names))


def anonymous(request) -> bool:
    """A read that no visitor-specific state can reach: GET, no session or messages cookie, no credentials."""
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def _storable(request, response) -> bool:
    return (response.status_code == 200 and not response.cookies and not response.has_header("Set-Cookie")
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def _last_modified(tokens: list[str]) -> float:
    start_of_day = timezone.make_aware(datetime.combine(timezone.localdate(), dtime.min)).timestamp()
    stamps = [start_of_day]
    for token in tokens:
        try:
            stamps.append(float(token.split("-", 1)[0]))
        except ValueError:
            continue
    return max(stamps)


def _validators(response, etag: str, last_modified: float):
    response["ETag"] = etag
    response["Last-Modified"] = formatdate(last_modified, usegmt=True)
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def _representation(request) -> str:
    renderer = getattr(request, "accepted_renderer", None)  # a DRF request: the negotiated format
    return getattr(renderer, "format", "") or "html"


def _page_key(request, key: str) -> str:
    """Where a page is stored: its scope, the representation and the language the visitor gets (asked of the
    request, not of the active translation: the middleware looks before ``LocaleMiddleware`` activates it)."""
    return PAGE_PREFIX + hashlib.blake2b("\x1f".join([
        key, _representation(request), translation.get_language_from_request(request) or "",
    ]).encode(), digest_size=16).hexdigest()


def _page_digest(page_key: str, names: list[str], tokens: list[str]) -> str:
    return hashlib.blake2b("\x1f".join([
        page_key, timezone.localdate().isoformat(), *names, *tokens,
    ]).encode(), digest_size=16).hexdigest()


def public_page(scope):
    """Decorate a public read view (a function view, or a DRF method through ``method_decorator``).

    ``scope(request, *args, **kwargs)`` returns ``(key, names)``: what identifies the page among the view's pages and
    the version names it depends on (``ALL`` is added), or ``None`` when this request is not cached (bad input).

    A function view's hits are answered earlier, by ``PublicPageCacheMiddleware`` (it finds ``scope`` on the view);
    when the middleware has looked the page up and missed, the view renders and the middleware stores the page."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if getattr(request, "public_page_pending", None) is not None:  # the middleware missed; it stores
                return view(request, *args, **kwargs)
            if not enabled() or not anonymous(request):
                return view(request, *args, **kwargs)
            described = scope(request, *args, **kwargs)
            if described is None:
                return view(request, *args, **kwargs)
            key, names = described
            names = [ALL, *names]
            # One round trip: the versions and the page last stored for this scope (with the versions it was
            # rendered under). Readers compare, so an entry stored late by a request that read older data is
            # simply not used.
            page_key = _page_key(request, key)
            try:
                cache = _cache()
                tokens, found = versions(names, page_key)
            except Exception as exc:  # noqa: BLE001 - redis.ConnectionError, OSError …: render as if there were no cache
                log.warning("public cache unreachable (%s): %s rendered uncached", exc.__class__.__name__, key)
                return view(request, *args, **kwargs)
            digest = _page_digest(page_key, names, tokens)
            etag, last_modified = f'"{digest}"', _last_modified(tokens)
            if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
                return _validators(HttpResponseNotModified(), etag, last_modified)
            stored = found.get(page_key)
            if stored is not None and stored[0] == digest:
                return _validators(_rebuild(stored[1]), etag, last_modified)
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                entry = _entry(response)
                if entry is not None:
                    _quietly(cache.set, page_key, (digest, entry), settings.PUBLIC_CACHE_SECONDS)
                    _validators(response, etag, last_modified)
            return response

        wrapped.public_page_scope = scope
        return wrapped

    return decorate


class PublicPageCacheMiddleware:
    """Answer an anonymous read of a cached public page before the rest of the middleware stack and the view.

    Placed right after ``SecurityMiddleware`` (which still redirects plain HTTP and adds its headers to every
    answer): a hit needs none of the others — the policy headers, sessions, language, CSRF, the user, the second
    factor. For a URL whose view is decorated with ``public_page`` (and ``ratelimits.rate_limited``), one cache
    round trip counts the client's rate-limit budgets and reads the page's versions and the stored page
    (``ratelimits.queue_counts``: one Redis pipeline when the counters and the pages share a Redis server). A hit:
    the stored page with the headers the rest of the stack gave it when it was rendered (CSP, Permissions-Policy,
    X-Frame-Options, Content-Language …) and its validators, or 304. A miss: the request goes down the whole stack,
    the view renders, and the page is stored here with those headers. Over budget, signed in, a cookie, not such a
    view: down the whole stack, where the decorators answer (429 from ``rate_limited`` with the count made here)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        target = self._public_page(request)
        if target is None:
            return self.get_response(request)
        match, key, names = target
        rate = getattr(match.func, "rate_limit", None)
        counted = rate is not None and rate.counts(request)
        found_budgets = ratelimits.budgets(request, rate.group) if counted else []
        page_key = _page_key(request, key)
        version_keys = [VERSION_PREFIX + n for n in names]
        try:
            limit, values = _count_and_read(found_budgets, [*version_keys, page_key])
        except Exception as exc:  # noqa: BLE001 - redis.ConnectionError, OSError …: the stack below copes on its own
            log.warning("public cache unreachable (%s): %s left to the view", exc.__class__.__name__, key)
            return self.get_response(request)
        if counted:
            request.rate_limits_counted = {rate.group: limit}
            if limit is not None:  # refused below by ``rate_limited``, with the page's whole stack of headers
                return self.get_response(request)
        tokens, stored = values[:-1], values[-1]
        if any(token is None for token in tokens):  # a version never created yet (or evicted): create it
            try:
                tokens, _ = versions(names)
            except Exception as exc:  # noqa: BLE001 - as above
                log.warning("public cache unreachable (%s): %s left to the view", exc.__class__.__name__, key)
                return self.get_response(request)
        digest = _page_digest(page_key, names, tokens)
        etag, last_modified = f'"{digest}"', _last_modified(tokens)
        if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
            return _validators(HttpResponseNotModified(), etag, last_modified)
        if stored is not None and stored[0] == digest and stored[1][0] == "page":
            return _validators(_rebuild(stored[1]), etag, last_modified)
        request.public_page_pending = page_key
        response = self.get_response(request)
        if _storable(request, response) and not getattr(response, "streaming", False):
            entry = ("page", response.status_code,
                     [(k, v) for k, v in response.items() if k.lower() not in UNSTORED_HEADERS], response.content)
            _quietly(_cache().set, page_key, (digest, entry), settings.PUBLIC_CACHE_SECONDS)
            _validators(response, etag, last_modified)
        return response

    @staticmethod
    def _public_page(request):
        """``(match, key, names)`` for an anonymous read of a ``public_page`` function view; else None."""
        if not enabled() or not anonymous(request):
            return None
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
        scope = getattr(match.func, "public_page_scope", None)
        described = None if scope is None else scope(request, *match.args, **match.kwargs)
        if described is None:
            return None
        key, names = described
        return match, key, [ALL, *names]


# Headers not kept with a stored page: recomputed (length), per response (date, validators) or never shared (cookies).
UNSTORED_HEADERS = {"content-length", "date", "etag", "last-modified", "set-cookie"}


def _count_and_read(found_budgets, keys: list[str]):
    """Bump the rate-limit counters and read ``keys`` from the public cache: ``(Limit | None, values)``. One
    pipelined round trip when both caches are Redis on the same server (the default deployment), else two calls."""
    cache, counters = _cache(), ratelimits.counter_cache()
    client = ratelimits.redis_client(counters)
    if client is not None and _same_redis(cache, counters):
        now = int(time.time())
        pipe = client.pipeline(transaction=False)
        ratelimits.queue_counts(pipe, counters, found_budgets, now)
        pipe.mget([cache.make_and_validate_key(k) for k in keys])
        replies = pipe.execute()
        loads = cache._cache._serializer.loads  # the serializer Django's RedisCache stores values with
        values = [None if raw is None else loads(raw) for raw in replies[-1]]
        return ratelimits.limit_from_counts(found_budgets, replies[:-1], now), values
    limit = ratelimits.count(found_budgets) if found_budgets else None
    found = cache.get_many(keys)
    return limit, [found.get(k) for k in keys]


def _same_redis(cache, other) -> bool:
    return isinstance(cache, RedisCache) and isinstance(other, RedisCache) and cache._servers == other._servers


def _quietly(operation, *args):
    """A page read or write that a cache going away mid-request turns into a miss, not a 500."""
    try:
        return operation(*args)
    except Exception as exc:  # noqa: BLE001 - redis.ConnectionError, OSError …
        log.warning("public cache unreachable (%s): page %s skipped", exc.__class__.__name__, operation.__name__)
        return None


def _entry(response):
    """What to keep of a response: a DRF response's data (rendered per request by the negotiated renderer), any
    other response's bytes and content type."""
    if hasattr(response, "data") and getattr(response, "is_rendered", True) is False:
        return ("data", type(response), response.status_code, response.data)
    if getattr(response, "streaming", False):
        return None
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return ("bytes", response.status_code, response["Content-Type"], response.content)


def _rebuild(entry):
    if entry[0] == "page":
        _, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response
    if entry[0] == "data":
        _, cls, status, data = entry
        return cls(data, status=status)
    _, status, content_type, content = entry
    return HttpResponse(content, status=status, content_type=content_type)
