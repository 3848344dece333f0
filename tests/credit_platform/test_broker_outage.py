"""A real broker outage: a private Redis server is started, stopped and started again under a real worker.

The platform keeps working while the broker is down (/healthz says so, requests that would send tasks still
succeed), and after Redis returns the worker reconnects and runs what is sent. Uses its own redis-server on a
free port so the shared Redis of the machine is never touched.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import uuid

import pytest
from django.test import override_settings

from credit_platform.models import WorkerHeartbeat
from tests.credit_platform.test_celery_integration import ROOT, worker_environment

pytestmark = [
    pytest.mark.celery_integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]

MONITOR_TOKEN = "internal-monitor-token-for-tests"  # /healthz details need it (anonymous: ok/degraded only)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    def __init__(self, port: int):
        self.port, self.proc = port, None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def _wait_for(marker: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if WorkerHeartbeat.objects.filter(worker=marker).exists():
            return True
        time.sleep(0.3)
    return False


def test_broker_outage_degrades_and_recovers(client, monkeypatch):
    from celery import Celery

    redis = PrivateRedis(_free_port())
    redis.start()
    url = f"redis://127.0.0.1:{redis.port}/0"
    queue = f"outage-{uuid.uuid4().hex[:8]}"
    # Celery lets the CELERY_BROKER_URL environment variable win over ``broker=``: point it at our Redis too.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    producer = Celery("outage-test", broker=url, set_as_current=False)  # the web process's view of the broker
    producer.conf.broker_connection_timeout = 1

    def send(marker: str) -> bool:
        try:
            producer.send_task("credit_platform.heartbeat", kwargs={"worker": marker}, queue=queue,
                               retry=True, retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2})
            return True
        except Exception:
            return False

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue,
         "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=worker_environment() | {"CELERY_BROKER_URL": url}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )
    try:
        before = f"before-{uuid.uuid4().hex}"
        assert send(before)
        if not _wait_for(before):
            worker.terminate()
            pytest.fail(f"the worker did not run a task before the outage:\n{worker.communicate(timeout=15)[0]}")

        redis.stop()
        with override_settings(CELERY_BROKER_URL=url, HEALTHZ_TOKEN=MONITOR_TOKEN):
            health = client.get("/healthz", HTTP_AUTHORIZATION=f"Bearer {MONITOR_TOKEN}")
        assert health.status_code == 200, "the platform must keep serving while the broker is down"
        assert health.json()["broker"]["ok"] is False and health.json()["database"]["ok"] is True
        assert not send("lost")

        redis.start()
        after = f"after-{uuid.uuid4().hex}"
        deadline = time.monotonic() + 30
        while not send(after):
            assert time.monotonic() < deadline, "could not publish after Redis came back"
            time.sleep(0.5)
        assert _wait_for(after, 90), "the worker did not reconnect after the broker came back"
        with override_settings(CELERY_BROKER_URL=url, HEALTHZ_TOKEN=MONITOR_TOKEN):
            assert client.get("/healthz", HTTP_AUTHORIZATION=f"Bearer {MONITOR_TOKEN}").json()["broker"]["ok"] is True
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        redis.stop()
