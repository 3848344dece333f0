"""Session rules for officials: one door whatever the door (MLPS 2.0 level 3), and 10 idle minutes."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from credit_platform import security

# Where an official who still lacks something may go: to supply it, or to leave.
_LEAVE = ("admin:logout", "disclosure:logout", "admin:jsi18n", "set_language")
_EXEMPT = {
    security.GAP_OTP_SETUP: _LEAVE + ("admin-otp-setup", "admin-otp-verify"),
    security.GAP_OTP_VERIFY: _LEAVE + ("admin-otp-setup", "admin-otp-verify"),
    security.GAP_PASSWORD_EXPIRED: _LEAVE + ("admin:password_change", "admin:password_change_done"),
}
_TARGET = {
    security.GAP_OTP_SETUP: "admin-otp-setup",
    security.GAP_OTP_VERIFY: "admin-otp-verify",
    security.GAP_PASSWORD_EXPIRED: "admin:password_change",
}


def _paths(names) -> set[str]:
    out = set()
    for name in names:
        try:
            out.add(reverse(name))
        except NoReverseMatch:
            continue  # an exempt view of an app this deployment does not route (e.g. jsi18n): nothing to exempt
    return out


class OfficialSessionMiddleware:
    """Every request of an official's session, through any door — the admin, the portal login, the API with a
    session — needs a password within its age and, with ``OFFICIAL_OTP_REQUIRED`` on, a verified second factor
    (``credit_platform.security.official_session_gap``). A page is redirected to the one step that is missing
    (second factor first, then the password change, each exactly once); an API call is answered 403 in the
    API's error shape. Static files need nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and security.is_official(user):
            # SESSION_SAVE_EVERY_REQUEST renews the expiry on each request, so this is an idle timeout.
            request.session.set_expiry(int(settings.OFFICIAL_IDLE_TIMEOUT.total_seconds()))
            gap = security.official_session_gap(user)
            if gap is not None and not self._exempt(request, gap):
                return self._refuse(request, gap)
        return self.get_response(request)

    @staticmethod
    def _exempt(request, gap: str) -> bool:
        path = request.path_info
        if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
            return True
        return path in _paths(_EXEMPT[gap])

    @staticmethod
    def _refuse(request, gap: str):
        if request.path_info.startswith("/api/"):
            return JsonResponse({"code": gap, "message": security.GAP_MESSAGES[gap], "fields": {}}, status=403)
        target = reverse(_TARGET[gap])
        if gap == security.GAP_PASSWORD_EXPIRED:
            return redirect(target + "?expired=1")
        return redirect(f"{target}?next={quote(request.get_full_path())}")


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
    error shape; everything else gets a plain 400. Form-encoded bodies of the pages are checked here too: a view
    that reads ``request.POST`` without a form (the repair progress look-up) would otherwise hand the NUL to the
    database. (API bodies are checked by the API parsers; multipart bodies, which may carry files a view reads with
    its own upload handlers, by the forms' ``ProhibitNullCharactersValidator``.)
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
        if (request.method == "POST" and not request.path_info.startswith("/api/")
                and request.content_type == "application/x-www-form-urlencoded"):
            for key, values in request.POST.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return key.replace("\x00", "") or "form"
        return None

    def __call__(self, request):
        where = self.where(request)
        if where is not None:
            if request.path_info.startswith("/api/"):
                return JsonResponse({"code": "nul_character", "message": self.MESSAGE, "fields": {where: self.MESSAGE}},
                                    status=400)
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
