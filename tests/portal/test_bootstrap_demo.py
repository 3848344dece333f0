from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from credit_platform.demo import DEMO_PASSWORD, OFFICIALS
from credit_platform.models import Department, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("debug_on")]


@pytest.fixture
def debug_on(settings):
    """bootstrap_demo runs only in development (DEBUG on); pytest-django turns DEBUG off."""
    settings.DEBUG = True


def test_bootstrap_demo_is_idempotent_and_prints_logins():
    out = StringIO()
    call_command("bootstrap_demo", stdout=out)
    counts = (Department.objects.count(), User.objects.count())
    call_command("bootstrap_demo", stdout=StringIO())
    assert (Department.objects.count(), User.objects.count()) == counts
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for username, *_ in OFFICIALS:
        assert username in text
    assert Department.objects.filter(code="FY", name__contains="人民法院").exists()


def test_demo_officials_can_log_in_to_the_admin(client):
    call_command("bootstrap_demo", stdout=StringIO())
    response = client.post("/admin/login/?next=/admin/", {"username": "centre", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_bootstrap_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("bootstrap_demo", stdout=StringIO())
    assert not User.objects.exists() and not Department.objects.filter(code="FY").exists()


def test_bootstrap_demo_exits_non_zero_from_the_command_line_with_debug_off(tmp_path):
    """As an operator runs it: ``manage.py bootstrap_demo`` with DEBUG off prints why and exits 1, touching nothing."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(DEBUG="false", SECRET_KEY="x" * 40, IDENTIFIER_HASH_KEY="y" * 40, QUERY_LOG_HASH_KEY="z" * 40,
               SQLITE_PATH=str(tmp_path / "never-created.sqlite3"), CREDIT_VAR_DIR=str(tmp_path / "var"))
    done = subprocess.run([sys.executable, "manage.py", "bootstrap_demo"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert "DEBUG" in done.stderr and "演示数据" in done.stderr
    assert not (tmp_path / "never-created.sqlite3").exists() or (tmp_path / "never-created.sqlite3").stat().st_size == 0
