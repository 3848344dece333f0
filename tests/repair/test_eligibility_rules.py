"""The pure eligibility rules: every condition, every non-repairable case, the minimum periods per tier and domain,
and the exact earliest date (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from credit_platform.months import add_months
from credit_platform.policies import get_policy
from repair.eligibility import OTHER_LAW, RecordFacts, evaluate, requirements

KARAMAY, QUFU, FUZHOU = get_policy("karamay"), get_policy("qufu"), get_policy("fuzhou")
BASE = RecordFacts(category="dishonesty", severity="general", decided_on=date(2026, 1, 15), public_from=date(2026, 1, 15))


def codes(result):
    return [r.code for r in result.reasons]


# --- minimum periods (Order 36 tiers; Civil Code arts. 201-202) -------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "earliest"),
    [
        ("general", date(2026, 4, 16)),  # 3 months: the period's last day is 15 April, repair from 16 April
        ("severe", date(2027, 1, 16)),  # 1 year
        ("specific_severe", date(2027, 1, 16)),  # treated as severe
        ("", date(2026, 4, 16)),  # no tier pushed: the middle tier
    ],
)
def test_minimum_period_per_tier_and_exact_earliest_date(severity, earliest):
    facts = replace(BASE, severity=severity)
    before = evaluate(facts, KARAMAY, earliest.replace(day=earliest.day - 1))
    assert not before.eligible
    assert codes(before) == ["min_period_not_elapsed"]
    assert before.earliest_date == earliest
    assert before.reasons[0].article == KARAMAY.repair_min_months.article
    on = evaluate(facts, KARAMAY, earliest)
    assert on.eligible and on.reasons == () and on.earliest_date == earliest


def test_minor_tier_can_be_repaired_at_once():
    facts = replace(BASE, severity="minor")
    result = evaluate(facts, KARAMAY, date(2026, 1, 15))
    assert result.eligible
    assert result.earliest_date == date(2026, 1, 15)


@pytest.mark.parametrize(
    ("decided", "months", "last_day"),
    [
        (date(2025, 11, 30), 3, date(2026, 2, 28)),  # no 30 February: the month's last day
        (date(2026, 1, 31), 3, date(2026, 4, 30)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # leap year
        (date(2026, 2, 28), 12, date(2027, 2, 28)),
    ],
)
def test_month_arithmetic_corresponding_day_or_month_end(decided, months, last_day):
    assert add_months(decided, months) == last_day
    facts = replace(BASE, decided_on=decided, severity="general" if months == 3 else "severe")
    assert evaluate(facts, KARAMAY, decided).earliest_date == date.fromordinal(last_day.toordinal() + 1)


@pytest.mark.parametrize("domain", ["food", "drugs", "special_equipment", "production_safety", "fire"])
def test_qufu_special_domains_need_one_year(domain):
    facts = replace(BASE, decided_on=date(2024, 3, 10), domain=domain)
    result = evaluate(facts, QUFU, date(2024, 6, 11))  # past the ordinary three months
    assert codes(result) == ["min_period_not_elapsed"]
    assert result.earliest_date == date(2025, 3, 11)
    assert result.reasons[0].article == QUFU.repair_special_domain_min_months.article
    assert "第三十四条" in result.reasons[0].article
    assert evaluate(facts, QUFU, date(2025, 3, 11)).eligible


def test_qufu_other_domain_and_karamay_special_domain_keep_three_months():
    environment = replace(BASE, decided_on=date(2024, 3, 10), domain="environment")
    assert evaluate(environment, QUFU, date(2024, 6, 11)).eligible
    food = replace(BASE, decided_on=date(2024, 3, 10), domain="food")
    assert evaluate(food, KARAMAY, date(2024, 6, 11)).eligible  # Karamay has no special-domain minimum


def test_special_domain_does_not_lengthen_minor_or_shorten_severe():
    minor = replace(BASE, severity="minor", domain="food")
    assert evaluate(minor, QUFU, BASE.decided_on).eligible
    severe = replace(BASE, severity="severe", domain="food")
    assert evaluate(severe, QUFU, date(2027, 1, 15)).earliest_date == date(2027, 1, 16)


def test_continuing_act_counts_from_its_end_where_the_profile_says_so():
    facts = replace(BASE, decided_on=date(2026, 1, 15), ended_on=date(2026, 2, 20))
    if KARAMAY.publicity_starts_from.value == "decision":
        pytest.skip("the Karamay profile counts from the decision")
    assert evaluate(facts, KARAMAY, date(2026, 4, 16)).earliest_date == date(2026, 5, 21)
    assert evaluate(facts, QUFU, date(2026, 4, 16)).earliest_date == date(2026, 4, 16)  # Qufu: from the decision


def test_unpublished_record_of_a_natural_person_is_still_repairable():
    facts = replace(BASE, public_from=None)
    assert evaluate(facts, KARAMAY, date(2026, 4, 16)).eligible


def test_missing_start_date_is_explained_and_has_no_earliest_date():
    facts = replace(BASE, decided_on=None, public_from=None)
    result = evaluate(facts, KARAMAY, date(2026, 6, 1))
    assert codes(result) == ["start_date_unknown"] and result.earliest_date is None


# --- nothing to repair ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"category": "trust"}, "not_dishonesty"),
        ({"status": "repaired"}, "already_repaired"),
        ({"status": "revoked"}, "record_revoked"),
        ({"status": "expired"}, "publicity_ended"),
        ({"status": "shielded"}, "publicity_ended"),
        ({"public_until": date(2026, 5, 31)}, "publicity_ended"),
    ],
)
def test_record_no_longer_public_needs_no_repair(change, code):
    result = evaluate(replace(BASE, **change), KARAMAY, date(2026, 6, 1))
    assert not result.eligible
    assert codes(result) == [code]
    assert result.earliest_date is None
    assert all(r.article for r in result.reasons)


def test_publicity_ending_today_is_still_public():
    assert evaluate(replace(BASE, public_until=date(2026, 6, 1)), KARAMAY, date(2026, 6, 1)).eligible


# --- non-repairable ------------------------------------------------------------------------------------------------------


def test_catalog_item_marked_non_repairable_is_permanent():
    facts = replace(BASE, catalog_repairable=False, catalog_item="X01 测试", catalog_basis="《某条例》第十条")
    result = evaluate(facts, KARAMAY, date(2026, 2, 1))
    assert codes(result) == ["catalog_not_repairable", "min_period_not_elapsed"]
    assert result.earliest_date is None  # no date will make it repairable
    assert result.reasons[0].article == "《某条例》第十条"


@pytest.mark.parametrize("case", ["health_or_life", "market_order", "refused_obligation", "national_defence"])
def test_fuzhou_article_22_cases(case):
    facts = replace(BASE, non_repairable_cases=((case, ""),))
    result = evaluate(facts, FUZHOU, date(2026, 6, 1))
    assert codes(result) == ["non_repairable_case"]
    assert "第二十二条" in result.reasons[0].article
    assert result.earliest_date is None
    # Karamay (national rule) lists no such case of its own: the same determination does not bar repair there
    assert evaluate(facts, KARAMAY, date(2026, 6, 1)).eligible


def test_other_law_bars_under_every_profile_and_cites_the_law():
    facts = replace(BASE, non_repairable_cases=((OTHER_LAW, "《某法》第九十条"),))
    for policy in (KARAMAY, QUFU, FUZHOU):
        result = evaluate(facts, policy, date(2026, 6, 1))
        assert codes(result) == ["non_repairable_case"]
        assert result.reasons[0].article == "《某法》第九十条"


def test_answer_shape():
    result = evaluate(replace(BASE, severity="severe"), KARAMAY, date(2026, 6, 1))
    assert result.as_dict() == {
        "eligible": False,
        "reasons": [{"code": "min_period_not_elapsed", "message": result.reasons[0].message, "article": KARAMAY.repair_min_months.article}],
        "earliest_date": "2027-01-16",
    }
    assert "2027年1月16日" in result.reasons[0].message


def test_requirements_follow_the_profile():
    assert [r["code"] for r in requirements(FUZHOU)] == ["act_corrected", "no_repeat_commitment", "accept_supervision", "penalty_performed"]
    assert "第二十一条" in requirements(FUZHOU)[0]["article"]
    assert [r["code"] for r in requirements(KARAMAY)] == ["min_period_elapsed", "obligations_fulfilled", "credit_commitment"]
