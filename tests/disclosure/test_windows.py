"""Each window rule, with fixed dates: a wrong rule fails one of these."""

from datetime import date

import pytest

from credit_platform.months import add_months
from credit_platform.policies import get_policy
from disclosure.windows import RecordFacts, compute_window, minor_at

KARAMAY, QUFU, HLJ = get_policy("karamay"), get_policy("qufu"), get_policy("heilongjiang")


def facts(**kw):
    base = dict(category="dishonesty", subject_type="legal_person", severity="general", decided_on=date(2024, 1, 15),
                occurred_on=date(2023, 12, 1), penalty_types=("fine",))
    base.update(kw)
    return RecordFacts(**base)


def test_month_arithmetic_follows_the_civil_code():
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 1, 15), 36) == date(2027, 1, 15)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)


def test_karamay_general_dishonesty_at_most_one_year_from_decision_art33_defers_to_order36():
    """Karamay art. 33 "国家对…披露期限另有规定的，从其规定": NDRC Order 36's 12-month maximum, not the local 3 years."""
    w = compute_window(facts(), KARAMAY)
    assert w.published and not w.long_term
    assert (w.public_from, w.public_until) == (date(2024, 1, 15), date(2025, 1, 15))
    assert "publicity_defers_to_national" in w.rule
    assert w.min_until == date(2024, 4, 15)  # national minimum: 3 months (Order 36)
    assert "publicity_general_months" in w.rule
    assert "《克拉玛依市社会信用条例》第三十三条" in w.article
    assert "信用修复管理办法" in w.article


def test_catalog_period_inside_the_statutory_range():
    w = compute_window(facts(catalog_months=(3, 12)), KARAMAY)
    w = compute_window(facts(catalog_months=(3, 6)), KARAMAY)
    assert w.public_until == date(2024, 7, 15)
    # never beyond the statutory maximum (12 months under Order 36, which art. 33 defers to)
    assert compute_window(facts(catalog_months=(3, 60)), KARAMAY).public_until == date(2025, 1, 15)
    assert compute_window(facts(catalog_months=(3, 13)), KARAMAY).public_until == date(2025, 1, 15)


def test_continuing_act_counts_from_its_end():
    w = compute_window(facts(ended_on=date(2024, 6, 30)), KARAMAY)
    assert w.public_until == date(2025, 6, 30)
    assert "publicity_starts_from" in w.rule
    # Qufu counts from the decision whatever happens later (art. 34)
    assert compute_window(facts(ended_on=date(2024, 6, 30)), QUFU).public_until == date(2025, 1, 15)


def test_continuing_act_not_ended_is_pending():
    w = compute_window(facts(continuing=True), KARAMAY)
    assert w.published and w.pending_end and not w.long_term and w.public_until is None


def test_qufu_warning_and_criticism_are_not_published():
    w = compute_window(facts(penalty_types=("warning",)), QUFU)
    assert not w.published
    assert w.rule.startswith("unpublished_penalty_types")
    assert "《曲阜市社会信用管理办法（试行）》第三十四条" in w.article or "第三十四条" in w.article
    assert not compute_window(facts(penalty_types=("warning", "criticism")), QUFU).published
    # Karamay has no such rule: a warning is published
    assert compute_window(facts(penalty_types=("warning",)), KARAMAY).published


def test_qufu_several_types_take_the_longest():
    w = compute_window(facts(penalty_types=("warning", "fine")), QUFU)
    assert w.published and w.public_until == date(2025, 1, 15)
    assert "publicity_multiple_types_longest" in w.rule


def test_qufu_special_domain_minimum_one_year():
    w = compute_window(facts(domain="food", catalog_months=(3, 6)), QUFU)
    assert w.public_until == date(2025, 1, 15)  # raised from 6 to 12 months
    assert w.min_until == date(2025, 1, 15)
    assert "publicity_special_domain_min_months" in w.rule
    assert compute_window(facts(domain="tax", catalog_months=(3, 6)), QUFU).public_until == date(2024, 7, 15)


def test_heilongjiang_long_term_cases():
    w = compute_window(facts(severity="severe", domain="food", penalty_types=("fine", "permit_revocation")), HLJ)
    assert w.published and w.long_term and w.public_until is None
    assert w.rule.startswith("long_term_publicity_cases")
    assert "第五十一条" in w.article
    crim = compute_window(facts(severity="severe", domain="finance", long_term_cases=("criminal_liability",)), HLJ)
    assert crim.long_term
    other_domain = compute_window(facts(severity="severe", domain="tax", penalty_types=("permit_revocation",)), HLJ)
    assert not other_domain.long_term and other_domain.public_until == date(2027, 1, 15)
    # Karamay has no long-term cases
    assert not compute_window(facts(domain="food", penalty_types=("permit_revocation",)), KARAMAY).long_term


def test_heilongjiang_general_one_year_and_severe_three():
    assert compute_window(facts(), HLJ).public_until == date(2025, 1, 15)
    assert compute_window(facts(severity="severe"), HLJ).public_until == date(2027, 1, 15)
    assert compute_window(facts(severity="severe"), HLJ).min_until == date(2024, 7, 15)


def test_natural_person_dishonesty_not_public_and_retained_five_years_in_qufu():
    w = compute_window(facts(subject_type="natural_person", ended_on=date(2024, 2, 1)), QUFU)
    assert not w.published
    assert w.rule.startswith("natural_person_dishonesty_public")
    assert w.retain_until == date(2029, 2, 1)
    assert w.retain_rule == "natural_person_retention_years" and "第三十六条" in w.retain_article
    # Karamay: not public either (art. 36), no retention number
    k = compute_window(facts(subject_type="natural_person"), KARAMAY)
    assert not k.published and k.retain_until is None and "第三十六条" in k.article


def test_minors_are_never_public():
    for category in ("dishonesty", "trust", "basic"):
        w = compute_window(facts(category=category, is_minor=True), KARAMAY)
        assert not w.published and "minors_never_public" in w.rule
    assert minor_at(date(2008, 5, 1), date(2026, 4, 30)) is True
    assert minor_at(date(2008, 5, 1), date(2026, 5, 1)) is False


def test_basic_and_trust_information_long_term_public_for_organisations_only():
    w = compute_window(facts(category="basic", catalog_basis="《企业信息公示暂行条例》"), HLJ)
    assert w.published and w.long_term and w.public_until is None and "企业信息公示暂行条例" in w.article
    t = compute_window(facts(category="trust"), KARAMAY)
    assert t.published and "trust_opt_out_days" in t.rule
    assert not compute_window(facts(category="trust", subject_type="natural_person"), KARAMAY).published
    assert not compute_window(facts(category="basic", openness="conditional"), KARAMAY).published


def test_non_public_catalog_item_is_not_published_but_has_a_disclosure_window():
    w = compute_window(facts(openness="non_public"), KARAMAY)
    assert not w.published and w.public_until == date(2025, 1, 15)


@pytest.mark.parametrize("severity", ["minor"])
def test_minor_tier_is_not_published_unless_the_catalog_says(severity):
    assert not compute_window(facts(severity=severity), KARAMAY).published
    w = compute_window(facts(severity=severity, catalog_months=(0, 3)), KARAMAY)
    assert w.published and w.public_until == date(2024, 4, 15)
