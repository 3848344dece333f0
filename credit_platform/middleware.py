"""Session rules for officials: 10 idle minutes, and an expired password must be changed first."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from credit_platform.security import password_expired

_PASSWORD_CHANGE_EXEMPT = ("admin:password_change", "admin:password_change_done", "admin:logout")


class OfficialSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            # SESSION_SAVE_EVERY_REQUEST renews the expiry on each request, so this is an idle timeout.
            request.session.set_expiry(int(settings.OFFICIAL_IDLE_TIMEOUT.total_seconds()))
            if password_expired(user) and request.path.startswith("/admin/"):
                exempt = {reverse(name) for name in _PASSWORD_CHANGE_EXEMPT}
                if request.path not in exempt:
                    return redirect(reverse("admin:password_change") + "?expired=1")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Browsers may not use the camera, microphone, location or payment APIs on any page of ours."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
