"""Value types for jurisdiction policy profiles (DESIGN.md principle 1: rules are data with a citation).

A :class:`PolicyProfile` holds every statutory parameter the platform needs as a :class:`Rule`:
the value, the article it comes from (statute title and article number in Chinese), a short Chinese
summary, the unit the value is expressed in, and where the value comes from:

* ``source="statute"``  — the profile's own statute says so;
* ``source="national"`` — the statute is silent (or defers), so a national / higher-level rule applies
  and is cited instead (e.g. repair deadlines from NDRC Order 36);
* ``source="platform"`` — a platform setting that implements a cited article which gives no number
  (documented in the summary; never presented to citizens as a statutory number).

``value is None`` means "the cited text sets no number / no rule here". The consumer then applies the
documented fallback: for day counts that is "timely" (及时) with no statutory due date; for
``(min, max)`` publicity ranges :meth:`PolicyProfile.effective_publicity_months` fills a missing bound
from the national tier.

Profiles are frozen: no code may change a statutory number at run time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, NamedTuple, TypeVar

from django.utils import timezone

T = TypeVar("T")

# --- units (drive display and validation) ------------------------------------------------------------
WORKING_DAYS = "working_days"  # 工作日 (Chinese working days, see the working-day calendar)
DAYS = "days"  # 自然日
MONTHS = "months"
YEARS = "years"
MONTH_RANGE = "month_range"  # (min_months | None, max_months | None)
FLAG = "flag"  # bool | None
CODES = "codes"  # tuple[str, ...] of codes listed in labels.CODE_LABELS
CHOICES = "choices"  # tuple[tuple[code, label_zh], ...]
SEVERITY_MONTHS = "severity_months"  # tuple[tuple[severity_code, months], ...]
CASE_DOMAINS = "case_domains"  # LongTermPublicity | None
CODE = "code"  # a single code
COUNT = "count"  # 次

UNITS = (
    WORKING_DAYS,
    DAYS,
    MONTHS,
    YEARS,
    COUNT,
    MONTH_RANGE,
    FLAG,
    CODES,
    CHOICES,
    SEVERITY_MONTHS,
    CASE_DOMAINS,
    CODE,
)

SOURCE_STATUTE = "statute"
SOURCE_NATIONAL = "national"
SOURCE_PLATFORM = "platform"
SOURCES = (SOURCE_STATUTE, SOURCE_NATIONAL, SOURCE_PLATFORM)

STATUS_ENACTED = "enacted"  # 已施行的地方性法规
STATUS_DRAFT = "draft"  # 草案 / 征求意见稿
STATUS_MEASURES = "measures"  # 政府规章 / 规范性文件（办法），可能有有效期
STATUSES = (STATUS_ENACTED, STATUS_DRAFT, STATUS_MEASURES)

SEVERITIES = ("minor", "general", "severe")

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..999 as Chinese numerals, in the style used for article numbers (第三十四条, 第一百零二条)."""
    if not 0 < n < 1000:
        raise ValueError(f"article number out of range: {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _CN_DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if (tens == 1 and not hundreds) else _CN_DIGITS[tens]) + "十"
    if ones:
        out += _CN_DIGITS[ones]
    return out


def cite(title: str, article: int, item: int | None = None) -> str:
    """``cite("克拉玛依市社会信用条例", 13, 6)`` → ``《克拉玛依市社会信用条例》第十三条第（六）项``."""
    text = f"《{title}》第{cn_number(article)}条"
    if item is not None:
        text += f"第（{cn_number(item)}）项"
    return text


def silent(title: str, *, see: str = "") -> str:
    """Citation for a parameter the statute does not address."""
    return f"《{title}》未作规定" + (f"（{see}）" if see else "")


@dataclass(frozen=True)
class Rule(Generic[T]):
    value: T
    article: str
    summary: str = ""
    unit: str = ""
    source: str = SOURCE_STATUTE

    def __post_init__(self) -> None:
        if not self.article.strip():
            raise ValueError("every rule needs its article (DESIGN.md principle 1)")
        if self.unit and self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}")
        if self.source not in SOURCES:
            raise ValueError(f"unknown source {self.source!r}")
        v = self.value
        if isinstance(v, list | dict | set):
            raise TypeError("rule values must be immutable (use tuples)")
        is_count = self.unit in (WORKING_DAYS, DAYS, MONTHS, YEARS, COUNT)
        if is_count and v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
            raise ValueError(f"{self.unit} value must be a non-negative int or None, got {v!r}")
        if self.unit == FLAG and v is not None and not isinstance(v, bool):
            raise ValueError(f"flag value must be bool or None, got {v!r}")
        if self.unit == MONTH_RANGE:
            lo, hi = v
            if lo is not None and hi is not None and lo > hi:
                raise ValueError(f"publicity range min > max: {v!r}")

    @property
    def is_set(self) -> bool:
        return self.value is not None


