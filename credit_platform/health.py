"""Health probes used by ``GET /healthz``: the database, the broker, the cache and the working-day calendar.

Anonymous callers (the orchestrator's probe, anyone on the internet) learn only ``{"status": "ok" | "degraded"}``
and the status code; the parts, vendors, transports and error classes are shown to signed-in staff and to callers
presenting ``Authorization: Bearer <HEALTHZ_TOKEN>`` (``details_allowed``) — vendor names help an attacker, not
the public.

The cache (rate-limit counters) being down makes the platform *degraded*, not down: rate limits fail open or
closed as ``RATELIMIT_FAIL_OPEN`` says (``credit_platform.ratelimits``) and every page keeps answering.
"""

from __future__ import annotations

import hmac
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu import Connection

from credit_platform import workdays
from credit_platform.models import WorkerHeartbeat


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}


def check_broker(timeout: float = 2.0) -> dict:
    url = settings.CELERY_BROKER_URL
    scheme = url.split("://", 1)[0]
    if scheme == "filesystem":
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", "")
        ok = bool(folder) and Path(folder).is_dir()
        result = {"ok": ok, "transport": scheme}
        if not ok:
            result["error"] = "broker folder missing (no worker has started yet)"
        return result

    try:
        with Connection(url, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        return {"ok": True, "transport": scheme}
    except Exception as exc:
        return {"ok": False, "transport": scheme, "error": exc.__class__.__name__}


def check_cache() -> dict:
    """Write, read back and delete a throw-away key in the default cache (the shared rate-limit counters)."""
    backend = cache.__class__.__name__
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:  # redis.ConnectionError, TimeoutError, OSError …
        return {"ok": False, "backend": backend, "error": exc.__class__.__name__}
    result = {"ok": ok, "backend": backend}
    if not ok:
        result["error"] = "value written was not read back"
    return result


def check_calendar() -> dict:
    try:
        covered = workdays.covered_until()
    except Exception as exc:  # the table may not exist before migrate
        return {"ok": False, "covered_until": None, "error": exc.__class__.__name__}
    warning = workdays.coverage_warning()
    return {
        "ok": covered is not None,
        "covered_until": covered.isoformat() if covered else None,
        "warning": warning,
    }


def check_worker() -> dict:
    """The latest heartbeat the worker wrote (beat sends one a minute). Informational: never fails the probe."""

    try:
        last = WorkerHeartbeat.objects.order_by("-received_at").values_list("received_at", flat=True).first()
    except Exception as exc:
        return {"last_heartbeat": None, "error": exc.__class__.__name__}
    return {"last_heartbeat": last.isoformat() if last else None}


def health_report() -> tuple[dict, int]:
    database = check_database()
    report = {"database": database, "broker": check_broker(), "cache": check_cache(),
              "calendar": check_calendar() if database["ok"] else None}
    report["status"] = "ok" if all(part and part["ok"] for part in report.values()) else "degraded"
    report["worker"] = check_worker() if database["ok"] else None
    # The platform works (records, objections, repairs are accepted) while the database works: 200.
    return report, (200 if database["ok"] else 503)


def details_allowed(request) -> bool:
    """Staff signed in, or the internal monitoring token (``settings.HEALTHZ_TOKEN``, unset: no token accepted)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    token = settings.HEALTHZ_TOKEN or ""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, given = header.partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def public_report(report: dict) -> dict:
    """What an anonymous caller may know: ok or degraded, nothing about the parts or their vendors."""
    return {"status": report["status"]}
