"""Session rules for officials: 10 idle minutes, and an expired password must be changed first."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
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


class RejectNulMiddleware:
    """Refuse a request whose path, query, cookies or headers contain a NUL character, before anything uses them.

    PostgreSQL cannot hold NUL in text, so a ``%00`` in a search term, a path segment or a session cookie would
    otherwise end as a database error (500) in whichever query first used it. API paths answer in the API's
    error shape; everything else gets a plain 400. (Request bodies are checked by the API parsers and by the
    forms' own ``ProhibitNullCharactersValidator``.)
    """

    MESSAGE = "请求包含 NUL 字符 / the request contains a NUL character"

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def where(request) -> str | None:
        if "\x00" in request.path_info:
            return "path"
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return key.replace("\x00", "") or "query"
        for key, value in request.COOKIES.items():
            if "\x00" in key or "\x00" in value:
                return "cookie"
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
                return "header"
        return None

    def __call__(self, request):
        where = self.where(request)
        if where is not None:
            if request.path_info.startswith("/api/"):
                return JsonResponse({"code": "nul_character", "message": self.MESSAGE, "fields": {where: self.MESSAGE}},
                                    status=400)
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
