"""Start the whole platform for a laptop: web server, Celery worker and beat; Ctrl-C stops all three.

The worker runs with the solo pool (one process), which suits the embedded SQLite database and the
filesystem broker. Production runs gunicorn, workers and exactly one beat as separate services
(docker-compose.yml).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from credit_platform.celery import ensure_filesystem_broker_dirs


class Command(BaseCommand):
    help = "启动 Web、Celery worker 和 beat（本地开发）/ start web, Celery worker and beat together."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, addr, **options):
        ensure_filesystem_broker_dirs()
        python = sys.executable
        manage = os.path.join(settings.BASE_DIR, "manage.py")
        beat_schedule = os.path.join(settings.VAR_DIR, "celerybeat-schedule")
        commands = {
            "web": [python, manage, "runserver", addr, "--noreload"],
            "worker": [python, "-m", "celery", "-A", "credit_platform", "worker", "--pool=solo", "--loglevel=INFO"],
            "beat": [
                python, "-m", "celery", "-A", "credit_platform", "beat", "--loglevel=INFO",
                "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler", "--schedule", beat_schedule,
            ],
        }
        processes: dict[str, subprocess.Popen] = {}
        # Children get their own process group so one Ctrl-C here is handled once, by us.
        for name, cmd in commands.items():
            processes[name] = subprocess.Popen(cmd, cwd=settings.BASE_DIR, start_new_session=True)

        base = f"http://{addr}"
        self.stdout.write(self.style.SUCCESS("\n公共信用信息平台已启动 / the platform is running:"))
        for label, path in (
            ("门户 portal", "/"), ("管理后台 admin", "/admin/"), ("健康检查 health", "/healthz"),
            ("接口文档 API docs", "/api/docs/"), ("OpenAPI schema", "/api/schema/"),
        ):
            self.stdout.write(f"  {label:<18} {base}{path}")
        from credit_platform.demo import demo_logins_text

        self.stdout.write(demo_logins_text())
        self.stdout.write("按 Ctrl-C 停止全部进程 / press Ctrl-C to stop everything.\n")

        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, proc in processes.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} exited with {proc.returncode}; stopping the others.")
                        stopping = True
                        break
                time.sleep(0.5)
        finally:
            for proc in processes.values():
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            for proc in processes.values():
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
            self.stdout.write("已停止 / stopped.")
