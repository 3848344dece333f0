"""Chinese display of policy rules (portal rules page, admin policy page, reports)."""

from __future__ import annotations

from typing import Any

from credit_platform.policies.base import (
    CASE_DOMAINS,
    CHOICES,
    CODE,
    CODES,
    FLAG,
    MONTH_RANGE,
    SEVERITY_MONTHS,
    PolicyProfile,
    Rule,
)
from credit_platform.policies.labels import FIELD_LABELS, SECTIONS, SOURCE_LABELS, UNIT_LABELS, code_label

NOT_SET = "未规定"


def _join(codes: tuple[str, ...] | list[str]) -> str:
    return "、".join(code_label(c) for c in codes)


def format_value(rule: Rule[Any], field: str = "") -> str:
    """The rule's value in Chinese with its unit, e.g. ``2 个工作日``, ``3–12 个月``, ``是``."""
    v, unit = rule.value, rule.unit
    if unit == FLAG:
        return NOT_SET if v is None else ("是" if v else "否")
    if v is None:
        return NOT_SET
    if unit == MONTH_RANGE:
        lo, hi = v
        if lo is not None and hi is not None:
            return f"{lo}–{hi} 个月" if lo != hi else f"{lo} 个月"
        if hi is not None:
            return f"最长 {hi} 个月"
        if lo is not None:
            return f"最短 {lo} 个月"
        return NOT_SET
    if unit == CODES:
        return _join(v) if v else "无"
    if unit == CODE:
        return code_label(v)
    if unit == CHOICES:
        return "；".join(label for _, label in v) if v else "无"
    if unit == SEVERITY_MONTHS:
        return "；".join(f"{code_label(k)} {m} 个月" for k, m in v)
    if unit == CASE_DOMAINS:
        return f"{_join(v.domains)}领域，{_join(v.cases)}"
    if unit == "working_days" and v == 0:
        return "收到申请即办理（当日）"
    suffix = UNIT_LABELS.get(unit, "")
    return f"{v} {suffix}".strip()


_PUBLICITY_TIERS = {"publicity_minor_months": "minor", "publicity_general_months": "general",
                    "publicity_severe_months": "severe"}


def applied_value(profile: PolicyProfile, field: str) -> str:
    """For a publicity range the profile defers to the national rules on (Karamay art. 33, Qufu art. 86): the period
    actually applied, e.g. ``3–12 个月``; "" for every other row."""
    tier = _PUBLICITY_TIERS.get(field)
    if tier is None or not profile.defers_to_national:
        return ""
    lo, hi = profile.effective_publicity_months(tier)
    return f"{lo}–{hi} 个月" if lo else f"最长 {hi} 个月"


def deference_note(profile: PolicyProfile) -> str:
    """The deference, in one sentence for the rules pages ("" when the profile does not defer)."""
    if not profile.defers_to_national:
        return ""
    rule = profile.publicity_defers_to_national
    return f"{rule.article}：{rule.summary}"


def rule_rows(profile: PolicyProfile) -> list[dict[str, Any]]:
    """One display row per statutory parameter, in declaration order."""
    rows = []
    for field, label, rule in profile.rules():
        section = FIELD_LABELS[field][0]
        rows.append(
            {
                "field": field,
                "section": section,
                "section_label": SECTIONS[section],
                "label": label,
                "value": format_value(rule, field),
                "is_set": rule.value is not None and rule.value != (),
                "unit": rule.unit,
                "unit_label": UNIT_LABELS.get(rule.unit, ""),
                "article": rule.article,
                "summary": rule.summary,
                "source": rule.source,
                "source_label": SOURCE_LABELS[rule.source],
                "rule": rule,
                "applied": applied_value(profile, field),
            }
        )
    return rows


def comparison_rows(profiles: list[PolicyProfile]) -> list[dict[str, Any]]:
    """Rows for a side-by-side comparison: each parameter with its value (and article) in every profile."""
    per_profile = [rule_rows(p) for p in profiles]
    out = []
    for i, row in enumerate(per_profile[0] if per_profile else []):
        out.append(
            {
                "field": row["field"],
                "section_label": row["section_label"],
                "label": row["label"],
                "cells": [
                    {
                        "profile": p,
                        "value": rows[i]["value"],
                        "article": rows[i]["article"],
                        "source": rows[i]["source"],
                    }
                    for p, rows in zip(profiles, per_profile, strict=True)
                ],
            }
        )
    return out
