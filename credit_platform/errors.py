"""Error pages: JSON for the API, a plain Chinese page elsewhere; never a traceback."""

from django.http import JsonResponse
from django.shortcuts import render


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"code": "not_found", "message": "未找到 / not found", "fields": {}}, status=404)
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"code": "permission_denied", "message": "无权访问 / permission denied", "fields": {}}, status=403)
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a Chinese page that says what to do, instead of Django's English one."""
    if _wants_json(request):
        return JsonResponse({"code": "csrf_failed", "message": "CSRF 校验失败 / CSRF check failed", "fields": {}}, status=403)
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    if _wants_json(request):
        return JsonResponse({"code": "server_error", "message": "服务器内部错误 / internal server error", "fields": {}}, status=500)
    return render(request, "500.html", status=500)
