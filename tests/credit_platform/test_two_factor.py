"""Officials need a TOTP second factor for the admin when OFFICIAL_OTP_REQUIRED is on (production default)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from credit_platform import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def otp_required(settings):
    settings.OFFICIAL_OTP_REQUIRED = True


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def _clear_throttle(device: TOTPDevice) -> None:
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def test_production_default_requires_a_second_factor():
    """The test environment turns the second factor off for the other tests; a deployment that says nothing about
    it (DEBUG off, OFFICIAL_OTP_REQUIRED unset) requires it."""
    assert settings.OFFICIAL_OTP_REQUIRED is False
    env = {k: v for k, v in os.environ.items() if k not in {"OFFICIAL_OTP_REQUIRED", "DEBUG"}}
    env.update(DEBUG="false", SECRET_KEY="s" * 50, DATABASE_URL="")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.conf import settings; print(settings.OFFICIAL_OTP_REQUIRED)"],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr


def test_official_without_device_must_enrol_before_any_admin_page(otp_required, make_official):
    client = Client()
    client.force_login(make_official("officer", roles.AUDITOR))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/otp/setup/")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="officer", confirmed=False)
    assert client.post("/admin/otp/setup/", {"token": "000000", "next": "/admin/"}).status_code == 200
    _clear_throttle(device)  # a failed code delays the next attempt (django-otp throttling)
    done = client.post("/admin/otp/setup/", {"token": _code(device), "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_enrolled_official_must_verify_each_new_session(otp_required, make_official):
    user = make_official("officer", roles.AUDITOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)
    response = client.get("/admin/credit_platform/department/")
    assert response["Location"].startswith("/admin/otp/verify/")
    wrong = client.post("/admin/otp/verify/", {"token": "123456", "next": "/admin/"})
    assert wrong.status_code == 200 and "不正确" in wrong.content.decode()
    _clear_throttle(device)
    ok = client.post("/admin/otp/verify/", {"token": _code(device), "next": "/admin/"})
    assert ok.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_open_redirect_is_refused(otp_required, make_official):
    user = make_official("officer", roles.AUDITOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)
    response = client.post("/admin/otp/verify/", {"token": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_second_factor_is_not_asked_when_switched_off(make_official):
    client = Client()
    client.force_login(make_official("officer", roles.AUDITOR))
    assert client.get("/admin/").status_code == 200


def test_the_key_to_type_in_is_the_base32_an_authenticator_app_takes(otp_required, make_official):
    """The enrolment page showed ``device.key`` — hex, which no authenticator app accepts typed in. It shows the
    base32 the QR code carries, and a code computed from exactly what it shows confirms the device."""
    import re
    from base64 import b32decode
    from urllib.parse import parse_qs, urlparse

    client = Client()
    client.force_login(make_official("officer", roles.AUDITOR))
    page = client.get("/admin/otp/setup/?next=/admin/").content.decode()
    shown = re.search(r"手动输入密钥：<code>([A-Z2-7 ]+)</code>", page).group(1)
    device = TOTPDevice.objects.get(user__username="officer", confirmed=False)
    typed = shown.replace(" ", "")
    assert typed == parse_qs(urlparse(device.config_url).query)["secret"][0]
    key = b32decode(typed + "=" * (-len(typed) % 8))
    code = f"{totp(key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
    done = client.post("/admin/otp/setup/", {"token": code, "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
