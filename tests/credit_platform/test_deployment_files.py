"""docker-compose.yml, the Dockerfile, the Makefile and .ci/run hold what operators rely on."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_five_services_with_health_checks_and_a_database_volume():
    services = compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "DatabaseScheduler" in " ".join(services["beat"]["command"])
    assert "pgdata" in compose()["volumes"]


def _compose_client() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.mark.skipif(_compose_client() is None, reason="no docker compose client on this machine")
def test_docker_compose_config_accepts_the_file():
    env = dict(os.environ, SECRET_KEY="x" * 40)
    result = subprocess.run([*_compose_client(), "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_dockerfile_installs_the_cjk_font_and_runs_gunicorn():
    text = (ROOT / "Dockerfile").read_text()
    assert "fonts-wqy-microhei" in text and "gunicorn" in text


def test_ci_runs_the_readme_test_command_on_postgresql_and_redis():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "DATABASE_URL" in ci and "redis://127.0.0.1:6379/" in ci
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
