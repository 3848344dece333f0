"""What may be done with an objection now: the steps its state allows, and why a step is not allowed.

Pure questions answered from the case (status, pause, dates) and the profile; the steps themselves are in
``objections.services`` (which check the same things again, under a row lock). The admin's work page offers
exactly ``allowed_actions(...)`` and, for a step that is no longer possible, says ``refusal(...)``.
"""

from __future__ import annotations

from datetime import date

from objections import access, clock
from objections.models import Objection, Status

__all__ = ["ACTIONS", "allowed_actions", "refusal"]

#: Every handling step of the work page, in the order the page offers them.
ACTIONS = ("mark", "review", "assign", "assistance", "pause", "resume", "extend", "decide")


def _pause_activity(policy) -> str:
    return (policy.objection_pause_activities.value or ("",))[0]


def refusal(objection: Objection, action: str, *, today: date) -> str | None:
    """``None`` when ``action`` is possible for the case as it stands; otherwise why not, in the case's terms."""
    policy = objection.policy
    if action not in ACTIONS:
        return "没有这项办理事项。"
    if not objection.is_open:
        return f"异议 {objection.number} 已{objection.get_status_display().removeprefix('已')}，不能再办理。"
    if action == "mark" and objection.status != Status.RECEIVED:
        # 克拉玛依第三十四条 / 黑龙江第五十三条 (the profile's objection_mark_days): the mark is made once, on receipt.
        return f"异议 {objection.number} 已于 {objection.marked_at:%Y-%m-%d} 作出异议标注，无需再标注。" if objection.marked_at \
            else f"异议 {objection.number} 当前状态为“{objection.get_status_display()}”，不能标注。"
    if action == "review" and objection.status == Status.UNDER_REVIEW:
        return f"异议 {objection.number} 已在核查中。"
    if action == "pause":
        if objection.paused_since:
            return f"异议 {objection.number} 已于 {objection.paused_since:%Y-%m-%d} 暂停计时，请先恢复计时。"
        return clock.pause_allowed(policy, _pause_activity(policy))
    if action == "resume" and not objection.paused_since:
        return f"异议 {objection.number} 没有暂停计时，无需恢复。"
    if action == "extend":
        why = clock.extension_allowed(policy)
        if why:
            return why
        if objection.decision_due and today > objection.decision_due:
            return f"答复期限 {objection.decision_due:%Y-%m-%d} 已过，不能再延长；请尽快作出决定。"
    return None


def allowed_actions(objection: Objection, user, *, today: date) -> list[str]:
    """The steps ``user`` may take on ``objection`` now (none for a read-only role or a closed case)."""
    if not access.may_handle(user, objection):
        return []
    return [a for a in ACTIONS if refusal(objection, a, today=today) is None]
