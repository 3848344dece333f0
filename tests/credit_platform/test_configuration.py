"""Settings from the environment: safe defaults, one-line errors for bad configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "CREDIT_POLICY"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_locale_and_time_zone():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"


@pytest.mark.django_db
def test_chinese_is_the_only_language_offered(client):
    """There are no English texts, so none is offered: a browser asking for English, or a switch to English through
    /i18n/setlang/, still gets the Chinese pages."""
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans"]
    response = client.get("/rules/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200 and response["Content-Language"] == "zh-hans"
    client.post("/i18n/setlang/", {"language": "en", "next": "/rules/"})
    assert client.get("/rules/")["Content-Language"] == "zh-hans"


def test_production_security_when_debug_is_off():
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS >= 31536000
    assert settings.SECURE_CONTENT_TYPE_NOSNIFF


def test_default_secret_key_is_refused_without_debug():
    result = run_manage("check", DEBUG="false", SQLITE_PATH="/tmp/credit-check.sqlite3")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_development_key_is_refused_even_if_set_explicitly():
    from config.settings import DEV_SECRET_KEY

    result = run_manage("check", DEBUG="false", SECRET_KEY=DEV_SECRET_KEY)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_malformed_database_url_gives_one_clear_line():
    result = run_manage("check", DEBUG="true", DATABASE_URL="nosuchdb://what")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_policy_stops_startup_with_one_line():
    result = run_manage("check", DEBUG="true", CREDIT_POLICY="atlantis", SQLITE_PATH="/tmp/credit-check.sqlite3")
    assert result.returncode != 0
    assert "atlantis" in result.stderr and "karamay" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_bad_boolean_is_a_clear_error(value):
    result = run_manage("check", DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.skipif(bool(os.environ.get("CELERY_BROKER_URL")), reason="a broker is configured for this run")
def test_filesystem_broker_is_the_embedded_default():
    assert settings.CELERY_BROKER_URL == "filesystem://"
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]


SQLITE_WRITERS = """
import threading, time
import django
django.setup()
from django.db import connection, transaction
with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS lock_probe (x integer)")
holding = threading.Event()
def other_process_writing():  # a worker's transaction, committed while ours has read
    with transaction.atomic():
        with connection.cursor() as c:
            c.execute("INSERT INTO lock_probe VALUES (1)")
        holding.set()
        time.sleep(0.5)
other = threading.Thread(target=other_process_writing)
other.start()
holding.wait()
with transaction.atomic():  # read, then write: what the sweeps and the demo loader do
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM lock_probe")
        c.execute("INSERT INTO lock_probe VALUES (2)")
other.join()
print("both wrote")
"""


def test_embedded_sqlite_lets_concurrent_writers_wait_instead_of_failing(tmp_path):
    """`make run` runs web, worker and beat on one SQLite file. A transaction that reads and then writes while
    another commits must wait for the lock, not fail with "database is locked" (it did at start-up: beat entries
    not added, the sanctions catch-up failed) — transactions begin IMMEDIATE."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    clean.update(DEBUG="true", SQLITE_PATH=str(tmp_path / "probe.sqlite3"), DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run([sys.executable, "-c", SQLITE_WRITERS], cwd=ROOT, env=clean, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("both wrote")
