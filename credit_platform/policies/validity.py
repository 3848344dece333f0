"""Whether the active instrument is in force, and what the platform does about it.

A lapsed instrument is never applied silently (DESIGN.md "Decisions after the first review"): the Qufu measures
were in force 2023-07-01 to 2025-06-30 (《曲阜市社会信用管理办法（试行）》第八十七条). Running the platform on a
profile whose validity period the day falls outside of is an ERROR in ``manage.py check`` unless the operator says
so with ``CREDIT_POLICY_ALLOW_LAPSED=true``; with it, the admin (a banner) and the portal's rules page say so.
A draft (草案 / 征求意见稿) is not in force either, but is a deliberate choice the rules page already labels: it is
a WARNING, never silent.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core import checks
from django.utils import timezone

from credit_platform.policies import active_policy
from credit_platform.policies.base import STATUS_DRAFT, PolicyProfile

SETTING = "CREDIT_POLICY_ALLOW_LAPSED"


def lapsed_allowed() -> bool:
    return bool(settings.CREDIT_POLICY_ALLOW_LAPSED)


def validity_notice(profile: PolicyProfile, day: date | None = None) -> str:
    """One Chinese sentence for officials and the public when ``profile`` is not in force on ``day``; "" when it is."""
    day = day or timezone.localdate()
    if profile.in_force_on(day):
        return ""
    if profile.status == STATUS_DRAFT:
        return f"{profile.title}为草案，尚未生效；平台按其条文配置，具体事项以现行有效的法律法规为准。"
    if profile.valid_from and day < profile.valid_from:
        return f"{profile.title}自{profile.valid_from:%Y年%-m月%-d日}起施行，今日尚未生效，平台仍按其条文运行。"
    return (f"{profile.title}当前不在有效期内（{profile.validity_label}），已于{profile.valid_until:%Y年%-m月%-d日}届满失效；"
            f"平台经管理员设置 {SETTING}=true 后仍按其条文运行，具体事项以现行有效的法律法规为准。")


def policy_validity_errors(profile: PolicyProfile, day: date, *, allowed: bool) -> list[checks.CheckMessage]:
    """The system-check messages for ``profile`` on ``day`` (pure: the check below supplies settings and today)."""
    if profile.in_force_on(day):
        return []
    if profile.status == STATUS_DRAFT:
        return [checks.Warning(
            f"CREDIT_POLICY={profile.code}: {profile.title}为草案，尚未生效 / the profile's instrument is a draft, "
            "not in force.",
            hint="平台页面会标明草案；正式施行后请更新规则配置。",
            id="credit_platform.W020",
        )]
    when = (f"自 {profile.valid_from} 起施行 / not yet in force" if profile.valid_from and day < profile.valid_from
            else f"有效期至 {profile.valid_until} 已届满 / lapsed on {profile.valid_until}")
    if allowed:
        return [checks.Warning(
            f"CREDIT_POLICY={profile.code}: {profile.title}{when}；{SETTING}=true，平台仍按其运行并在后台和规则页标明。",
            id="credit_platform.W021",
        )]
    return [checks.Error(
        f"CREDIT_POLICY={profile.code}: {profile.title}{when}，不得默默适用 / the instrument is not in force on {day}.",
        hint=f"选择现行有效的规则（CREDIT_POLICY），或确认仍按其运行：设置 {SETTING}=true（后台与规则页将标明失效）。",
        id="credit_platform.E020",
    )]


@checks.register()
def active_policy_in_force(app_configs=None, **kwargs):
    return policy_validity_errors(active_policy(), timezone.localdate(), allowed=lapsed_allowed())
