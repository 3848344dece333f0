"""Rules for catalog items, as plain functions (the admin and the services only call them)."""

from __future__ import annotations

from catalog.schema import schema_errors
from credit_platform.policies import active_policy

SEVERITY_TIERS = ("minor", "general", "severe")


def publicity_bounds(policy=None, domain: str | None = None) -> tuple[int | None, int | None, str]:
    """The widest (min, max) publicity the profile allows for dishonesty information, with its citation.

    The lowest lower bound and the highest upper bound over the severity tiers; ``None`` when the profile
    does not define publicity periods.
    """
    policy = policy or active_policy()
    lows, highs, articles = [], [], []
    for tier in SEVERITY_TIERS:
        rule = getattr(policy, f"publicity_{tier}_months")  # one of three named rules: a typo raises
        if rule.article:
            articles.append(rule.article)
        try:
            lo, hi = policy.effective_publicity_months(tier, domain)

        except (KeyError, ValueError, AttributeError, TypeError):
            continue
        lows.append(lo)
        highs.append(hi)
    if not lows:
        return None, None, ""
    article = "；".join(dict.fromkeys(articles))
    return min(lows), max(highs), article


def catalog_item_errors(item) -> dict[str, list[str]]:
    """Field → messages for a catalog item that breaks a rule (empty when it is fine)."""
    errors: dict[str, list[str]] = {}
    problems = schema_errors(item.content_schema)
    if problems:
        errors["content_schema"] = problems
    lo, hi = item.publicity_months_min, item.publicity_months_max
    if lo is not None and hi is not None and lo > hi:
        errors.setdefault("publicity_months_max", []).append("公示期限上限不得小于下限 / max below min")
    if item.category == "dishonesty":
        allowed_lo, allowed_hi, article = publicity_bounds(domain=item.domain or None)
        if allowed_lo is not None and lo is not None and lo < allowed_lo:
            errors.setdefault("publicity_months_min", []).append(
                f"失信信息公示期限下限不得少于 {allowed_lo} 个月（{article}）/ below the profile's minimum"
            )
        if allowed_hi is not None and hi is not None and hi > allowed_hi:
            errors.setdefault("publicity_months_max", []).append(
                f"失信信息公示期限上限不得超过 {allowed_hi} 个月（{article}）/ above the profile's maximum"
            )
    return errors
