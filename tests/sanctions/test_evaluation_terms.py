"""The evaluation's dishonesty terms are memoised per (severity, decision date, day) (``rules._dishonesty_term``): the
reasons, score and next recompute day must be exactly what the formula gives record by record, on varied data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from credit_platform.months import add_months, months_between
from sanctions import rules

MODEL = rules.DEFAULT_MODEL


def _straightforward_dishonesty(facts: rules.SubjectFacts, today: date) -> tuple[float, list[dict], date | None]:
    """The formula written out for each record, without any memo (the ScoringModel docstring)."""
    score, reasons, next_change = 0.0, [], None
    for r in facts.live(rules.DISHONESTY):
        decided = r.decided_on or today
        age = months_between(decided, today)
        factor = MODEL.factor(age)
        points = -round(MODEL.points_for(r.severity) * factor, 1)
        score += points
        reasons.append({"points": points, "ref": f"record:{r.id}", "kind": "dishonesty",
                        "text": f"{rules.SEVERITY_LABELS.get(r.severity, r.severity)}失信信息“{r.name or r.id}”"
                                f"（{decided:%Y-%m-%d}，{age} 个月前，权重 {factor}）"})
        for up_to, _ in MODEL.recency:
            if age < up_to:
                boundary = add_months(decided, up_to)
                next_change = boundary if next_change is None else min(next_change, boundary)
                break
    return score, reasons, next_change


def _facts(k: int) -> rules.SubjectFacts:
    records = tuple(
        rules.RecordFact(
            100 * k + i, "dishonesty" if (i + k) % 4 else "trust",
            ("minor", "general", "severe", "specific_severe", "")[(i + k) % 5], ("active", "repaired", "active")[i % 3],
            date(2021, 1, 31) + timedelta(days=29 * i + k) if (i + k) % 7 else None, "", "处罚信息" if i % 2 else "",
        )
        for i in range(k % 15 + 1)
    )
    return rules.SubjectFacts(subject_type="legal_person", records=records)


@pytest.mark.parametrize("today", [date(2026, 12, 7), date(2024, 2, 29), date(2027, 1, 31)])
def test_memoised_terms_give_the_formulas_reasons_score_and_recompute_day(today):
    for k in range(60):
        facts = _facts(k)
        for _ in range(2):  # the second evaluation is served from the memo
            result = rules.evaluate(facts, today)
            score, reasons, next_change = _straightforward_dishonesty(facts, today)
            dishonesty = [r for r in result.reasons if r["ref"].startswith("record:") and r["points"] != 0
                          and "失信信息“" in r["text"] and "已完成信用修复" not in r["text"]]
            assert dishonesty == [r for r in reasons if r["points"] != 0]
            trust = min(len(facts.live(rules.TRUST)) * MODEL.trust_points, MODEL.trust_cap)
            assert result.score == int(round(max(0.0, min(100.0, MODEL.base + trust + score))))
            assert result.recompute_on == next_change
