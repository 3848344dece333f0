"""Whether a dishonesty record can be repaired, why not, and from which date (pure: no database).

``evaluate(facts, policy, today)`` answers from three inputs only — the record's facts, the jurisdiction
profile and today's date — so the portal, the API, the repair notice and the application service all give
the same answer, and the tests can pin every rule without a database.

The rules, in the order they are checked (every reason carries the article it rests on):

1. Only dishonesty information (失信信息) is repaired (Order 36 art. 2). → ``not_dishonesty``
2. A record that is no longer in force needs no repair: already repaired → ``already_repaired``;
   revoked by the provider → ``record_revoked``; publicity ended (expired, shielded or ``public_until`` in
   the past) → ``publicity_ended`` (Heilongjiang art. 51: stopped and archived, never republished).
   A record that is simply *not published* (a natural person's, Karamay art. 36) is still shared and
   still carries measures, so it can still be repaired.
3. The catalog item is marked non-repairable → ``catalog_not_repairable``.
4. A statutory non-repairable case applies (Fuzhou art. 22 and the active profile's
   ``non_repairable_cases``; a case outside the profile's list blocks only when it is ``other_law``,
   i.e. a law, regulation or central policy document names the record non-repairable, Order 36 art. 2)
   → ``non_repairable_case``.
5. The minimum publicity period has not elapsed (Order 36 tiers via ``repair_min_months``; Qufu art. 34's
   longer minimum for special domains via ``repair_special_domain_min_months``) →
   ``min_period_not_elapsed`` with the exact ``earliest_date``.

Period arithmetic follows the Civil Code (民法典) arts. 201–202: the start day is not counted and a
period of months ends on the corresponding day of the last month (the month's last day when there is no
such day); the period has *elapsed* (届满) at the end of that day, so the earliest date an application can
succeed is the day after. A decision on 2026-01-15 with a three-month minimum can be repaired from
2026-04-16; one on 2025-11-30 from 2026-03-01.

``earliest_date`` is the first date on which the record-level conditions are met (it may lie in the
past for an eligible record). It is ``None`` when no date will ever make the record repairable (a
permanent bar) or when there is nothing to repair. The conditions that depend on the subject's conduct
(act corrected, penalty fulfilled, commitment) are not record facts: they are listed by
:func:`requirements` and checked by the reviewer.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from credit_platform.policies import PolicyProfile
from credit_platform.policies import national
from credit_platform.policies.labels import code_label
from records.models import LIVE_STATUSES

__all__ = [
    "OTHER_LAW",
    "Eligibility",
    "Reason",
    "RecordFacts",
    "add_months",
    "evaluate",
    "facts_from_record",
    "min_period",
    "period_start",
    "requirements",
]

#: A non-repairable case named by a law, regulation or central policy document outside the profile's list.
OTHER_LAW = "other_law"

# Reason codes (stable: API clients branch on them).
NOT_DISHONESTY = "not_dishonesty"
ALREADY_REPAIRED = "already_repaired"
RECORD_REVOKED = "record_revoked"
PUBLICITY_ENDED = "publicity_ended"
CATALOG_NOT_REPAIRABLE = "catalog_not_repairable"
NON_REPAIRABLE_CASE = "non_repairable_case"
MIN_PERIOD_NOT_ELAPSED = "min_period_not_elapsed"
START_DATE_UNKNOWN = "start_date_unknown"

#: Reasons that no date will cure.
PERMANENT = frozenset(
    {NOT_DISHONESTY, ALREADY_REPAIRED, RECORD_REVOKED, PUBLICITY_ENDED, CATALOG_NOT_REPAIRABLE, NON_REPAIRABLE_CASE,
     START_DATE_UNKNOWN}
)

ENDED_STATUSES = ("expired", "shielded")


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    article: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "article": self.article}


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[Reason, ...]
    earliest_date: date | None
    min_months: int | None = None
    period_start: date | None = None
    article: str = ""  # the article that set the minimum period

    def as_dict(self) -> dict:
        return {
            "eligible": self.eligible,
            "reasons": [r.as_dict() for r in self.reasons],
            "earliest_date": self.earliest_date.isoformat() if self.earliest_date else None,
        }

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    @property
    def summary(self) -> str:
        return "；".join(r.message for r in self.reasons)


@dataclass(frozen=True)
class RecordFacts:
    """What the rules need to know about one record (built by :func:`facts_from_record` or by hand in tests)."""

    category: str
    status: str = "active"
    severity: str = ""
    domain: str = ""
    decided_on: date | None = None
    ended_on: date | None = None
    public_from: date | None = None
    public_until: date | None = None
    catalog_repairable: bool = True
    catalog_item: str = ""  # "code name" for messages
    catalog_basis: str = ""
    #: (case code, legal basis) pairs determined for this record (see ``repair.models.NonRepairableMarking``).
    non_repairable_cases: tuple[tuple[str, str], ...] = field(default_factory=tuple)


# --- dates --------------------------------------------------------------------------------------------------


def add_months(start: date, months: int) -> date:
    """The corresponding day ``months`` later, or that month's last day (民法典 art. 202)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def period_start(facts: RecordFacts, policy: PolicyProfile) -> date | None:
    """The day the publicity period counts from: the decision (认定) date; under a profile that counts a
    continuing act from its end (Karamay art. 33, Heilongjiang art. 51) the end of the act when later.
    Falls back to the day publicity began when the decision date is missing."""
    start = facts.decided_on
    if policy.publicity_starts_from.value != "decision" and facts.ended_on and (start is None or facts.ended_on > start):
        start = facts.ended_on
    return start or facts.public_from


