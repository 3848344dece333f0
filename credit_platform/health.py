"""Health probes used by ``GET /healthz``: the database, the broker and the working-day calendar."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import connection


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
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        return {"ok": True, "transport": scheme}
    except Exception as exc:
        return {"ok": False, "transport": scheme, "error": exc.__class__.__name__}


def check_calendar() -> dict:
    from credit_platform import workdays

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
    from credit_platform.models import WorkerHeartbeat

    try:
        last = WorkerHeartbeat.objects.order_by("-received_at").values_list("received_at", flat=True).first()
    except Exception as exc:
        return {"last_heartbeat": None, "error": exc.__class__.__name__}
    return {"last_heartbeat": last.isoformat() if last else None}


def health_report() -> tuple[dict, int]:
    database = check_database()
    report = {"database": database, "broker": check_broker(), "calendar": check_calendar() if database["ok"] else None}
    report["status"] = "ok" if all(part and part["ok"] for part in report.values()) else "degraded"
    report["worker"] = check_worker() if database["ok"] else None
    # The platform works (records, objections, repairs are accepted) while the database works: 200.
    return report, (200 if database["ok"] else 503)
