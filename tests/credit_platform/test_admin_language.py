"""Officials work in Simplified Chinese: the admin's sections for lockouts and second-factor devices too."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_third_party_sections_are_chinese(make_official):
    admin = make_official("root", superuser=True)
    client = Client()
    client.force_login(admin)
    body = client.get("/admin/").content.decode()
    for english in ("Access attempts", "Access failures", "Access logs", "TOTP devices", ">Axes<", ">TOTP<"):
        assert english not in body, english
    for chinese in ("登录失败与账号锁定", "登录日志", "双因素认证", "动态口令（TOTP）设备"):
        assert chinese in body, chinese


def test_the_lockout_list_is_chinese(make_official):
    admin = make_official("root", superuser=True)
    client = Client()
    client.force_login(admin)
    body = client.get("/admin/axes/accesslog/").content.decode()
    assert "登录日志" in body and "Access log" not in body
