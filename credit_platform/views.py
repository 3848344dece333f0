from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from credit_platform.audit import csv_chunks, iter_audit_events
from credit_platform.health import details_allowed, health_report, public_report
from credit_platform.policies import active_policy
from credit_platform.roles import AUDITOR, has_role
from credit_platform.security import AUDIT_ADMIN


@never_cache
@require_GET
def healthz(request):
    report, status = health_report()
    if not details_allowed(request):
        report = public_report(report)
    return JsonResponse(report, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; answer with the portal's icon (an SVG)."""
    icon = (settings.BASE_DIR / "static" / "portal" / "favicon.svg").read_bytes()
    response = HttpResponse(icon, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def home(request):
    return render(request, "portal/home.html", {})


def active_rules(request):
    """The active jurisdiction's rules with their citations (public: everyone may know the rules applied)."""
    return render(request, "portal/rules.html", {"policy": active_policy()})


def audit_export(request):
    """CSV download of the audit trail for the audit administrator, the auditors and the superuser."""

    user = request.user
    if not (user.is_superuser or has_role(user, AUDIT_ADMIN) or has_role(user, AUDITOR)):
        raise PermissionDenied
    response = StreamingHttpResponse(csv_chunks(iter_audit_events()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
