"""Chinese names for the third-party apps the admin shows (django-axes, django-otp's TOTP plugin).

Officials work in Simplified Chinese; these apps ship no zh-Hans translation, so their section titles read
"Axes" and "TOTP". The app configs below keep each app's name and label (so their checks, migrations and
settings are untouched) and only give the admin a Chinese title. Axes' model names come from
``locale/zh_Hans/LC_MESSAGES/django.po``; django-otp's TOTP model name is a plain string upstream (not marked for
translation), so it is set here once, at start-up.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "登录失败与账号锁定"


class TOTPConfig(TOTPAppConfig):
    verbose_name = "双因素认证"

    def ready(self) -> None:
        super().ready()
        device = self.get_model("TOTPDevice")
        device._meta.verbose_name = "动态口令（TOTP）设备"
        device._meta.verbose_name_plural = "动态口令（TOTP）设备"
