from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from credit_platform.health import health_report
from credit_platform.policies import active_policy


@never_cache
@require_GET
def healthz(request):
    report, status = health_report()
    return JsonResponse(report, status=status, json_dumps_params={"ensure_ascii": False})


def home(request):
    return render(request, "portal/home.html", {})


def active_rules(request):
    """The active jurisdiction's rules with their citations (public: everyone may know the rules applied)."""
    return render(request, "portal/rules.html", {"policy": active_policy()})
