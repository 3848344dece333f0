"""Pure rules of incentives and punishments: no database, no clock, no settings.

Everything here takes plain values (a measure's attributes, a subject's facts, the active policy profile and
"today") and returns plain values, so each rule can be tested and cited on its own:

* :func:`measure_errors` — which measures may be *defined* at all (proportionality by construction, the
  legal-basis level of rights-reducing measures, Heilongjiang art. 47 on natural persons' points);
* :func:`matching_reasons` — which published measure *applies* to a subject, and because of what
  (a general dishonesty record never triggers a measure defined for severe dishonesty: Karamay art. 21,
  Heilongjiang art. 43, Qufu art. 45, Zhangye arts. 44 and 46);
* :func:`red_list_eligibility` / :func:`red_list_blockers` — 守信激励 (Karamay art. 22, Fuzhou art. 16);
* :func:`commitment_route` — who may not use the commitment route (Heilongjiang art. 28);
* :class:`ScoringModel` and :func:`evaluate` — the public credit evaluation and supervision tier
  (Karamay art. 27, Heilongjiang arts. 31–32 and 47, Qufu arts. 48–49, Zhangye art. 8).

Statutory numbers come from the policy profile passed in; the scoring weights are platform policy (not
statute) and live in one documented dataclass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from credit_platform.months import add_months, months_between
from records.models import LIVE_STATUSES

# --- vocabularies (the models use the same values) -------------------------------------------------------------
INCENTIVE = "incentive"
PUNISHMENT = "punishment"

TRIGGER_RECORD = "record"  # an in-force record of the listed categories / severities
TRIGGER_RED_LIST = "red_list"  # on the red list (守信激励对象名单)
TRIGGER_SEVERE_LIST = "severe_list"  # on the severe dishonesty list (严重失信主体名单)
TRIGGER_BROKEN_COMMITMENT = "broken_commitment"  # a false or broken commitment not yet repaired
TRIGGER_GRADE = "grade"  # the public credit evaluation grade (for natural persons: 诚信积分)
TRIGGERS = (TRIGGER_RECORD, TRIGGER_RED_LIST, TRIGGER_SEVERE_LIST, TRIGGER_BROKEN_COMMITMENT, TRIGGER_GRADE)

TIER_GENERAL = "general"  # 一般失信惩戒措施 (Zhangye art. 44, Karamay art. 24)
TIER_SEVERE = "severe"  # 严重失信主体惩戒措施 (Zhangye art. 46, Karamay art. 25, Qufu art. 44)

IMPACT_NONE = "none"  # 提醒、宣传推介、优先办理 …
IMPACT_FACILITATION = "facilitation"  # 不适用 / 取消便利化措施 (Heilongjiang art. 41)
IMPACT_RIGHTS = "rights"  # 减损权益或者增加义务 (Qufu art. 45)
IMPACT_BASIC_RIGHTS = "basic_rights"  # 限制法定权利或者基本公共服务 (Heilongjiang art. 47)
RIGHTS_REDUCING = (IMPACT_RIGHTS, IMPACT_BASIC_RIGHTS)

# Levels of legal basis. A measure that reduces rights or adds obligations must cite a law, a regulation or a
# policy document of the Party Central Committee / State Council directly (Qufu art. 45; 国办发〔2020〕49号).
BASIS_LAW = "law"
BASIS_ADMIN_REGULATION = "administrative_regulation"
BASIS_LOCAL_REGULATION = "local_regulation"
BASIS_CENTRAL_POLICY = "central_policy"
BASIS_RULE = "rule"  # 规章
BASIS_NORMATIVE = "normative_document"  # 规范性文件
BASIS_LEVELS_FOR_RIGHTS = (BASIS_LAW, BASIS_ADMIN_REGULATION, BASIS_LOCAL_REGULATION, BASIS_CENTRAL_POLICY)

NATURAL_PERSON = "natural_person"
SUBJECT_TYPES = ("natural_person", "legal_person", "unincorporated", "individual_business")

TRUST = "trust"
DISHONESTY = "dishonesty"
SEVERITY_ORDER = {"minor": 0, "general": 1, "severe": 2, "specific_severe": 3}
SEVERE_SEVERITIES = ("severe", "specific_severe")

# Records that count: in force (as pushed or as corrected). Revoked, repaired, expired and shielded records are
# no longer used (Order 36: after repair "sharing and use stop"; Karamay art. 33: not disclosed after the term).
LIVE_RECORD_STATUSES = LIVE_STATUSES

GRADES = ("A", "B", "C", "D")
TIER_LOWER = "lower"
TIER_NORMAL = "normal"
TIER_HIGHER = "higher"


# --- measure definitions -----------------------------------------------------------------------------------------
def measure_errors(m, policy=None) -> dict[str, list[str]]:
    """Field → messages (Chinese / English) for a measure that may not be defined this way.

    ``m`` has the attributes of :class:`sanctions.models.Measure` (``kind``, ``trigger``, ``tier``, ``categories``,
    ``severities``, ``grades``, ``target_types``, ``rights_impact``, ``basis_level``, ``legal_basis`` …).
    """
    errors: dict[str, list[str]] = {}

    def err(fieldname: str, message: str) -> None:
        errors.setdefault(fieldname, []).append(message)

    kind, trigger = m.kind, m.trigger
    severities = list(m.severities or [])
    categories = list(m.categories or [])
    targets = list(m.target_types or [])
    impact = m.rights_impact

    if not (m.legal_basis or "").strip():
        err("legal_basis", "每项措施须列明实施依据 / every measure needs its legal basis (Karamay 23, Heilongjiang 39)")
    if not targets:
        err("target_types", "须列明实施对象 / the target subjects are required")
    unknown = [t for t in targets if t not in SUBJECT_TYPES]
    if unknown:
        err("target_types", f"未知的主体类型 / unknown subject types: {', '.join(unknown)}")
    if trigger not in TRIGGERS:
        err("trigger", f"未知的适用情形 / unknown trigger {trigger!r}")
    bad_sev = [s for s in severities if s not in SEVERITY_ORDER]
    if bad_sev:
        err("severities", f"未知的失信严重程度 / unknown severities: {', '.join(bad_sev)}")

    if kind == INCENTIVE:
        if trigger in (TRIGGER_SEVERE_LIST, TRIGGER_BROKEN_COMMITMENT):
            err("trigger", "激励措施只能基于守信信息、红名单或评价等级 / an incentive cannot be triggered by dishonesty")
        if trigger == TRIGGER_RECORD and (categories != [TRUST] or severities):
            err("categories", "激励措施只能基于守信信息 / an incentive is based on trust records only (Karamay 22)")
        if impact in RIGHTS_REDUCING:
            err("rights_impact", "激励措施不得减损权益 / an incentive cannot reduce rights")
    elif kind == PUNISHMENT:
        if trigger == TRIGGER_RED_LIST:
            err("trigger", "惩戒措施不能基于红名单 / a punishment cannot be triggered by the red list")
        if trigger == TRIGGER_RECORD:
            if categories != [DISHONESTY]:
                err("categories", "惩戒措施只能基于失信信息 / a punishment is based on dishonesty records only")
            if not severities:
                err("severities", "须列明适用的失信严重程度 / the severities it applies to are required (Karamay 21)")
        # Proportionality by construction: a measure for severe dishonesty can never name a lesser tier.
        if m.tier == TIER_SEVERE:
            if trigger == TRIGGER_RECORD and any(s not in SEVERE_SEVERITIES for s in severities):
                err("severities", "严重失信惩戒措施只适用于严重失信行为，不得用于一般或轻微失信 / a severe-tier measure "
                    "applies to severe dishonesty only (Karamay 21, 25; Qufu 45: 防止小过重惩)")
            if trigger in (TRIGGER_BROKEN_COMMITMENT, TRIGGER_GRADE):
                err("trigger", "严重失信惩戒措施只能基于严重失信主体名单或严重失信信息 / a severe-tier measure needs the "
                    "severe list or a severe record")
        if "minor" in severities and impact in RIGHTS_REDUCING:
            err("severities", "轻微失信免于惩戒，只能提醒 / minor dishonesty is not punished with rights-reducing "
                "measures (Heilongjiang 43)")
        if impact in RIGHTS_REDUCING and m.basis_level not in BASIS_LEVELS_FOR_RIGHTS:
            err("basis_level", "减损权益或增加义务的措施须直接援引法律、法规或党中央、国务院政策文件 / a rights-reducing "
                "measure must cite a law, a regulation or a central policy document (Qufu 45)")
        if trigger == TRIGGER_GRADE and NATURAL_PERSON in targets:
            if impact == IMPACT_BASIC_RIGHTS:
                err("rights_impact", "禁止以诚信积分为依据限制自然人享有法定权利和基本公共服务 / natural persons' points "
                    "may never restrict legal rights or basic public services (Heilongjiang 47)")
            elif impact in RIGHTS_REDUCING:
                err("rights_impact", "自然人诚信积分只用于激励，不得据以减损权益 / natural persons' points give "
                    "incentives only (Heilongjiang 47)")
    else:
        err("kind", f"未知的措施类别 / unknown kind {kind!r}")

    if trigger == TRIGGER_GRADE:
        grades = list(m.grades or [])
        if not grades or any(g not in GRADES for g in grades):
            err("grades", "须列明适用的评价等级（A/B/C/D）/ the grades it applies to are required")
    return errors


# --- facts about a subject ---------------------------------------------------------------------------------------
class RecordFact(NamedTuple):
    """One record as the rules see it. A named tuple, not a dataclass: a set-based recompute builds one per live
    record of thousands of subjects, and a frozen dataclass's constructor costs several times a tuple's."""

    id: int
    category: str
    severity: str
    status: str
    decided_on: date | None = None
    domain: str = ""
    name: str = ""

    @property
    def live(self) -> bool:
        return self.status in LIVE_RECORD_STATUSES


@dataclass(frozen=True)
class SubjectFacts:
    subject_type: str
    records: tuple[RecordFact, ...] = ()
    red_list_ids: tuple[int, ...] = ()  # entries currently listed
    severe_list_ids: tuple[int, ...] = ()  # entries currently listed (own or as a responsible person)
    broken_commitment_ids: tuple[int, ...] = ()  # false / broken commitments whose record is not repaired
    grade: str | None = None
    evaluation_id: int | None = None

    def live(self, category: str) -> list[RecordFact]:
        return [r for r in self.records if r.live and r.category == category]


def ref(kind: str, pk: int) -> str:
    """The id of a reason in a joint-check answer: ``record:12``, ``severe_list:3``, ``red_list:4`` …"""
    return f"{kind}:{pk}"


def proportionate(measure, severity: str) -> bool:
    """A record of ``severity`` may trigger ``measure`` only if the measure names that severity, and a severe-tier
    measure never for less than severe dishonesty (Karamay art. 21, Qufu art. 45)."""
    if severity not in (measure.severities or []):
        return False
    return not (measure.tier == TIER_SEVERE and severity not in SEVERE_SEVERITIES)


def matching_reasons(measure, facts: SubjectFacts, policy) -> list[str]:
    """The reasons (``record:…``, ``severe_list:…`` …) for which a published ``measure`` applies to the subject;
    empty when it does not apply."""
    if facts.subject_type not in (measure.target_types or []):
        return []
    trigger = measure.trigger
    domains = set(measure.domains or [])
    if measure.kind == INCENTIVE:
        # Incentives never go to a subject on the severe list, nor (where the profile says so) to one with any
        # dishonesty record in force (Karamay art. 22).
        if facts.severe_list_ids or facts.broken_commitment_ids:
            return []
        if policy.red_list_requires_no_dishonesty.value and facts.live(DISHONESTY):
            return []
        if measure.clean_record_condition and clean_record_blockers(facts, policy):
            return []  # Fuzhou art. 16(1): the green channel needs N years without a bad credit record
    if trigger == TRIGGER_RECORD:
        wanted = set(measure.categories or [])
        hits = []
        for r in facts.records:
            if not r.live or r.category not in wanted or (domains and r.domain not in domains):
                continue
            if r.category == DISHONESTY and not proportionate(measure, r.severity):
                continue
            hits.append(ref("record", r.id))
        return hits
    if trigger == TRIGGER_RED_LIST:
        return [ref("red_list", i) for i in facts.red_list_ids]
    if trigger == TRIGGER_SEVERE_LIST:
        return [ref("severe_list", i) for i in facts.severe_list_ids]
    if trigger == TRIGGER_BROKEN_COMMITMENT:
        return [ref("commitment", i) for i in facts.broken_commitment_ids]
    if trigger == TRIGGER_GRADE:
        if facts.grade and facts.grade in (measure.grades or []) and facts.evaluation_id:
            return [ref("evaluation", facts.evaluation_id)]
        return []
    return []


# --- red list ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...]
    because: tuple[str, ...] = ()  # trust records that qualify
    blockers: tuple[str, ...] = ()  # records / entries that stand in the way


def red_list_blockers(facts: SubjectFacts, policy, today: date) -> list[str]:
    """What stands in the way of a red-list membership (and removes an existing one).

    * on the severe list or with a broken commitment: always;
    * a dishonesty record in force: any severity where the profile requires "no dishonesty record"
      (Karamay art. 22), otherwise general and above (minor, occasional acts are not held against a subject:
      Heilongjiang art. 43);

    Fuzhou art. 16(1)'s "连续三年无不良信用记录" is NOT a red-list condition: it is a condition of the green-channel /
    容缺受理 measure (see :func:`clean_record_blockers`).
    """
    out = [ref("severe_list", i) for i in facts.severe_list_ids]
    out += [ref("commitment", i) for i in facts.broken_commitment_ids]
    strict = bool(policy.red_list_requires_no_dishonesty.value)
    for r in facts.live(DISHONESTY):
        if strict or SEVERITY_ORDER.get(r.severity, 1) >= SEVERITY_ORDER["general"]:
            out.append(ref("record", r.id))
    return out


def clean_record_blockers(facts: SubjectFacts, policy) -> list[str]:
    """Fuzhou art. 16(1): "对诚信典型和连续三年无不良信用记录的申请人，可…实施‘绿色通道’和‘容缺受理’等便利服务措施".

    The bad credit records (不良信用记录) that stand in the way of a measure marked ``clean_record_condition``, where
    the profile sets ``red_list_clean_record_years``: the dishonesty records still in force. A record whose publicity
    has ended (expired), that was repaired, revoked or shielded is no longer a bad credit record — sharing and use
    stop after repair (NDRC Order 36) and nothing is disclosed after the term (Karamay art. 33) — and a record in
    force is a bad record within the last N years whatever its date. Empty when the profile sets no such condition.
    """
    if not policy.red_list_clean_record_years.value:
        return []
    return [ref("record", r.id) for r in facts.live(DISHONESTY)]


def red_list_eligibility(facts: SubjectFacts, policy, today: date) -> Eligibility:
    blockers = red_list_blockers(facts, policy, today)
    trust = [ref("record", r.id) for r in facts.live(TRUST)]
    reasons = []
    if blockers:
        reasons.append("存在失信信息、严重失信名单或未修复的违诺记录 / dishonesty on file "
                       f"（{policy.red_list_requires_no_dishonesty.article}）")
    if not trust:
        reasons.append("没有守信信息记录 / no trust record (Karamay 22, 12)")
    return Eligibility(not blockers and bool(trust), tuple(reasons), tuple(trust), tuple(blockers))


# --- commitment route --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CommitmentRoute:
    allowed: bool
    reason: str
    article: str
    because: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"allowed": self.allowed, "reason": self.reason, "article": self.article, "because": list(self.because)}


def commitment_route(facts: SubjectFacts, policy) -> CommitmentRoute:
    """Heilongjiang art. 28: severe-list subjects and those who made a false or broken commitment may not use the
    commitment route until repaired. Profiles silent on it leave the question to the published measure lists
    (Karamay art. 24(2)): the answer then says so and the measures carry it."""
    because = tuple([ref("severe_list", i) for i in facts.severe_list_ids]
                    + [ref("commitment", i) for i in facts.broken_commitment_ids])
    article = policy.commitment_barred_until_repaired.article
    if policy.commitment_barred_until_repaired.value:
        if because:
            return CommitmentRoute(False, "严重失信主体或作出过虚假承诺、未履行承诺的主体，在信用修复完成前不得适用信用承诺制",
                                   article, because)
        return CommitmentRoute(True, "可以适用信用承诺制", article)
    return CommitmentRoute(True, "本规则未规定禁止适用信用承诺制的情形；以已公布的措施清单为准", article, because)


# --- evaluation ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScoringModel:
    """The public credit evaluation model (公共信用综合评价), published on the portal with every grade.

    The statutes require an evaluation and tiered supervision (Karamay art. 27, Heilongjiang arts. 31–32,
    Qufu arts. 48–49, Zhangye art. 8) but set no formula; these weights are **platform policy**, adopted by the
    credit centre, and are the only place the formula lives. Change them here (and bump ``version``): every
    evaluation stores the version it was computed with.

    * Every subject starts at ``base`` points.
    * Each trust record in force adds ``trust_points`` (awards, volunteering, kept commitments, taxes paid on time:
      Karamay art. 12), at most ``trust_cap`` in total.
    * Each dishonesty record in force deducts ``dishonesty_points[severity]`` times the recency factor of its age
      (months since the decision): ``recency`` lists ``(up_to_months, factor)`` brackets; older records count
      ``old_factor``. Minor dishonesty weighs little, severe dishonesty a lot (proportionality).
    * Repaired, revoked, expired and shielded records count nothing: repair means "use stops and evaluations are
      updated" (NDRC Order 36); a record whose term has ended may not be used again (Karamay art. 33).
    * Membership of the severe list deducts ``severe_list_points``; a false or broken commitment not repaired
      deducts ``broken_commitment_points``; membership of the red list adds ``red_list_points``.
    * The score is clamped to 0–100. Grades: A from ``grade_a``, B from ``grade_b``, C from ``grade_c``, else D.
    * Supervision tier (Heilongjiang art. 32): A → lower inspection frequency; B and C → normal; D → higher.
      Natural persons get a score for incentives only and no supervision tier: their points may never restrict
      legal rights or basic public services (Heilongjiang art. 47).
    """

    version: str = "2026.1"
    base: int = 80
    trust_points: int = 2
    trust_cap: int = 20
    dishonesty_points: tuple[tuple[str, int], ...] = (
        ("minor", 2), ("general", 10), ("severe", 30), ("specific_severe", 40),
    )
    recency: tuple[tuple[int, float], ...] = ((12, 1.0), (24, 0.6), (36, 0.3))
    old_factor: float = 0.1
    severe_list_points: int = 20
    broken_commitment_points: int = 10
    red_list_points: int = 5
    grade_a: int = 90
    grade_b: int = 75
    grade_c: int = 60
    tiers: tuple[tuple[str, str], ...] = (("A", TIER_LOWER), ("B", TIER_NORMAL), ("C", TIER_NORMAL), ("D", TIER_HIGHER))

    def points_for(self, severity: str) -> int:
        return dict(self.dishonesty_points).get(severity, dict(self.dishonesty_points)["general"])

    def factor(self, age_months: int) -> float:
        for up_to, factor in self.recency:
            if age_months < up_to:
                return factor
        return self.old_factor

    def grade(self, score: int) -> str:
        if score >= self.grade_a:
            return "A"
        if score >= self.grade_b:
            return "B"
        if score >= self.grade_c:
            return "C"
        return "D"


DEFAULT_MODEL = ScoringModel()

SEVERITY_LABELS = {"minor": "轻微", "general": "一般", "severe": "严重", "specific_severe": "特定严重"}
TIER_LABELS = {TIER_LOWER: "降低抽查比例和频次", TIER_NORMAL: "常规比例和频次抽查", TIER_HIGHER: "提高抽查比例和频次"}


@dataclass(frozen=True)
class EvaluationResult:
    score: int
    grade: str
    tier: str | None
    reasons: tuple[dict, ...]
    recompute_on: date | None  # the next day on which the score changes by age alone
    model_version: str = ""


@lru_cache(maxsize=16384)
def _dishonesty_term(model: ScoringModel, severity: str, decided: date, today: date):
    """What one dishonesty record in force contributes, a pure function of its severity and decision date (memoised:
    a set-based recompute evaluates thousands of subjects whose records share a few hundred dates). Returns
    (points, the next day its weight changes or None, the reason text before and after the record's name)."""
    age = months_between(decided, today)
    factor = model.factor(age)
    points = -round(model.points_for(severity) * factor, 1)
    boundary = None
    for up_to, _ in model.recency:
        if age < up_to:
            boundary = add_months(decided, up_to)
            break
    head = f"{SEVERITY_LABELS.get(severity, severity)}失信信息“"
    return points, boundary, head, f"”（{decided:%Y-%m-%d}，{age} 个月前，权重 {factor}）"


#: What each entry of an evaluation's ``reasons`` is (its ``kind`` key), in the order ``evaluate`` lists them: the
#: order is what lets ``extend_evaluation`` add new records to stored reasons without the subject's other records.
REASON_BASE, REASON_TRUST, REASON_DISHONESTY, REASON_REPAIRED = "base", "trust", "dishonesty", "repaired"
REASON_SEVERE_LIST, REASON_COMMITMENT, REASON_RED_LIST, REASON_NOTE = "severe_list", "commitment", "red_list", "note"


def _trust_reason(refs: list[str], model: ScoringModel) -> dict:
    total = min(len(refs) * model.trust_points, model.trust_cap)
    return {"points": total, "ref": ",".join(refs), "kind": REASON_TRUST,
            "text": f"守信信息 {len(refs)} 条，每条 +{model.trust_points}，上限 {model.trust_cap}"}


def _dishonesty_reason(r: RecordFact, today: date, model: ScoringModel) -> tuple[dict, date | None]:
    points, boundary, head, tail = _dishonesty_term(model, r.severity, r.decided_on or today, today)
    return {"points": points, "ref": ref("record", r.id), "kind": REASON_DISHONESTY,
            "text": f"{head}{r.name or r.id}{tail}"}, boundary


def _earliest(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else min(a, b)


def tenths(points) -> int:
    """A reason's points in tenths of a point: every term is rounded to one decimal, so tenths are exact integers and
    a score summed in tenths is the same in whatever order its terms are added (a float sum is not), which is what
    lets ``extend_evaluation`` add new terms to the stored total (``Evaluation.points_tenths``)."""
    return round(points * 10)


def _score(total_tenths: int, subject_type: str, model: ScoringModel) -> tuple[int, str, str | None]:
    """(score clamped to 0–100 and rounded half to even, grade, supervision tier or None for natural persons)."""
    final = int(round(max(0, min(1000, total_tenths)) / 10))
    grade = model.grade(final)
    return final, grade, None if subject_type == NATURAL_PERSON else dict(model.tiers)[grade]


def _result(reasons: list[dict], subject_type: str, next_change: date | None, model: ScoringModel) -> EvaluationResult:
    """The score is the sum of the reasons' points (in exact tenths), clamped to 0–100."""
    final, grade, tier = _score(sum(tenths(r["points"]) for r in reasons), subject_type, model)
    return EvaluationResult(final, grade, tier, tuple(reasons), next_change, model.version)


_NATURAL_PERSON_NOTE = {"points": 0, "ref": "", "kind": REASON_NOTE,
                        "text": "自然人诚信积分仅用于激励，不据以分级监管或限制权利（黑龙江第四十七条）"}


def evaluate(facts: SubjectFacts, today: date, model: ScoringModel = DEFAULT_MODEL,
             red_list_ids: Iterable[int] = ()) -> EvaluationResult:
    reasons: list[dict] = [{"points": model.base, "text": f"基础分 {model.base}", "ref": "", "kind": REASON_BASE}]
    trust = facts.live(TRUST)
    if trust:
        reasons.append(_trust_reason([ref("record", r.id) for r in trust], model))
    next_change: date | None = None
    for r in facts.live(DISHONESTY):
        reason, boundary = _dishonesty_reason(r, today, model)
        reasons.append(reason)
        next_change = _earliest(next_change, boundary)
    for r in facts.records:
        if r.category == DISHONESTY and r.status == "repaired":
            reasons.append({"points": 0, "ref": ref("record", r.id), "kind": REASON_REPAIRED,
                            "text": f"失信信息“{r.name or r.id}”已完成信用修复，不再计分"})
    for i in facts.severe_list_ids:
        reasons.append({"points": -model.severe_list_points, "ref": ref("severe_list", i), "kind": REASON_SEVERE_LIST,
                        "text": "列入严重失信主体名单"})
    for i in facts.broken_commitment_ids:
        reasons.append({"points": -model.broken_commitment_points, "ref": ref("commitment", i),
                        "kind": REASON_COMMITMENT, "text": "虚假承诺或未履行承诺，尚未修复"})
    for i in red_list_ids:
        reasons.append({"points": model.red_list_points, "ref": ref("red_list", i), "kind": REASON_RED_LIST,
                        "text": "列入守信激励对象名单"})
    if facts.subject_type == NATURAL_PERSON:
        reasons.append(dict(_NATURAL_PERSON_NOTE))
    return _result(reasons, facts.subject_type, next_change, model)


@dataclass(frozen=True)
class StoredEvaluation:
    """What ``extend_evaluation`` needs of a stored evaluation — not its reasons, which grow with the subject's
    records: their points' total and the newest record they name (stored beside the reasons, ``extension_state``),
    the trust reason, and whether the list ends with the natural-person note."""

    points_tenths: int
    newest_record_id: int
    trust: dict | None  # the trust reason (second in the list) if there is one
    ends_with_note: bool
    recompute_on: date | None


def extension_state(reasons: list[dict]) -> tuple[int | None, int | None]:
    """(points' total in tenths, newest record named) of ``evaluate``'s reasons, stored with the evaluation so that a
    push can extend it without reading its reasons; (None, None) where it cannot be extended: reasons without their
    kinds (written before kinds existed) or with a red-list membership (a new dishonesty record may end it:
    Heilongjiang art. 43, so the facts must be read)."""
    if not reasons or any("kind" not in r for r in reasons) or reasons[0]["kind"] != REASON_BASE:
        return None, None
    if any(r["kind"] == REASON_RED_LIST for r in reasons):
        return None, None
    newest = max((int(part[7:]) for r in reasons for part in r["ref"].split(",") if part.startswith("record:")),
                 default=0)
    return sum(tenths(r["points"]) for r in reasons), newest


def summarise(reasons: list[dict], recompute_on: date | None) -> StoredEvaluation | None:
    """The ``StoredEvaluation`` of ``reasons`` (None where they cannot be extended)."""
    points, newest = extension_state(reasons)
    if points is None:
        return None
    return StoredEvaluation(points, newest, reasons[1] if len(reasons) > 1 and reasons[1]["kind"] == REASON_TRUST
                            else None, reasons[-1]["kind"] == REASON_NOTE, recompute_on)


@dataclass(frozen=True)
class Extension:
    """A stored evaluation extended by new records: the new values, and the reasons to splice into the stored list
    — a trust reason replacing (or inserted as) the second, and dishonesty reasons inserted after it (``apply``)."""

    score: int
    grade: str
    tier: str | None
    recompute_on: date | None
    model_version: str
    trust: dict | None
    dishonesty: tuple[dict, ...]
    points_tenths: int  # the new ``extension_state``
    newest_record_id: int

    def apply(self, reasons: list[dict]) -> list[dict]:
        old_trust = len(reasons) > 1 and reasons[1].get("kind") == REASON_TRUST
        trust = [self.trust] if self.trust else reasons[1:2] if old_trust else []
        return [reasons[0], *trust, *self.dishonesty, *reasons[2 if old_trust else 1:]]


def extend_evaluation(stored: StoredEvaluation, new_records: Iterable[RecordFact], subject_type: str, today: date,
                      model: ScoringModel = DEFAULT_MODEL) -> Extension | None:
    """``evaluate`` of a subject's facts plus ``new_records``, from what ``evaluate`` gave for the facts alone on the
    same ``today`` with the same ``model`` (``stored``) — without the subject's other records or even its stored
    reasons: what keeps a continuous push's evaluations at a cost per new record, not per record of its subject
    (issue #17). ``Extension.apply`` of the stored reasons gives exactly ``evaluate``'s reasons, in the same order, and
    the values are ``evaluate``'s (tests/sanctions/test_evaluation_extension.py).

    Returns None where it cannot be exact, and the caller evaluates from the facts instead: a stored evaluation that
    cannot be extended (``extension_state``), a new record not newer than every record the reasons name (a change to
    a known record, or one out of order), or a new record already repaired."""
    if (subject_type == NATURAL_PERSON) != stored.ends_with_note:
        return None
    trust: list[RecordFact] = []
    dishonesty: list[RecordFact] = []
    for r in new_records:
        if r.id <= stored.newest_record_id:
            return None
        if r.live and r.category == TRUST:
            trust.append(r)
        elif r.live and r.category == DISHONESTY:
            dishonesty.append(r)
        elif r.category == DISHONESTY and r.status == "repaired":
            return None
        # anything else (revoked, shielded, expired, another category) counts nothing, as in ``evaluate``
    total = stored.points_tenths
    trust_reason = None
    if trust:
        trust.sort(key=lambda r: r.id, reverse=True)  # ``evaluate`` reads the records newest first
        old = stored.trust
        refs = [ref("record", r.id) for r in trust] + (old["ref"].split(",") if old else [])
        trust_reason = _trust_reason(refs, model)
        total += tenths(trust_reason["points"]) - (tenths(old["points"]) if old else 0)
    next_change = stored.recompute_on
    reasons = []
    for r in sorted(dishonesty, key=lambda r: r.id, reverse=True):  # newer than every record named: first
        reason, boundary = _dishonesty_reason(r, today, model)
        reasons.append(reason)
        total += tenths(reason["points"])
        next_change = _earliest(next_change, boundary)
    final, grade, tier = _score(total, subject_type, model)
    newest = max([stored.newest_record_id, *(r.id for r in trust), *(r.id for r in dishonesty)])
    return Extension(final, grade, tier, next_change, model.version, trust_reason, tuple(reasons), total, newest)
