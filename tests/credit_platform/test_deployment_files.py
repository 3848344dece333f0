"""docker-compose.yml, the Dockerfile, the Makefile and .ci/run start what exists.

Each file is parsed as data (YAML, Dockerfile instructions, make's dry run, shell words) and every Python target it
names — the WSGI application, gunicorn's logger class, the Celery app, beat's scheduler — is resolved against the
code, so a rename breaks this test instead of the deployment. No prose is read.
"""

from __future__ import annotations

import importlib
import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from credit_platform.gunicorn_logging import MaskingLogger

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("postgres", "redis", "web", "worker", "beat")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def dockerfile() -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` pairs, continuation lines joined and comments dropped."""
    instructions, pending = [], ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pending = f"{pending} {line[:-1].strip()}" if line.endswith("\\") else f"{pending} {line}"
        if not line.endswith("\\"):
            keyword, _, args = pending.strip().partition(" ")
            instructions.append((keyword.upper(), args.strip()))
            pending = ""
    return instructions


def option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def resolve(target: str):
    """``module:attribute`` or ``module.Attribute`` → the object."""
    module, _, attribute = target.partition(":") if ":" in target else target.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def test_compose_runs_the_five_services_with_health_checks_and_a_database_volume():
    data = compose()
    services = data["services"]
    assert set(SERVICES) <= set(services)
    assert all("healthcheck" in services[name] for name in SERVICES)
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"] and "pgdata" in data["volumes"]


def test_the_web_command_serves_this_wsgi_application_through_the_masking_logger():
    from config.wsgi import application

    command = compose()["services"]["web"]["command"]
    assert command[0] == "gunicorn"
    assert resolve(command[1]) is application
    assert resolve(option(command, "--logger-class")) is MaskingLogger


def test_the_image_runs_the_same_web_command_as_compose():
    cmd = [json.loads(args) for keyword, args in dockerfile() if keyword == "CMD"]
    assert cmd == [compose()["services"]["web"]["command"]]


def test_worker_and_beat_run_this_celery_app_and_the_database_scheduler():
    from django_celery_beat.schedulers import DatabaseScheduler

    from config.celery import app

    services = compose()["services"]
    for name in ("worker", "beat"):
        command = services[name]["command"]
        assert command[0] == "celery" and importlib.import_module(option(command, "-A")).celery_app is app
    assert resolve(option(services["beat"]["command"], "--scheduler")) is DatabaseScheduler


def test_the_image_installs_the_font_the_reports_embed():
    from disclosure import fonts

    installed = set()
    for keyword, args in dockerfile():
        if keyword == "RUN":
            for step in args.split("&&"):
                words = shlex.split(step)
                if words[:2] == ["apt-get", "install"]:
                    installed.update(word for word in words[2:] if not word.startswith("-"))
    assert "fonts-wqy-microhei" in installed  # Debian's package of fonts.FONT_FAMILY
    assert fonts.FONT_FAMILY == "WenQuanYi Micro Hei"


def test_make_has_the_run_and_test_targets():
    for target in ("run", "test"):
        result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr


def test_ci_runs_make_test():
    script = (ROOT / ".ci" / "run").read_text().replace("\\\n", " ")  # join continuation lines
    commands = [shlex.split(line, comments=True) for line in script.splitlines()]
    assert any(words[:2] == ["make", "test"] for words in commands)


def _compose_client() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.mark.skipif(_compose_client() is None, reason="no docker compose client on this machine")
def test_docker_compose_config_accepts_the_file():
    env = dict(os.environ, SECRET_KEY="x" * 40, IDENTIFIER_HASH_KEY="y" * 40, QUERY_LOG_HASH_KEY="z" * 40)
    result = subprocess.run([*_compose_client(), "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
