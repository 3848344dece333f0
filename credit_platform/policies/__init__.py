"""Jurisdiction policy profiles: every statutory number, with the article it comes from.

``CREDIT_POLICY`` selects the active profile; ``active_policy()`` returns it. No statutory number
may be written anywhere else in the code (DESIGN.md principle 1).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from credit_platform.policies.base import PolicyProfile, Rule
from credit_platform.policies.fuzhou import FUZHOU
from credit_platform.policies.heilongjiang import HEILONGJIANG
from credit_platform.policies.karamay import KARAMAY
from credit_platform.policies.qufu import QUFU
from credit_platform.policies.zhangye import ZHANGYE

PROFILES: dict[str, PolicyProfile] = {p.code: p for p in (KARAMAY, HEILONGJIANG, QUFU, FUZHOU, ZHANGYE)}


class UnknownPolicy(ImproperlyConfigured):
    pass


def get_policy(code: str) -> PolicyProfile:
    try:
        return PROFILES[code.strip().lower()]
    except KeyError:
        raise UnknownPolicy(
            f"CREDIT_POLICY={code!r} is not a known policy profile; choose one of: {', '.join(sorted(PROFILES))}"
        ) from None


def active_policy() -> PolicyProfile:
    return get_policy(settings.CREDIT_POLICY)


__all__ = ["PROFILES", "PolicyProfile", "Rule", "UnknownPolicy", "active_policy", "get_policy"]
