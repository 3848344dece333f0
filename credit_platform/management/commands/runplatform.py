"""Start the whole platform for a laptop: web server, Celery worker and beat; Ctrl-C stops all three.

The worker runs with the solo pool (one process), which suits the embedded SQLite database and the
filesystem broker. Production runs gunicorn, workers and exactly one beat as separate services
(docker-compose.yml).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from credit_platform.broker import ensure_filesystem_broker_dirs
from credit_platform.demo import demo_logins_text


class Command(BaseCommand):
    help = "启动 Web、Celery worker 和 beat（本地开发）/ start web, Celery worker and beat together."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="host:port for the web server (make run PORT=…)")
        parser.add_argument(
            "--startup-timeout", type=float, default=60.0,
            help="seconds to wait for the web server to answer before giving up",
        )

    def handle(self, addr, startup_timeout, **options):
        host, port = split_addr(addr)
        if not port_is_free(host, port):
            raise CommandError(
                f"端口 {port} 已被占用，平台未启动。请换一个端口：make run PORT=8080 / "
                f"port {port} on {host} is already in use; nothing was started (try make run PORT=8080)."
            )
        ensure_filesystem_broker_dirs()
        python = sys.executable
        manage = os.path.join(settings.BASE_DIR, "manage.py")
        beat_schedule = os.path.join(settings.VAR_DIR, "celerybeat-schedule")
        commands = {
            "web": [python, manage, "runserver", addr, "--noreload"],
            "worker": [python, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"],
            "beat": [
                python, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
                "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler", "--schedule", beat_schedule,
            ],
        }
        processes: dict[str, subprocess.Popen] = {}
        # Children get their own process group so one Ctrl-C here is handled once, by us.
        for name, cmd in commands.items():
            processes[name] = subprocess.Popen(cmd, cwd=settings.BASE_DIR, start_new_session=True)

        failed = self._wait_until_serving(processes, host, port, startup_timeout)
        if failed:
            self._stop_all(processes)
            raise CommandError(f"{failed}，平台未启动 / the platform did not start.")

        base = f"http://{addr}"
        self.stdout.write(self.style.SUCCESS("\n公共信用信息平台已启动 / the platform is running:"))
        for label, path in (
            ("门户 portal", "/"), ("管理后台 admin", "/admin/"), ("健康检查 health", "/healthz"),
            ("接口文档 API docs", "/api/docs/"), ("OpenAPI schema", "/api/schema/"),
        ):
            self.stdout.write(f"  {label:<18} {base}{path}")

        self.stdout.write(demo_logins_text())
        self.stdout.write("按 Ctrl-C 停止全部进程 / press Ctrl-C to stop everything.\n")

        stopping = False
        crashed: str | None = None

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, proc in processes.items():
                    if proc.poll() is not None:
                        crashed = f"{name} 进程已退出（退出码 {proc.returncode}）/ {name} exited with {proc.returncode}"
                        self.stderr.write(f"{crashed}; stopping the others.")
                        stopping = True
                        break
                time.sleep(0.5)
        finally:
            self._stop_all(processes)
            self.stdout.write("已停止 / stopped.")
        if crashed:
            # An operator's supervisor (or a shell script) must see that the platform died, not a clean exit.
            raise CommandError(crashed)

    def _wait_until_serving(self, processes, host: str, port: int, timeout: float) -> str | None:
        """Wait until the web server accepts connections; return why not if a process died or time ran out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in processes.items():
                if proc.poll() is not None:
                    return f"{name} 进程启动失败（退出码 {proc.returncode}）/ {name} exited with {proc.returncode}"
            if not port_is_free(host, port):
                return None
            time.sleep(0.3)
        return f"Web 服务 {timeout:.0f} 秒内未响应 / the web server did not answer within {timeout:.0f} s"

    @staticmethod
    def _stop_all(processes) -> None:
        for proc in processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def split_addr(addr: str) -> tuple[str, int]:
    """``"8000"``, ``"127.0.0.1:8000"`` or ``"[::1]:8000"`` → (host, port), as runserver reads it."""
    host, _, port = addr.rpartition(":")
    host = (host or "127.0.0.1").strip("[]")
    try:
        return host, int(port)
    except ValueError:
        raise CommandError(f"地址格式应为 host:port / --addr must be host:port, not {addr!r}") from None


def port_is_free(host: str, port: int) -> bool:
    """True when nothing accepts connections on (host, port): a connect that is refused."""
    connect_host = "127.0.0.1" if host in ("0.0.0.0", "") else ("::1" if host == "::" else host)
    try:
        with socket.create_connection((connect_host, port), timeout=0.5):
            return False
    except OSError:
        return True
