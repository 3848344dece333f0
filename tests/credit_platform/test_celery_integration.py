"""A real Celery worker, started as its own process against the configured broker (Redis in CI, the
filesystem broker on a laptop), runs a task sent through the broker and writes to the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from credit_platform.broker import ensure_filesystem_broker_dirs
from credit_platform.models import WorkerHeartbeat
from credit_platform.tasks import heartbeat

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.celery_integration, pytest.mark.django_db(transaction=True)]


def worker_environment() -> dict[str, str]:
    """The worker must use the database pytest-django created, not the configured one."""
    env = dict(os.environ)
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(db["NAME"])
    else:
        auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
        env["DATABASE_URL"] = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    env["CREDIT_VAR_DIR"] = str(settings.VAR_DIR)
    return env


def start_worker(queue: str, *, app: str = "config", env: dict[str, str] | None = None) -> subprocess.Popen:
    """A real ``celery worker`` process (one task at a time) consuming only ``queue``, on the test database."""
    ensure_filesystem_broker_dirs()
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", app, "worker", "--pool=solo", "-Q", queue,
         "-n", f"{queue}-{uuid.uuid4().hex[:4]}@%h", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env={**worker_environment(), **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def celery_worker_process():
    queue = f"test-{uuid.uuid4().hex[:8]}"  # a private queue: no other worker can take our task
    proc = start_worker(queue)
    yield queue, proc
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_task_sent_through_the_broker_runs_in_a_real_worker_and_writes(celery_worker_process):
    queue, proc = celery_worker_process
    marker = f"integration-{uuid.uuid4().hex}"
    heartbeat.apply_async(kwargs={"worker": marker}, queue=queue)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if WorkerHeartbeat.objects.filter(worker=marker).exists():
            break
        if proc.poll() is not None:
            pytest.fail(f"worker exited early:\n{proc.stdout.read()}")
        time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail(f"the worker did not run the task within 90 s:\n{proc.communicate(timeout=15)[0]}")
    assert WorkerHeartbeat.objects.get(worker=marker).received_at is not None