def _tier(severity: str) -> str:
    # A dishonesty record pushed without a tier is treated as 一般 (the middle tier of Order 36).
    return severity if severity in ("minor", "general", "severe", "specific_severe") else "general"


def min_period(facts: RecordFacts, policy: PolicyProfile) -> tuple[int, str]:
    """``(months, article)``: the minimum publicity before repair for this record under ``policy``."""
    tier = _tier(facts.severity)
    months = policy.repair_min_for(tier)
    article = policy.repair_min_months.article
    special = policy.repair_special_domain_min_months.value
    if special is not None and tier != "minor" and facts.domain and facts.domain in policy.special_domains.value:
        if special > months:
            months, article = special, policy.repair_special_domain_min_months.article
    return months, article


# --- the answer -----------------------------------------------------------------------------------------------


def evaluate(facts: RecordFacts, policy: PolicyProfile, today: date) -> Eligibility:
    reasons: list[Reason] = []

    if facts.category != "dishonesty":
        reasons.append(Reason(NOT_DISHONESTY, "只有失信信息可以申请信用修复。", national.ORDER_36_ART2))
        return Eligibility(False, tuple(reasons), None)

    if facts.status == "repaired":
        reasons.append(Reason(ALREADY_REPAIRED, "该失信信息已完成信用修复，无需再次申请。", national.ORDER_36))
        return Eligibility(False, tuple(reasons), None)
    if facts.status == "revoked":
        reasons.append(
            Reason(RECORD_REVOKED, "该信息已被提供单位撤销，不再作为失信信息使用，无需修复。", policy.revocation_platform_days.article)
        )
        return Eligibility(False, tuple(reasons), None)
    tier_rule = getattr(policy, f"publicity_{'severe' if _tier(facts.severity) == 'specific_severe' else _tier(facts.severity)}_months")
    if facts.status in ENDED_STATUSES or (facts.public_until is not None and facts.public_until < today):
        reasons.append(
            Reason(
                PUBLICITY_ENDED,
                "该失信信息的公示期已届满、已停止公示并转为档案保存，无需申请信用修复。",
                tier_rule.article,
            )
        )
        return Eligibility(False, tuple(reasons), None)

    if not facts.catalog_repairable:
        item = f"（{facts.catalog_item}）" if facts.catalog_item else ""
        reasons.append(
            Reason(
                CATALOG_NOT_REPAIRABLE,
                f"公共信用信息目录将该信息事项{item}列为不可修复。",
                facts.catalog_basis or policy.non_repairable_cases.article,
            )
        )

    statutory = set(policy.non_repairable_cases.value)
    for case, basis in facts.non_repairable_cases:
        if case in statutory:
            reasons.append(
                Reason(NON_REPAIRABLE_CASE, f"属于不予信用修复的情形：{code_label(case)}。", policy.non_repairable_cases.article)
            )
        elif case == OTHER_LAW:
            reasons.append(
                Reason(
                    NON_REPAIRABLE_CASE,
                    "法律、法规或党中央、国务院政策文件明确规定该失信信息不可修复。",
                    basis or national.ORDER_36_ART2,
                )
            )

    months, article = min_period(facts, policy)
    start = period_start(facts, policy)
    earliest: date | None = None
    if months > 0 and start is None:
        reasons.append(
            Reason(
                START_DATE_UNKNOWN,
                "记录缺少认定（决定）日期，无法计算最短公示期；请联系提供单位补正后再申请。",
                policy.publicity_starts_from.article,
            )
        )
    elif start is not None:
        earliest = add_months(start, months) + timedelta(days=1) if months > 0 else start
        if today < earliest:
            tier = code_label(_tier(facts.severity))
            reasons.append(
                Reason(
                    MIN_PERIOD_NOT_ELAPSED,
                    f"{tier}失信信息最短公示期为{months}个月，自{start:%Y年%-m月%-d日}起算，"
                    f"{earliest:%Y年%-m月%-d日}起方可申请信用修复。",
                    article,
                )
            )

    if any(r.code in PERMANENT for r in reasons):
        earliest = None
    return Eligibility(not reasons, tuple(reasons), earliest, months, start, article)


def requirements(policy: PolicyProfile) -> list[dict[str, str]]:
    """What a repair needs besides the record facts: the profile's conditions, each with its label."""
    rule = policy.repair_conditions
    return [{"code": c, "label": code_label(c), "article": rule.article} for c in rule.value]


def facts_from_record(record, *, markings=None) -> RecordFacts:
    """Read a ``records.Record`` (with its catalog item) into :class:`RecordFacts`.

    ``markings``: the record's active non-repairable case markings; read from the database when omitted.
    """
    if markings is None:
        from repair.models import NonRepairableMarking

        markings = NonRepairableMarking.objects.filter(record_id=record.pk, active=True)
    item = record.catalog_item
    cases = tuple((m.case, m.legal_basis) for m in markings)
    content_cases = (record.content or {}).get("non_repairable_cases") if isinstance(record.content, dict) else None
    if isinstance(content_cases, list):  # a department may push the determination with the record
        cases += tuple((str(c), "") for c in content_cases if isinstance(c, str))
    return RecordFacts(
        category=record.category,
        status=record.status,
        severity=record.severity or "",
        domain=record.domain or getattr(item, "domain", "") or "",
        decided_on=record.decided_on,
        ended_on=record.ended_on,
        public_from=record.public_from,
        public_until=record.public_until,
        catalog_repairable=bool(getattr(item, "repairable", True)),
        catalog_item=f"{item.code} {item.name}" if item else "",
        catalog_basis=getattr(item, "legal_basis", "") or "",
        non_repairable_cases=cases,
    )
