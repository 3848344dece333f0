"""Publicity windows (公示期限) — a pure function of a record's facts and the active policy profile.

``compute_window(facts, profile)`` answers, for one record: is it published on the public portal, from when
until when is it disclosed (公示 / 披露), how long is it retained (保存) before it is shielded (屏蔽), and which
rules — each with its article — produced that answer. Nothing here touches the database; every number comes
from the profile (DESIGN.md principle 1).

Dates: a period of *n* months counted from day D ends on the corresponding day *n* months later, the end of
the month when that day does not exist (民法典 art. 201: 开始的当日不计入; art. 202: 到期月的对应日为期间的最后一日，没有对应日的，月末日为期间的最后一日;
counted by ``credit_platform.months``).
``public_until`` and ``retain_until`` are therefore the **last** day of publicity / retention (inclusive):
a record is public on ``public_until`` and archived from the day after.

``published`` controls the public portal only. Dishonesty that is not published (natural persons, warnings under
Qufu art. 34, minors …) still has a disclosure window, because disclosure also covers authorised and government
queries (Karamay art. 19: 依法公开、政务共享、查询); once that window ends the record is archived and never disclosed to
third parties again (Karamay art. 33: 披露期限届满后不得再行披露; Heilongjiang art. 51).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from credit_platform.months import add_months, add_years
from credit_platform.policies import active_policy, national
from credit_platform.policies.base import FLAG, SOURCE_NATIONAL, PolicyProfile, Rule

# Nothing about a minor is ever public. The citation sits with the national instruments this platform applies;
# it carries no number (see the report to the policies owner: it belongs in credit_platform/policies/national.py).
MINORS_NEVER_PUBLIC = Rule(
    False,
    "《行政处罚结果信息网上公示暂行办法》第七条",
    "对未成年人作出的行政处罚信息不予公示；公示的行政处罚信息隐去自然人住址、联系方式、身份证号码、银行账号、健康状况等个人信息。",
    FLAG,
    SOURCE_NATIONAL,
)

def minor_at(birth_date: date | None, day: date | None, profile: PolicyProfile | None = None) -> bool | None:
    """Was a person born on ``birth_date`` under the age of majority (the profile's ``age_of_majority``, Civil Code
    art. 17) on ``day``? None when unknown."""
    if birth_date is None or day is None:
        return None
    if profile is None:
        profile = active_policy()
    age = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    return age < profile.age_of_majority.value


# Penalty types (行政处罚法 art. 9 codes used by records.PenaltyType) that are, in themselves, a long-term case code
# of ``long_term_publicity_cases`` (Heilongjiang art. 51).
PENALTY_TYPE_CASES = {
    "permit_revocation": "licence_revoked",
    "licence_revoked": "licence_revoked",
    "lifetime_market_ban": "lifetime_market_ban",
    "criminal_liability": "criminal_liability",
}

# Keys of ``Record.content`` that flag long-term cases a penalty type cannot express.
CONTENT_CASE_FLAGS = ("criminal_liability", "lifetime_market_ban", "licence_revoked")

NATURAL_PERSON = "natural_person"
DISHONESTY = "dishonesty"
TRUST = "trust"
SEVERE = "severe"
SPECIFIC_SEVERE = "specific_severe"


@dataclass(frozen=True)
class RecordFacts:
    """What the window depends on — read from a record, its catalog item and its subject."""

    category: str  # basic | trust | dishonesty | other
    subject_type: str  # natural_person | legal_person | unincorporated | individual_business
    openness: str = "public"  # the catalog item's 开放属性: public | conditional | non_public
    severity: str = ""  # minor | general | severe | specific_severe (dishonesty)
    domain: str = ""
    penalty_types: tuple[str, ...] = ()
    long_term_cases: tuple[str, ...] = ()  # case codes flagged in the record's content
    decided_on: date | None = None
    occurred_on: date | None = None
    ended_on: date | None = None
    continuing: bool = False  # a continuing act that has not ended yet
    is_minor: bool = False
    catalog_months: tuple[int | None, int | None] = (None, None)  # the catalog item's publicity period
    catalog_basis: str = ""  # the catalog item's legal basis (cited when the catalog decides)
    received_on: date | None = None


@dataclass(frozen=True)
class Citation:
    rule: str  # profile field name (or a named national/catalog rule)
    article: str
    summary: str = ""


@dataclass(frozen=True)
class Window:
    published: bool
    public_from: date | None
    public_until: date | None  # None: long-term, or a continuing act whose end is not known yet
    retain_until: date | None  # None: retained with no statutory end
    long_term: bool
    citations: tuple[Citation, ...]
    reason: str  # one Chinese sentence for officials and the subject
    min_until: date | None = None  # the minimum publicity ends here (early end / repair only after it)
    pending_end: bool = False  # continuing act: the period starts when the act ends
    retain_citations: tuple[Citation, ...] = field(default=())

    @cached_property  # a cached window is shared by thousands of records
    def rule(self) -> str:
        return "+".join(c.rule for c in self.citations)

    @cached_property  # a cached window is shared by thousands of records
    def article(self) -> str:
        return "；".join(dict.fromkeys(c.article for c in self.citations))

    @cached_property  # a cached window is shared by thousands of records
    def retain_rule(self) -> str:
        return "+".join(c.rule for c in self.retain_citations)

    @cached_property  # a cached window is shared by thousands of records
    def retain_article(self) -> str:
        return "；".join(dict.fromkeys(c.article for c in self.retain_citations))


def _cite(name: str, rule: Rule) -> Citation:
    """The citation of the profile's rule ``name`` (read by its attribute, so a misspelt rule fails loudly)."""
    return Citation(name, rule.article, rule.summary)


