"""Pages showing the jurisdiction policy profiles: the public rules table and the officials' admin page.

Views only render; the rules themselves live in the profile modules and the formatting in ``display``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.utils import timezone

from credit_platform.policies import PROFILES, active_policy
from credit_platform.policies.base import PolicyProfile
from credit_platform.policies.display import comparison_rows, rule_rows


def rules_context(profile: PolicyProfile) -> list[dict[str, Any]]:
    """Display rows for every rule of ``profile``: label, value with unit, article, summary, source."""
    return rule_rows(profile)


@staff_member_required
def policy_admin_view(request):
    """Officials' page: the active profile with every rule and citation, the other profiles, and a comparison."""
    policy = active_policy()
    others = [p for code, p in PROFILES.items() if code != policy.code]
    today = timezone.localdate()
    context = {
        **admin.site.each_context(request),
        "title": "适用的信用管理规定",
        "policy": policy,
        "policy_in_force": policy.in_force_on(today),
        "today": today,
        "rows": rules_context(policy),
        "other_profiles": [{"profile": p, "in_force": p.in_force_on(today)} for p in others],
        "all_profiles": [policy, *others],
        "comparison": comparison_rows([policy, *others]),
        "setting_name": "CREDIT_POLICY",
        "setting_value": settings.CREDIT_POLICY,
    }
    return render(request, "admin/policy_profile.html", context)
