"""Second factor for officials (MLPS 2.0 level 3: two kinds of authentication for administrators).

After the password, an official must present a TOTP code from an authenticator app (django-otp). An official
without a confirmed device is led to enrol one first. Enforced for every
request of an official's session — admin, portal, API — when ``OFFICIAL_OTP_REQUIRED`` is on (the default
whenever ``DEBUG`` is off): ``credit_platform.middleware.OfficialSessionMiddleware`` and, for the API,
``credit_platform.api.authentication.OfficialSessionAuthentication``, both asking
``credit_platform.security.official_session_gap``.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user, login as otp_login, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from credit_platform.security import is_official

SETUP_URL_NAME = "admin-otp-setup"
VERIFY_URL_NAME = "admin-otp-verify"


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="动态验证码", regex=r"^\d{6,8}$", max_length=8,
        error_messages={"invalid": "请输入认证器显示的 6 位数字"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("admin:index")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def _verify_any(user, token: str):
    for device in devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            return device
    return None


def manual_entry_key(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32 without padding, in groups of four (the QR code's
    ``config_url`` carries the same base32; ``device.key`` is hex, which no app accepts)."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required(login_url="admin:login")
def otp_setup(request):
    """Enrol an authenticator app: show the secret as a QR code, confirm it with one code."""
    if not is_official(request.user):
        return redirect("home")
    if user_has_device(request.user, confirmed=True):
        return redirect(reverse(VERIFY_URL_NAME) + f"?next={_safe_next(request)}")
    device, _ = TOTPDevice.objects.get_or_create(user=request.user, confirmed=False, defaults={"name": "认证器"})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", "验证码不正确或已过期，请重试")

    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(
        request, "admin/otp_setup.html",
        {**admin.site.each_context(request), "title": "绑定动态验证码", "form": form, "qr_svg": qr_svg,
         "secret": manual_entry_key(device), "next": _safe_next(request)},
    )


@login_required(login_url="admin:login")
def otp_verify(request):
    if not user_has_device(request.user, confirmed=True):
        return redirect(reverse(SETUP_URL_NAME) + f"?next={_safe_next(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _verify_any(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", "验证码不正确、已过期，或尝试过于频繁")
    return render(
        request, "admin/otp_verify.html",
        {**admin.site.each_context(request), "title": "动态验证码", "form": form, "next": _safe_next(request)},
    )