def _catalog_citation(facts: RecordFacts) -> Citation:
    basis = (facts.catalog_basis or "").strip() or "公共信用信息目录"
    return Citation("catalog_item", basis, "公共信用信息目录条目的开放属性和公示期限")


def _start(facts: RecordFacts) -> date | None:
    return facts.decided_on or facts.occurred_on or facts.received_on


def _act_end(facts: RecordFacts) -> date | None:
    return facts.ended_on or facts.occurred_on or facts.decided_on or facts.received_on


def _long_term_cases(facts: RecordFacts) -> tuple[str, ...]:
    cases = [PENALTY_TYPE_CASES[t] for t in facts.penalty_types if t in PENALTY_TYPE_CASES]
    cases.extend(facts.long_term_cases)
    return tuple(dict.fromkeys(cases))


def _retention(facts: RecordFacts, profile: PolicyProfile) -> tuple[date | None, tuple[Citation, ...]]:
    """Natural persons' dishonesty: kept N years from the end of the act, then shielded (Qufu art. 36)."""
    years = profile.natural_person_retention_years.value
    if facts.category == DISHONESTY and facts.subject_type == NATURAL_PERSON and years is not None:
        if facts.continuing and facts.ended_on is None:
            return None, (_cite("natural_person_retention_years", profile.natural_person_retention_years),)
        end = _act_end(facts)
        if end is not None:
            return add_years(end, years), (_cite("natural_person_retention_years", profile.natural_person_retention_years),)
    return None, ()


def compute_window(facts: RecordFacts, profile: PolicyProfile) -> Window:
    """The publicity / disclosure / retention window of one record under ``profile``."""
    retain_until, retain_citations = _retention(facts, profile)
    start = _start(facts)

    if facts.category != DISHONESTY:
        return _non_dishonesty_window(facts, profile, start, retain_until, retain_citations)

    months_window = _dishonesty_period(facts, profile, start)
    published, citations, reasons = months_window["published"], list(months_window["citations"]), [months_window["reason"]]

    # Who may never be published, whatever the period.
    if facts.is_minor:
        published = False
        citations.insert(0, Citation("minors_never_public", MINORS_NEVER_PUBLIC.article, MINORS_NEVER_PUBLIC.summary))
        reasons.insert(0, "行为时未成年，相关信息一律不予公示")
    elif facts.subject_type == NATURAL_PERSON and not profile.natural_person_dishonesty_public.value:
        published = False
        citations.insert(0, _cite("natural_person_dishonesty_public", profile.natural_person_dishonesty_public))
        reasons.insert(0, "自然人失信信息不对外公示，仅供本人查询、授权查询和政务共享")
    if facts.openness != "public" and published:
        published = False
        citations.insert(0, _catalog_citation(facts))
        reasons.insert(0, "目录条目开放属性为非公开，不在门户公示")

    return Window(
        published=published,
        public_from=months_window["public_from"],
        public_until=months_window["public_until"],
        retain_until=retain_until,
        long_term=months_window["long_term"],
        citations=tuple(citations),
        reason="；".join(r for r in reasons if r) + "。",
        min_until=months_window["min_until"],
        pending_end=months_window["pending_end"],
        retain_citations=retain_citations,
    )


