"""What may be done with a repair application now, and the eligibility checks as rows a reviewer can read.

Pure questions answered from the application's state, the profile and an ``Eligibility``; the steps are in
``repair.services`` (which check the same under a row lock). The admin's work page offers exactly
``allowed_actions(...)`` and, for a step the case no longer allows, says ``refusal(...)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from credit_platform.policies import PolicyProfile, national
from repair import access
from repair import eligibility as rules_of_eligibility
from repair.eligibility import Eligibility
from repair.models import RepairApplication, Status

__all__ = ["ACTIONS", "Check", "allowed_actions", "eligibility_checks", "refusal"]

#: Every handling step of the work page, in the order the page offers them (assigning has its own page).
ACTIONS = ("accept", "refuse", "extend", "approve", "reject", "terminate", "revoke")

#: The states each step starts from (《信用修复管理办法》（国家发展改革委令2025年第36号）; 福州第二十三条 for
#: 终止 and 撤销).
FROM_STATES = {
    "accept": (Status.SUBMITTED,),
    "refuse": (Status.SUBMITTED,),
    "extend": (Status.ACCEPTED,),
    "approve": (Status.ACCEPTED,),
    "reject": (Status.ACCEPTED,),
    "terminate": (Status.SUBMITTED, Status.ACCEPTED),
    "revoke": (Status.APPROVED,),
}

VERBS = {
    "accept": "受理", "refuse": "作出不予受理决定", "extend": "延长办理期限", "approve": "准予修复",
    "reject": "作出不予修复决定", "terminate": "终止修复程序", "revoke": "撤销修复结果",
}


def refusal(application: RepairApplication, action: str, *, policy: PolicyProfile,
            eligibility: Eligibility | None = None) -> str | None:
    """``None`` when ``action`` is possible for the application as it stands; otherwise why not, in its terms."""
    if action not in ACTIONS:
        return "没有这项办理事项。"
    if application.status not in FROM_STATES[action]:
        return f"申请 {application.number} 当前状态为“{application.get_status_display()}”，不能{VERBS[action]}。"
    if action == "extend" and application.extended_due:
        return f"申请 {application.number} 的办理期限已延长至 {application.extended_due:%Y-%m-%d}，只能延长一次。"
    if action in ("terminate", "revoke") and policy.repair_revocable_on_fraud.value is False:
        return f"{policy.title}不允许{VERBS[action]}。"
    if action == "approve" and eligibility is not None and not eligibility.eligible:
        return "该失信信息目前不符合修复条件：" + eligibility.summary
    return None


def allowed_actions(application: RepairApplication, user, *, policy: PolicyProfile,
                    eligibility: Eligibility | None = None) -> list[str]:
    """The steps ``user`` may take on ``application`` now (none for a read-only role or a closed case)."""
    if not access.can_review(user, application):
        return []
    return [a for a in ACTIONS if refusal(application, a, policy=policy, eligibility=eligibility) is None]


@dataclass(frozen=True)
class Check:
    condition: str
    result: str  # 符合 / 不符合 / 未审查 / 由审核员核实
    passed: bool | None
    basis: str
    detail: str = ""


# Each record-level condition of ``repair.eligibility.evaluate`` and the reason codes that fail it.
_CONDITIONS = (
    ("属于失信信息", (rules_of_eligibility.NOT_DISHONESTY,)),
    ("记录仍在公示、未修复、未撤销", (rules_of_eligibility.ALREADY_REPAIRED, rules_of_eligibility.RECORD_REVOKED,
                                   rules_of_eligibility.PUBLICITY_ENDED)),
    ("信用信息目录未列为不可修复", (rules_of_eligibility.CATALOG_NOT_REPAIRABLE,)),
    ("不属于不予修复的情形", (rules_of_eligibility.NON_REPAIRABLE_CASE,)),
    ("最短公示期已届满", (rules_of_eligibility.MIN_PERIOD_NOT_ELAPSED, rules_of_eligibility.START_DATE_UNKNOWN)),
)


def eligibility_checks(result: Eligibility, policy: PolicyProfile) -> list[Check]:
    """The checks as rows (条件 / 结果 / 依据): the record's conditions, then those the reviewer verifies."""
    passing_basis = (
        national.ORDER_36_ART2, national.ORDER_36, policy.non_repairable_cases.article,
        policy.non_repairable_cases.article, result.article or policy.publicity_starts_from.article,
    )
    stopped = False  # evaluate() stops at a bar that makes the later conditions moot
    rows: list[Check] = []
    for (condition, codes), basis in zip(_CONDITIONS, passing_basis):
        failed = [r for r in result.reasons if r.code in codes]
        if failed:
            rows.append(Check(condition, "不符合", False, "；".join(dict.fromkeys(r.article for r in failed)),
                              "；".join(r.message for r in failed)))
            stopped = stopped or condition in ("属于失信信息", "记录仍在公示、未修复、未撤销")
        elif stopped:
            rows.append(Check(condition, "未审查", None, basis))
        else:
            detail = ""
            if condition == "最短公示期已届满" and result.min_months and result.earliest_date:
                detail = f"最短公示期 {result.min_months} 个月，{result.earliest_date:%Y-%m-%d} 起可申请"
            rows.append(Check(condition, "符合", True, basis, detail))
    for item in rules_of_eligibility.requirements(policy):
        if item["code"] == "min_period_elapsed":
            continue  # a record condition, checked above
        rows.append(Check(item["label"], "由审核员核实（见申请材料）", None, item["article"]))
    return rows