class LongTermPublicity(NamedTuple):
    """Cases (case codes) in listed domains (domain codes) whose dishonesty information is published long-term."""

    cases: tuple[str, ...]
    domains: tuple[str, ...]

    def applies(self, case: str, domain: str) -> bool:
        return case in self.cases and domain in self.domains


@dataclass(frozen=True)
class PolicyProfile:
    """Every statutory parameter of one jurisdiction, each with its article. Field order = display order."""

    # --- identity -----------------------------------------------------------------------------------
    code: str
    name: str  # statute title without 《》
    short_name: str
    status: str  # STATUS_ENACTED / STATUS_DRAFT / STATUS_MEASURES
    issuer: str
    document_number: str  # 文号 or adopting session, "" when none
    valid_from: date | None
    valid_until: date | None  # last day in force (inclusive); None = open-ended
    related_instruments: tuple[str, ...]  # higher-level or delegated instruments the text points to

    # --- objections and corrections (异议与更正) ----------------------------------------------------
    objection_mark_days: Rule[int | None]
    objection_decision_days: Rule[int | None]
    objection_decision_days_assisted: Rule[int | None]
    objection_extension_total_days: Rule[int | None]
    objection_assist_reply_days: Rule[int | None]
    objection_pause_not_counted: Rule[bool | None]
    objection_pause_activities: Rule[tuple[str, ...]]
    objection_correction_days: Rule[int | None]
    objection_refusal_reason_required: Rule[bool | None]
    complaint_reply_days: Rule[int | None]
    push_deadline_days: Rule[int | None]
    platform_forward_days: Rule[int | None]
    correction_days: Rule[int | None]
    revocation_provider_days: Rule[int | None]
    revocation_platform_days: Rule[int | None]

    # --- disclosure (公示与查询) --------------------------------------------------------------------
    severity_levels: Rule[tuple[str, ...]]
    publicity_minor_months: Rule[tuple[int | None, int | None]]
    publicity_general_months: Rule[tuple[int | None, int | None]]
    publicity_severe_months: Rule[tuple[int | None, int | None]]
    publicity_defers_to_national: Rule[bool | None]
    publicity_special_domain_min_months: Rule[int | None]
    special_domains: Rule[tuple[str, ...]]
    long_term_publicity_cases: Rule[LongTermPublicity | None]
    unpublished_penalty_types: Rule[tuple[str, ...]]
    publicity_multiple_types_longest: Rule[bool | None]
    publicity_starts_from: Rule[str]
    severe_list_publicity_stop_days: Rule[int | None]
    severe_list_retention_years: Rule[int | None]
    severe_list_retention_restarts: Rule[bool | None]
    severe_list_archived_never_republished: Rule[bool | None]
    natural_person_dishonesty_public: Rule[bool]
    age_of_majority: Rule[int]
    natural_person_retention_years: Rule[int | None]
    masked_personal_fields: Rule[tuple[str, ...]]
    trust_opt_out_days: Rule[int | None]
    authorisation_max_days: Rule[int | None]
    query_purposes: Rule[tuple[tuple[str, str], ...]]
    free_reports_per_year: Rule[int | None]

    # --- repair (信用修复) -------------------------------------------------------------------------
    repair_accept_days: Rule[int]
    repair_decision_days: Rule[int]
    repair_min_months: Rule[tuple[tuple[str, int], ...]]
    repair_special_domain_min_months: Rule[int | None]
    repair_conditions: Rule[tuple[str, ...]]
    non_repairable_cases: Rule[tuple[str, ...]]
    repair_revocable_on_fraud: Rule[bool | None]
    repair_free_of_charge: Rule[bool | None]
    repair_notice_with_decision: Rule[bool]

    # --- ingestion and content (归集与采集) ---------------------------------------------------------
    forbidden_content: Rule[tuple[str, ...]]
    restricted_content_requires_consent: Rule[tuple[str, ...]]
    excluded_procedures: Rule[tuple[str, ...]]

    # --- sanctions and commitments (奖惩与承诺) ------------------------------------------------------
    commitment_check_months: Rule[int | None]
    commitment_barred_until_repaired: Rule[bool | None]
    false_commitment_revokes_decision: Rule[bool | None]
    defence_period_days: Rule[int | None]
    severe_list_prior_notice: Rule[bool]
    severe_list_linked_persons: Rule[tuple[str, ...]]
    linked_persons_recorded: Rule[bool | None]
    red_list_requires_no_dishonesty: Rule[bool | None]
    red_list_clean_record_years: Rule[int | None]
    unpublished_measures_forbidden: Rule[bool]
    catalog_review_months: Rule[int | None]
    measure_list_review_months: Rule[int | None]

    # --- duties to tell other bodies (通报与告知) -----------------------------------------------------
    public_body_listing_notice: Rule[bool | None]
    trust_opt_out_notify_providers: Rule[bool | None]
    joint_sanction_report_public: Rule[bool | None]

    def __post_init__(self) -> None:
        from credit_platform.policies.labels import CODE_LABELS, FIELD_LABELS  # cycle: that module builds on this one

        if self.status not in STATUSES:
            raise ValueError(f"{self.code}: unknown status {self.status!r}")
        for f in dataclasses.fields(self):
            if f.name in _IDENTITY_FIELDS:
                continue
            rule = getattr(self, f.name)
            if not isinstance(rule, Rule):
                raise TypeError(f"{self.code}.{f.name} must be a Rule, got {type(rule).__name__}")
            if f.name not in FIELD_LABELS:
                raise ValueError(f"{f.name} has no Chinese label in labels.FIELD_LABELS")
            expected_unit = FIELD_LABELS[f.name][2]
            if rule.unit != expected_unit:
                raise ValueError(f"{self.code}.{f.name}: unit {rule.unit!r}, expected {expected_unit!r}")
            unknown = [c for c in _codes_in(rule) if c not in CODE_LABELS]
            if unknown:
                raise ValueError(f"{self.code}.{f.name}: codes without a label in labels.CODE_LABELS: {unknown}")

    # --- helpers --------------------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return f"《{self.name}》"

    @property
    def status_label(self) -> str:
        from credit_platform.policies.labels import STATUS_LABELS  # cycle: that module builds on this one

        return STATUS_LABELS[self.status]

    def in_force_on(self, day: date) -> bool:
        """False for drafts, before ``valid_from`` and after ``valid_until``."""
        if self.status == STATUS_DRAFT:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)

    @property
    def in_force_today(self) -> bool:
        """``in_force_on`` for today's date in Asia/Shanghai (for templates)."""
        return self.in_force_on(timezone.localdate())

    @property
    def validity_label(self) -> str:
        if self.valid_from and self.valid_until:
            return f"{self.valid_from:%Y年%-m月%-d日}至{self.valid_until:%Y年%-m月%-d日}"
        if self.valid_from:
            return f"自{self.valid_from:%Y年%-m月%-d日}起施行"
        return "未生效（草案）" if self.status == STATUS_DRAFT else "未载明施行日期"

    def rules(self) -> Iterator[tuple[str, str, Rule[Any]]]:
        """Yield ``(field_name, label_zh, rule)`` for every statutory parameter, in display order."""
        from credit_platform.policies.labels import FIELD_LABELS  # cycle: that module builds on this one

        for f in dataclasses.fields(self):
            if f.name in _IDENTITY_FIELDS:
                continue
            yield f.name, FIELD_LABELS[f.name][1], getattr(self, f.name)

    def display_rows(self) -> list[dict[str, Any]]:
        """Display rows for templates (``{% for row in policy.display_rows %}``)."""
        from credit_platform.policies.display import rule_rows  # cycle: that module builds on this one

        return rule_rows(self)

    @property
    def deference_note(self) -> str:
        from credit_platform.policies.display import deference_note  # cycle: that module builds on this one

        return deference_note(self)

    def repair_min_for(self, severity: str) -> int:
        """Minimum publicity (months) before repair may be applied for, by severity (minor/general/severe)."""
        table = dict(self.repair_min_months.value)
        if severity == "specific_severe":
            severity = "severe"
        return table[severity]

    @property
    def defers_to_national(self) -> bool:
        """Whether the local publicity periods give way to the national ones ("国家另有规定的，从其规定")."""
        return bool(self.publicity_defers_to_national.value)

    def effective_publicity_months(self, severity: str, domain: str | None = None) -> tuple[int, int]:
        """``(min, max)`` months for a severity.

        Where the profile defers to the national periods (Karamay art. 33 "国家对公共信用信息披露期限另有规定的，从其
        规定", Qufu art. 86 "与上级规定不一致的，按上级规定执行") the national tier of NDRC Order 36 governs **both**
        ends (general 3–12 months, severe 12–36, minor at most 3). Otherwise a bound the statute leaves open is filled
        from the national tier. A domain listed in ``special_domains`` raises the minimum to
        ``publicity_special_domain_min_months`` (Qufu art. 34).
        """
        from credit_platform.policies import national  # cycle: the national profile is built from this module

        if severity == "specific_severe":
            severity = "severe"
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}; choose one of {', '.join(SEVERITIES)}")
        own = getattr(self, f"publicity_{severity}_months").value
        default = getattr(national, f"PUBLICITY_{severity.upper()}_MONTHS").value
        if self.defers_to_national:
            lo, hi = default
        else:
            lo = own[0] if own[0] is not None else default[0]
            hi = own[1] if own[1] is not None else default[1]
        special_min = self.publicity_special_domain_min_months.value
        if domain and special_min is not None and domain in self.special_domains.value and severity != "minor":
            lo = max(lo, special_min)
        return lo, max(lo, hi)

    def lapsed_on(self, day: date) -> bool:
        """An instrument with a validity period that ``day`` falls outside (Qufu: 2023-07-01..2025-06-30). Drafts
        are never in force but have not lapsed: they are reported as drafts, not as lapsed."""
        if self.status == STATUS_DRAFT:
            return False
        return not self.in_force_on(day)

    @property
    def lapsed_today(self) -> bool:
        return self.lapsed_on(timezone.localdate())


def _codes_in(rule: Rule[Any]) -> list[str]:
    """The codes a rule's value refers to (they must all have a Chinese label)."""
    v = rule.value
    if v is None:
        return []
    if rule.unit == CODES:
        return list(v)
    if rule.unit == CODE:
        return [v]
    if rule.unit == SEVERITY_MONTHS:
        return [k for k, _ in v]
    if rule.unit == CASE_DOMAINS:
        return [*v.cases, *v.domains]
    return []


_IDENTITY_FIELDS = frozenset(
    {
        "code",
        "name",
        "short_name",
        "status",
        "issuer",
        "document_number",
        "valid_from",
        "valid_until",
        "related_instruments",
    }
)