#: windows already computed, by (profile identity, facts): ``compute_window`` is a pure function of the two (no clock,
#: no database), and a push repeats the same facts many times (the same catalog item, penalty type and dates), so the
#: workers' window task computes each distinct case once. Bounded: cleared when full.
_WINDOWS: dict[tuple[int, RecordFacts], tuple[PolicyProfile, Window]] = {}
WINDOW_CACHE_SIZE = 20_000


def cached_window(facts: RecordFacts, profile: PolicyProfile) -> Window:
    """:func:`compute_window`, memoised (the result is immutable and the same object for equal facts)."""
    key = (id(profile), facts)
    hit = _WINDOWS.get(key)
    if hit is not None and hit[0] is profile:  # the identity check: an id may be reused by a later profile object
        return hit[1]
    window = compute_window(facts, profile)
    if len(_WINDOWS) >= WINDOW_CACHE_SIZE:
        _WINDOWS.clear()
    _WINDOWS[key] = (profile, window)
    return window


def _non_dishonesty_window(facts, profile, start, retain_until, retain_citations) -> Window:
    """Basic, trust and other information: public long-term where the catalog opens it (Heilongjiang art. 51)."""
    if facts.is_minor:
        return Window(
            False, start, None, retain_until, True,
            (Citation("minors_never_public", MINORS_NEVER_PUBLIC.article, MINORS_NEVER_PUBLIC.summary),),
            "行为时未成年，相关信息一律不予公示。", retain_citations=retain_citations,
        )
    if facts.subject_type == NATURAL_PERSON:
        # Personal information is not made public unless a law provides or the person agrees (Karamay art. 36,
        # Heilongjiang art. 24, Qufu art. 64): kept for the person, authorised and government queries only.
        return Window(
            False, start, None, retain_until, True, (_cite("masked_personal_fields", profile.masked_personal_fields),),
            "自然人个人信息一般不予公开，仅供本人查询、授权查询和政务共享。", retain_citations=retain_citations,
        )
    catalog = _catalog_citation(facts)
    if facts.openness != "public":
        return Window(
            False, start, None, retain_until, True, (catalog,),
            "目录条目开放属性为非公开或依申请公开，不在门户公示。", retain_citations=retain_citations,
        )
    months = facts.catalog_months[1]
    if months and start:
        return Window(
            True, start, add_months(start, months), retain_until, False, (catalog,),
            f"按目录条目规定公示{months}个月。", retain_citations=retain_citations,
        )
    reason = "基础信息、守信信息可以依法长期公示" if facts.category in ("basic", TRUST) else "按目录条目长期公示"
    if facts.category == TRUST:
        reason += "；信用主体可以申请不公开其守信信息"
        return Window(True, start, None, retain_until, True, (catalog, _cite("trust_opt_out_days", profile.trust_opt_out_days)),
                      reason + "。", retain_citations=retain_citations)
    return Window(True, start, None, retain_until, True, (catalog,), reason + "。", retain_citations=retain_citations)


def _severity_rules(profile: PolicyProfile, severity: str) -> tuple[Rule, Rule]:
    """The profile's publicity period for a tier (minor | general | severe) and the national one (NDRC Order 36)."""
    return {
        "minor": (profile.publicity_minor_months, national.PUBLICITY_MINOR_MONTHS),
        "general": (profile.publicity_general_months, national.PUBLICITY_GENERAL_MONTHS),
        SEVERE: (profile.publicity_severe_months, national.PUBLICITY_SEVERE_MONTHS),
    }[severity]


def _severity_citations(profile: PolicyProfile, severity: str) -> list[Citation]:
    own, nat = _severity_rules(profile, severity)
    out = [Citation(f"publicity_{severity}_months", own.article, own.summary)]
    if profile.defers_to_national:
        # Karamay art. 33 / Qufu art. 86: the national period governs both ends; cite the deference and Order 36.
        out.append(_cite("publicity_defers_to_national", profile.publicity_defers_to_national))
        out.append(Citation(f"national_publicity_{severity}_months", nat.article, nat.summary))
    elif (own.value[0] is None or own.value[1] is None) and nat.article != own.article:
        out.append(Citation(f"national_publicity_{severity}_months", nat.article, nat.summary))
    return out


def _dishonesty_period(facts: RecordFacts, profile: PolicyProfile, start: date | None) -> dict:
    severity = facts.severity or "general"
    tier = SEVERE if severity == SPECIFIC_SEVERE else severity
    if tier not in ("minor", "general", SEVERE):
        tier = "general"
    lo, hi = profile.effective_publicity_months(tier, facts.domain or None)
    citations = _severity_citations(profile, tier)
    special_min = profile.publicity_special_domain_min_months.value
    if (
        facts.domain and special_min is not None and facts.domain in profile.special_domains.value
        and tier != "minor" and lo == special_min
    ):
        citations.append(_cite("publicity_special_domain_min_months", profile.publicity_special_domain_min_months))

    # The catalog item may fix a shorter period inside the statutory range; never outside it.
    months = hi
    cat_max = facts.catalog_months[1]
    if cat_max is not None:
        months = min(max(cat_max, lo), hi)

    # Each penalty type of the decision gives a candidate; the longest wins (Qufu art. 34).
    unpublished_types = set(profile.unpublished_penalty_types.value)
    long_term_rule = profile.long_term_publicity_cases.value
    cases = _long_term_cases(facts)
    long_term = bool(long_term_rule and any(long_term_rule.applies(c, facts.domain) for c in cases))
    types = tuple(facts.penalty_types)
    publishable_types = [t for t in types if t not in unpublished_types]
    all_unpublished = bool(types) and not publishable_types
    if len(types) > 1 and profile.publicity_multiple_types_longest.value:
        citations.append(_cite("publicity_multiple_types_longest", profile.publicity_multiple_types_longest))

    reasons = []
    published = True
    if all_unpublished:
        published = False
        citations.insert(0, _cite("unpublished_penalty_types", profile.unpublished_penalty_types))
        reasons.append("处罚种类为警告或通报批评，不予公示")
    elif tier == "minor" and not cat_max:
        published = False
        reasons.append("轻微失信信息原则上不予公示")
    if long_term:
        citations.insert(0, _cite("long_term_publicity_cases", profile.long_term_publicity_cases))

    # Start of the period: the decision; a continuing act counts from its end (Karamay art. 33, Heilongjiang 51).
    count_from = start
    pending_end = False
    starts_rule = profile.publicity_starts_from
    if starts_rule.value == "end_of_act_if_continuing":
        if facts.continuing and facts.ended_on is None:
            pending_end = True
        elif facts.ended_on and start and facts.ended_on > start:
            count_from = facts.ended_on
            citations.append(_cite("publicity_starts_from", profile.publicity_starts_from))
            reasons.append(f"失信行为持续至{facts.ended_on.isoformat()}，期限自行为终止之日起计算")
    elif starts_rule.value == "decision":
        citations.append(_cite("publicity_starts_from", profile.publicity_starts_from))

    tier_label = {"minor": "轻微", "general": "一般", SEVERE: "严重"}[tier]
    if long_term:
        reasons.append("属于应当长期公示的情形（被追究刑事责任、吊销许可证件或终身市场禁入）")
        public_until, min_until = None, None
    elif pending_end:
        reasons.append(f"{tier_label}失信信息，失信行为仍在持续，{months}个月期限自行为终止之日起计算")
        public_until, min_until = None, None
    elif count_from is None:
        public_until, min_until = None, None
    else:
        public_until = add_months(count_from, months)
        min_until = add_months(count_from, lo) if lo else count_from
        if published or not reasons:
            reasons.append(f"{tier_label}失信信息，期限{months}个月（法定{lo}至{hi}个月）")
        else:
            reasons.append(f"披露（查询、共享）期限{months}个月")
    return {
        "published": published,
        "public_from": start,
        "public_until": public_until,
        "min_until": min_until,
        "long_term": long_term,
        "pending_end": pending_end,
        "citations": citations,
        "reason": "；".join(reasons),
    }
