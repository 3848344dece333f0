"""Jurisdiction policy profiles: every statutory number, its article, and the pages that show them."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from credit_platform.policies import PROFILES, UnknownPolicy, active_policy, get_policy
from credit_platform.policies.base import (
    CASE_DOMAINS,
    CODE,
    CODES,
    COUNT,
    DAYS,
    FLAG,
    MONTH_RANGE,
    MONTHS,
    SEVERITY_MONTHS,
    WORKING_DAYS,
    YEARS,
    LongTermPublicity,
    PolicyProfile,
    Rule,
    cite,
    cn_number,
)
from credit_platform.policies.display import format_value
from credit_platform.policies.labels import CODE_LABELS, FIELD_LABELS
from credit_platform.policies.views import policy_admin_view, rules_context

REPO = Path(__file__).resolve().parents[2]

KM = "《克拉玛依市社会信用条例》"
HLJ = "《黑龙江省社会信用条例（征求意见稿）》"
QF = "《曲阜市社会信用管理办法（试行）》"
FZ = "《福州市社会信用管理办法》"
ZY = "《张掖市社会信用体系建设条例（草案）》"
O36 = "国家发展改革委令2025年第36号"
GB49 = "国办发〔2020〕49号"
GB22 = "国办发〔2025〕22号"
PIPL = "《中华人民共和国个人信息保护法》第二十五条"
CRR = "《征信业管理条例》第十四条"

ALL = ("karamay", "heilongjiang", "qufu", "fuzhou", "zhangye")
NATIONAL_SEVERITY_MONTHS = (("minor", 0), ("general", 3), ("severe", 12))
FIVE_FORBIDDEN = ("religion", "genes", "fingerprints", "blood_type", "disease", "medical_history")
SIX_RESTRICTED = ("income", "deposits", "securities", "commercial_insurance", "real_estate", "tax_amount")

# (profile, field, expected value, substring the article must contain)
EXPECTED = [
    # --- Karamay --------------------------------------------------------------------------------------------
    ("karamay", "objection_mark_days", 2, KM + "第三十四条"),
    ("karamay", "objection_decision_days", 7, KM + "第三十四条"),
    ("karamay", "objection_decision_days_assisted", None, KM + "第三十四条"),
    ("karamay", "objection_extension_total_days", 15, KM + "第三十四条"),
    ("karamay", "objection_assist_reply_days", None, KM),
    ("karamay", "objection_correction_days", None, KM + "第三十四条"),
    ("karamay", "objection_refusal_reason_required", True, KM + "第三十四条"),
    ("karamay", "complaint_reply_days", None, KM),
    ("karamay", "push_deadline_days", None, KM + "第十七条"),
    ("karamay", "correction_days", None, KM + "第三十四条"),
    ("karamay", "revocation_provider_days", None, KM),
    ("karamay", "revocation_platform_days", None, KM),
    ("karamay", "severity_levels", ("minor", "general", "severe"), O36),
    ("karamay", "publicity_minor_months", (0, 3), O36),
    ("karamay", "publicity_general_months", (None, 36), KM + "第三十三条"),
    ("karamay", "publicity_severe_months", (None, 36), KM + "第三十三条"),
    ("karamay", "publicity_special_domain_min_months", None, KM),
    ("karamay", "publicity_starts_from", "end_of_act_if_continuing", KM + "第三十三条"),
    ("karamay", "severe_list_archived_never_republished", True, KM + "第三十三条"),
    ("karamay", "natural_person_dishonesty_public", False, KM + "第三十六条"),
    ("karamay", "natural_person_retention_years", None, KM),
    (
        "karamay",
        "masked_personal_fields",
        ("name", "birth_date", "id_number", "address", "phone", "bank_account"),
        KM + "第三十六条",
    ),
    ("karamay", "trust_opt_out_days", 0, KM + "第三十六条"),
    ("karamay", "authorisation_max_days", 365, KM + "第二十条"),
    ("karamay", "free_reports_per_year", None, KM + "第十九条"),
    ("karamay", "repair_accept_days", 3, O36),
    ("karamay", "repair_decision_days", 10, O36),
    ("karamay", "repair_min_months", NATIONAL_SEVERITY_MONTHS, O36),
    ("karamay", "repair_special_domain_min_months", None, KM),
    ("karamay", "repair_notice_with_decision", True, GB22),
    ("karamay", "non_repairable_cases", (), O36 + "）第二条"),
    (
        "karamay",
        "forbidden_content",
        ("religion", "blood_type", "disease", "medical_history", "genes", "fingerprints"),
        KM + "第十八条",
    ),
    ("karamay", "restricted_content_requires_consent", SIX_RESTRICTED, KM + "第十八条"),
    (
        "karamay",
        "excluded_procedures",
        ("simplified_procedure", "minor_violation", "harm_mitigated"),
        KM + "第十三条第（六）项",
    ),
    ("karamay", "commitment_check_months", None, KM + "第八条"),
    ("karamay", "defence_period_days", None, KM + "第十五条"),
    ("karamay", "severe_list_prior_notice", True, KM + "第十五条"),
    (
        "karamay",
        "severe_list_linked_persons",
        ("legal_representative", "principal", "actual_controller"),
        KM + "第十五条",
    ),
    ("karamay", "red_list_requires_no_dishonesty", True, KM + "第二十二条"),
    ("karamay", "unpublished_measures_forbidden", True, KM + "第二十三条"),
    ("karamay", "catalog_review_months", 12, KM + "第九条"),
    ("karamay", "measure_list_review_months", 12, KM + "第二十三条"),
    # --- Heilongjiang -----------------------------------------------------------------------------------------
    ("heilongjiang", "objection_mark_days", 1, HLJ + "第五十三条"),
    ("heilongjiang", "objection_decision_days", 3, HLJ + "第五十三条"),
    ("heilongjiang", "objection_decision_days_assisted", 7, HLJ + "第五十三条"),
    ("heilongjiang", "objection_extension_total_days", None, HLJ + "第五十三条"),
    ("heilongjiang", "objection_assist_reply_days", 2, HLJ + "第五十三条"),
    ("heilongjiang", "objection_pause_not_counted", True, HLJ + "第五十三条"),
    (
        "heilongjiang",
        "objection_pause_activities",
        ("inspection", "testing", "quarantine", "appraisal", "expert_review"),
        HLJ + "第五十三条",
    ),
    ("heilongjiang", "objection_correction_days", None, HLJ + "第五十三条"),
    ("heilongjiang", "objection_refusal_reason_required", True, HLJ + "第五十三条"),
    ("heilongjiang", "complaint_reply_days", 20, HLJ + "第五十七条"),
    ("heilongjiang", "push_deadline_days", 5, HLJ + "第二十二条"),
    ("heilongjiang", "platform_forward_days", 3, HLJ + "第二十二条"),
    ("heilongjiang", "correction_days", 3, HLJ + "第五十二条"),
    ("heilongjiang", "revocation_provider_days", 2, HLJ + "第五十二条"),
    ("heilongjiang", "revocation_platform_days", 1, HLJ + "第五十二条"),
    ("heilongjiang", "severity_levels", ("general", "severe"), HLJ + "第五十一条"),
    ("heilongjiang", "publicity_minor_months", (0, 3), O36),
    ("heilongjiang", "publicity_general_months", (3, 12), HLJ + "第五十一条"),
    ("heilongjiang", "publicity_severe_months", (6, 36), HLJ + "第五十一条"),
    (
        "heilongjiang",
        "long_term_publicity_cases",
        LongTermPublicity(
            ("criminal_liability", "licence_revoked", "lifetime_market_ban"),
            ("food", "drugs", "environment", "works_quality", "production_safety", "fire", "ccc", "finance"),
        ),
        HLJ + "第五十一条",
    ),
    ("heilongjiang", "publicity_starts_from", "end_of_act_if_continuing", HLJ + "第五十一条"),
    ("heilongjiang", "severe_list_publicity_stop_days", None, HLJ + "第五十一条"),
    ("heilongjiang", "severe_list_retention_years", None, HLJ + "第五十一条"),
    ("heilongjiang", "severe_list_archived_never_republished", True, HLJ + "第五十一条"),
    ("heilongjiang", "natural_person_dishonesty_public", False, HLJ + "第二十四条"),
    (
        "heilongjiang",
        "masked_personal_fields",
        ("name", "birth_date", "id_number", "address", "phone"),
        HLJ + "第二十四条",
    ),
    ("heilongjiang", "trust_opt_out_days", 0, HLJ + "第五十一条"),
    ("heilongjiang", "authorisation_max_days", 365, HLJ + "第五十六条"),
    ("heilongjiang", "free_reports_per_year", None, HLJ + "第二十五条"),
    ("heilongjiang", "repair_accept_days", 3, O36),
    ("heilongjiang", "repair_decision_days", 10, O36),
    ("heilongjiang", "repair_min_months", NATIONAL_SEVERITY_MONTHS, O36),
    ("heilongjiang", "non_repairable_cases", (), HLJ + "第五十四条"),
    ("heilongjiang", "repair_notice_with_decision", True, GB22),
    (
        "heilongjiang",
        "forbidden_content",
        ("religion", "blood_type", "disease", "medical_history", "fingerprints", "genes", "biometrics"),
        HLJ + "第二十条",
    ),
    ("heilongjiang", "restricted_content_requires_consent", SIX_RESTRICTED, HLJ + "第二十条"),
    (
        "heilongjiang",
        "excluded_procedures",
        ("simplified_procedure", "minor_and_mitigated", "first_offence_minor_mitigated"),
        HLJ + "第十九条",
    ),
    ("heilongjiang", "commitment_check_months", 2, HLJ + "第三十条"),
    ("heilongjiang", "commitment_barred_until_repaired", True, HLJ + "第二十八条"),
    ("heilongjiang", "false_commitment_revokes_decision", True, HLJ + "第三十条"),
    ("heilongjiang", "defence_period_days", None, HLJ + "第五十五条"),
    ("heilongjiang", "severe_list_prior_notice", True, GB49),
    (
        "heilongjiang",
        "severe_list_linked_persons",
        ("legal_representative", "principal", "actual_controller", "direct_responsible"),
        HLJ + "第四十五条",
    ),
    ("heilongjiang", "unpublished_measures_forbidden", True, HLJ + "第三十九条"),
    ("heilongjiang", "catalog_review_months", None, HLJ + "第十八条"),
    ("heilongjiang", "measure_list_review_months", None, HLJ + "第三十九条"),
    # --- Qufu ------------------------------------------------------------------------------------------------------
    ("qufu", "objection_mark_days", None, QF + "第五十九条"),
    ("qufu", "objection_decision_days", 3, QF + "第五十九条"),
    ("qufu", "objection_decision_days_assisted", 7, QF + "第五十九条"),
    ("qufu", "objection_extension_total_days", None, QF + "第五十九条"),
    ("qufu", "objection_correction_days", 2, QF + "第五十九条"),
    ("qufu", "push_deadline_days", None, QF + "第二十三条"),
    ("qufu", "correction_days", 3, QF + "第五十七条"),
    ("qufu", "revocation_provider_days", 3, QF + "第五十八条"),
    ("qufu", "revocation_platform_days", None, QF + "第五十八条"),
    ("qufu", "severity_levels", ("general", "severe", "specific_severe"), QF + "第十四条"),
    ("qufu", "publicity_minor_months", (0, 3), O36),
    ("qufu", "publicity_general_months", (3, 36), QF + "第三十四条"),
    ("qufu", "publicity_severe_months", (None, 36), QF + "第三十四条"),
    ("qufu", "publicity_special_domain_min_months", 12, QF + "第三十四条"),
    ("qufu", "special_domains", ("food", "drugs", "special_equipment", "production_safety", "fire"), QF + "第三十四条"),
    ("qufu", "unpublished_penalty_types", ("warning", "criticism"), QF + "第三十四条"),
    ("qufu", "publicity_multiple_types_longest", True, QF + "第三十四条"),
    ("qufu", "publicity_starts_from", "decision", QF + "第三十四条"),
    ("qufu", "severe_list_publicity_stop_days", 3, QF + "第三十五条"),
    ("qufu", "severe_list_retention_years", 10, QF + "第三十五条"),
    ("qufu", "severe_list_retention_restarts", True, QF + "第三十五条"),
    ("qufu", "natural_person_dishonesty_public", False, QF + "第三十六条"),
    ("qufu", "natural_person_retention_years", 5, QF + "第三十六条"),
    (
        "qufu",
        "masked_personal_fields",
        ("name", "birth_date", "id_number", "address", "phone", "bank_account"),
        QF + "第六十四条",
    ),
    ("qufu", "trust_opt_out_days", 2, QF + "第六十一条"),
    ("qufu", "authorisation_max_days", 365, QF + "第六十二条"),
    ("qufu", "free_reports_per_year", None, QF + "第三十二条"),
    ("qufu", "repair_accept_days", 3, O36),
    ("qufu", "repair_decision_days", 10, O36),
    ("qufu", "repair_min_months", NATIONAL_SEVERITY_MONTHS, O36),
    ("qufu", "repair_special_domain_min_months", 12, QF + "第三十四条"),
    ("qufu", "non_repairable_cases", (), QF + "第六十条"),
    ("qufu", "repair_free_of_charge", True, QF + "第六十条"),
    ("qufu", "repair_notice_with_decision", True, GB22),
    ("qufu", "forbidden_content", FIVE_FORBIDDEN, QF + "第六十三条"),
    (
        "qufu",
        "restricted_content_requires_consent",
        ("income", "deposits", "securities", "commercial_insurance"),
        QF + "第六十三条",
    ),
    ("qufu", "excluded_procedures", ("simplified_procedure", "minor_and_mitigated"), QF + "第十五条"),
    ("qufu", "commitment_check_months", None, QF + "第四十七条"),
    ("qufu", "false_commitment_revokes_decision", True, QF + "第四十七条"),
    ("qufu", "defence_period_days", None, QF + "第五十六条"),
    ("qufu", "severe_list_prior_notice", True, QF + "第五十六条"),
    (
        "qufu",
        "severe_list_linked_persons",
        ("legal_representative", "principal", "actual_controller"),
        QF + "第四十六条",
    ),
    ("qufu", "unpublished_measures_forbidden", True, QF + "第四十五条"),
    ("qufu", "catalog_review_months", None, QF + "第二十二条"),
    ("qufu", "measure_list_review_months", None, QF + "第四十条"),
    # --- Fuzhou ------------------------------------------------------------------------------------------------------
    ("fuzhou", "objection_mark_days", None, FZ + "第二十五条"),
    ("fuzhou", "objection_decision_days", None, FZ + "第二十五条"),
    ("fuzhou", "push_deadline_days", None, FZ + "第九条"),
    ("fuzhou", "correction_days", None, FZ + "第九条"),
    ("fuzhou", "severity_levels", ("minor", "general", "severe"), O36),
    ("fuzhou", "publicity_minor_months", (0, 3), O36),
    ("fuzhou", "publicity_general_months", (3, 12), O36),
    ("fuzhou", "publicity_severe_months", (12, 36), O36),
    ("fuzhou", "publicity_starts_from", "decision", O36),
    ("fuzhou", "natural_person_dishonesty_public", False, PIPL),
    ("fuzhou", "masked_personal_fields", ("name", "birth_date", "id_number", "address", "phone", "bank_account"), PIPL),
    ("fuzhou", "authorisation_max_days", 365, FZ + "第十三条"),
    ("fuzhou", "free_reports_per_year", None, FZ + "第十三条"),
    ("fuzhou", "repair_accept_days", 3, O36),
    ("fuzhou", "repair_decision_days", 10, O36),
    ("fuzhou", "repair_min_months", NATIONAL_SEVERITY_MONTHS, O36),
    (
        "fuzhou",
        "repair_conditions",
        ("act_corrected", "no_repeat_commitment", "accept_supervision", "penalty_performed"),
        FZ + "第二十一条",
    ),
    (
        "fuzhou",
        "non_repairable_cases",
        ("health_or_life", "market_order", "refused_obligation", "national_defence"),
        FZ + "第二十二条",
    ),
    ("fuzhou", "repair_revocable_on_fraud", True, FZ + "第二十三条"),
    ("fuzhou", "repair_notice_with_decision", True, GB22),
    ("fuzhou", "forbidden_content", FIVE_FORBIDDEN, FZ + "第十一条"),
    ("fuzhou", "restricted_content_requires_consent", SIX_RESTRICTED, FZ + "第十一条"),
    ("fuzhou", "excluded_procedures", (), O36),
    ("fuzhou", "defence_period_days", None, GB49),
    ("fuzhou", "severe_list_prior_notice", True, GB49),
    (
        "fuzhou",
        "severe_list_linked_persons",
        ("legal_representative", "principal", "direct_responsible"),
        FZ + "第十八条",
    ),
    ("fuzhou", "red_list_clean_record_years", 3, FZ + "第十六条第（一）项"),
    ("fuzhou", "unpublished_measures_forbidden", True, FZ + "第十五条"),
    # --- Zhangye ------------------------------------------------------------------------------------------------------
    ("zhangye", "objection_mark_days", None, ZY + "第五十一条"),
    ("zhangye", "objection_decision_days", None, ZY + "第五十一条"),
    ("zhangye", "push_deadline_days", None, ZY + "第三十六条"),
    ("zhangye", "severity_levels", ("minor", "general", "severe"), O36),
    ("zhangye", "publicity_minor_months", (0, 3), O36),
    ("zhangye", "publicity_general_months", (3, 12), O36),
    ("zhangye", "publicity_severe_months", (12, 36), O36),
    ("zhangye", "publicity_starts_from", "decision", O36),
    ("zhangye", "natural_person_dishonesty_public", False, PIPL),
    (
        "zhangye",
        "masked_personal_fields",
        ("name", "birth_date", "id_number", "address", "phone", "bank_account"),
        PIPL,
    ),
    ("zhangye", "authorisation_max_days", 365, ZY + "第三十九条"),
    ("zhangye", "free_reports_per_year", 2, ZY + "第五十条"),
    ("zhangye", "repair_accept_days", 3, O36),
    ("zhangye", "repair_decision_days", 10, O36),
    ("zhangye", "repair_min_months", NATIONAL_SEVERITY_MONTHS, O36),
    ("zhangye", "repair_conditions", ("min_period_elapsed", "obligations_fulfilled", "credit_commitment"), O36),
    ("zhangye", "forbidden_content", FIVE_FORBIDDEN, CRR),
    ("zhangye", "repair_notice_with_decision", True, GB22),
    ("zhangye", "restricted_content_requires_consent", SIX_RESTRICTED, CRR),
    (
        "zhangye",
        "excluded_procedures",
        ("simplified_procedure", "minor_violation", "harm_mitigated"),
        ZY + "第三十四条第（二）项",
    ),
    ("zhangye", "defence_period_days", None, ZY + "第四十七条"),
    ("zhangye", "severe_list_prior_notice", True, GB49),
    (
        "zhangye",
        "severe_list_linked_persons",
        ("legal_representative", "principal", "actual_controller", "direct_responsible"),
        ZY + "第四十八条",
    ),
    ("zhangye", "unpublished_measures_forbidden", True, ZY + "第四十三条"),
    ("zhangye", "catalog_review_months", None, ZY + "第三十二条"),
    # Deference (Karamay 33, Qufu 86), the age of majority (Civil Code 17), responsible persons recorded on listing
    ("karamay", "publicity_defers_to_national", True, KM + "第三十三条"),
    ("qufu", "publicity_defers_to_national", True, QF + "第八十六条"),
    *[(c, "age_of_majority", 18, "《中华人民共和国民法典》第十七条") for c in ALL],
    ("karamay", "linked_persons_recorded", True, KM + "第十五条"),
    ("heilongjiang", "linked_persons_recorded", True, HLJ + "第四十五条"),
    ("qufu", "linked_persons_recorded", True, QF + "第四十六条"),
    ("zhangye", "linked_persons_recorded", True, ZY + "第四十八条"),
    ("fuzhou", "linked_persons_recorded", False, FZ + "第十八条"),
    ("zhangye", "measure_list_review_months", None, ZY + "第四十三条"),
    # duties to tell other bodies
    ("heilongjiang", "public_body_listing_notice", True, HLJ + "第四十四条"),
    ("qufu", "trust_opt_out_notify_providers", True, QF + "第六十一条"),
    ("qufu", "joint_sanction_report_public", True, QF + "第四十一条"),
]


def _id(case):
    return f"{case[0]}.{case[1]}"


@pytest.mark.parametrize(("code", "field", "expected", "article"), EXPECTED, ids=[_id(c) for c in EXPECTED])
def test_statutory_value_and_article(code, field, expected, article):
    rule = getattr(PROFILES[code], field)
    assert isinstance(rule, Rule)
    assert rule.value == expected
    assert type(rule.value) is type(expected)  # True is not 1, a tuple is not a list
    assert article in rule.article, rule.article
    assert rule.summary or rule.value in (None, ()), f"{code}.{field} needs a Chinese summary"


NUMERIC_UNITS = {WORKING_DAYS, DAYS, MONTHS, YEARS, COUNT, MONTH_RANGE, SEVERITY_MONTHS}


@pytest.mark.parametrize("code", ALL)
def test_every_number_and_flag_is_in_the_table(code):
    """No number, flag or code list may ship untested: each set value appears in EXPECTED."""
    covered = {(c, f) for c, f, _, _ in EXPECTED}
    missing = [
        field
        for field, _, rule in PROFILES[code].rules()
        if rule.value not in (None, ())
        and (rule.unit in NUMERIC_UNITS | {FLAG, CODE, CASE_DOMAINS} or field in _CHECKED_CODE_FIELDS)
        and (code, field) not in covered
    ]
    assert not missing, f"{code}: values without a test row: {missing}"


_CHECKED_CODE_FIELDS = {
    "forbidden_content",
    "restricted_content_requires_consent",
    "excluded_procedures",
    "non_repairable_cases",
    "special_domains",
    "unpublished_penalty_types",
    "severe_list_linked_persons",
    "masked_personal_fields",
}


def test_five_profiles_karamay_default():
    assert set(PROFILES) == set(ALL)
    assert active_policy().code == "karamay"
    assert get_policy(" Karamay ").code == "karamay"


def test_unknown_policy_lists_choices():
    with pytest.raises(UnknownPolicy) as exc:
        get_policy("nowhere")
    message = str(exc.value)
    assert "nowhere" in message
    for code in ALL:
        assert code in message
    assert "\n" not in message


@pytest.mark.parametrize("code", ALL)
def test_profiles_are_frozen(code):
    profile = PROFILES[code]
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.objection_mark_days = Rule(99, "x")  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.objection_decision_days.value = 99  # type: ignore[misc]
    for _, _, rule in profile.rules():
        assert not isinstance(rule.value, list | dict | set)
        hash(rule)  # every value is hashable, hence immutable all the way down


@pytest.mark.parametrize("code", ALL)
def test_every_rule_is_complete(code):
    profile = PROFILES[code]
    rules = list(profile.rules())
    assert [f for f, _, _ in rules] == list(FIELD_LABELS)  # one Chinese label per field, same order
    for field, label, rule in rules:
        assert label and label == FIELD_LABELS[field][1]
        assert rule.unit == FIELD_LABELS[field][2]
        assert rule.article.startswith("《"), f"{code}.{field}: {rule.article}"
        if rule.source == "statute":
            assert profile.title in rule.article, f"{code}.{field} cites {rule.article}"
        if rule.source == "platform":
            assert "平台" in rule.summary, "a platform setting must say so in its summary"
        assert format_value(rule)


def test_field_names_other_apps_code_against():
    names = {f.name for f in dataclasses.fields(PolicyProfile)}
    required = {
        "code", "name", "short_name", "status",
        "objection_mark_days", "objection_decision_days", "objection_decision_days_assisted",
        "objection_extension_total_days", "objection_assist_reply_days", "objection_pause_not_counted",
        "objection_correction_days", "complaint_reply_days", "push_deadline_days", "correction_days",
        "revocation_provider_days", "revocation_platform_days", "publicity_minor_months",
        "publicity_general_months", "publicity_severe_months", "publicity_special_domain_min_months",
        "special_domains", "long_term_publicity_cases", "unpublished_penalty_types", "publicity_starts_from",
        "severe_list_publicity_stop_days", "severe_list_retention_years", "severe_list_archived_never_republished",
        "natural_person_dishonesty_public", "natural_person_retention_years", "trust_opt_out_days",
        "authorisation_max_days", "query_purposes", "masked_personal_fields", "repair_accept_days",
        "repair_decision_days", "repair_min_months", "repair_special_domain_min_months", "non_repairable_cases",
        "forbidden_content", "restricted_content_requires_consent", "excluded_procedures",
        "commitment_check_months", "defence_period_days", "red_list_requires_no_dishonesty", "catalog_review_months",
    }  # fmt: skip
    assert required <= names


def test_identity_and_validity():
    km, hlj, qf, fz, zy = (PROFILES[c] for c in ALL)
    assert (km.name, km.short_name, km.status) == ("克拉玛依市社会信用条例", "克拉玛依", "enacted")
    assert km.valid_from == date(2023, 1, 1) and km.in_force_on(date(2026, 11, 23))
    assert not km.in_force_on(date(2022, 12, 31))
    assert hlj.status == "draft" and not hlj.in_force_on(date(2026, 11, 23))
    assert zy.status == "draft" and not zy.in_force_on(date(2026, 11, 23))
    assert qf.status == "measures" and (qf.valid_from, qf.valid_until) == (date(2023, 7, 1), date(2025, 6, 30))
    assert qf.in_force_on(date(2025, 6, 30)) and not qf.in_force_on(date(2025, 7, 1))
    assert qf.document_number == "曲政发〔2023〕8号"
    assert fz.status == "measures" and fz.valid_from == date(2019, 8, 1)


@pytest.mark.parametrize(
    ("code", "severity", "domain", "expected"),
    [
        ("karamay", "minor", None, (0, 3)),
        ("karamay", "general", None, (3, 12)),  # art. 33 defers: Order 36 governs both ends
        ("karamay", "severe", None, (12, 36)),
        ("heilongjiang", "general", None, (3, 12)),
        ("heilongjiang", "severe", None, (6, 36)),
        ("qufu", "general", None, (3, 12)),  # art. 86 defers to the superior (national) rule
        ("qufu", "general", "food", (12, 12)),  # art. 34's one-year minimum for the listed domains still applies
        ("qufu", "general", "finance", (3, 12)),
        ("qufu", "specific_severe", None, (12, 36)),
        ("fuzhou", "general", "food", (3, 12)),
        ("zhangye", "severe", None, (12, 36)),
    ],
)
def test_effective_publicity_months(code, severity, domain, expected):
    assert PROFILES[code].effective_publicity_months(severity, domain) == expected


def test_repair_min_for_and_long_term_lookup():
    assert [PROFILES["karamay"].repair_min_for(s) for s in ("minor", "general", "severe")] == [0, 3, 12]
    assert PROFILES["qufu"].repair_min_for("specific_severe") == 12
    cases = PROFILES["heilongjiang"].long_term_publicity_cases.value
    assert cases.applies("licence_revoked", "ccc") and not cases.applies("licence_revoked", "special_equipment")
    with pytest.raises(ValueError):
        PROFILES["karamay"].effective_publicity_months("catastrophic")


def test_every_code_has_a_chinese_label():
    for profile in PROFILES.values():
        for _, _, rule in profile.rules():
            if rule.unit == CODES:
                assert all(c in CODE_LABELS for c in rule.value)


def test_rule_validation():
    with pytest.raises(ValueError):
        Rule(3, "")
    with pytest.raises(ValueError):
        Rule(-1, "《x》第一条", unit=WORKING_DAYS)
    with pytest.raises(ValueError):
        Rule(True, "《x》第一条", unit=WORKING_DAYS)
    with pytest.raises(ValueError):
        Rule((12, 3), "《x》第一条", unit=MONTH_RANGE)
    with pytest.raises(TypeError):
        Rule(["food"], "《x》第一条", unit=CODES)


@pytest.mark.parametrize(
    ("n", "zh"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (13, "十三"),
        (20, "二十"),
        (34, "三十四"),
        (100, "一百"),
        (102, "一百零二"),
        (110, "一百一十"),
    ],
)
def test_cn_number(n, zh):
    assert cn_number(n) == zh


def test_cite():
    assert cite("克拉玛依市社会信用条例", 34) == "《克拉玛依市社会信用条例》第三十四条"
    assert cite("克拉玛依市社会信用条例", 13, 6) == "《克拉玛依市社会信用条例》第十三条第（六）项"


def test_display_formats():
    km = PROFILES["karamay"]
    assert format_value(km.objection_mark_days) == "2 个工作日"
    assert format_value(km.publicity_general_months) == "最长 36 个月"
    assert format_value(PROFILES["heilongjiang"].publicity_severe_months) == "6–36 个月"
    assert format_value(km.natural_person_dishonesty_public) == "否"
    assert format_value(km.objection_assist_reply_days) == "未规定"
    assert format_value(km.repair_min_months) == "轻微 0 个月；一般 3 个月；严重 12 个月"
    assert "宗教信仰" in format_value(km.forbidden_content)


@pytest.mark.parametrize("code", ALL)
def test_rules_context_rows(code):
    rows = rules_context(PROFILES[code])
    assert len(rows) == len(FIELD_LABELS)
    for row in rows:
        assert {"field", "label", "value", "article", "summary", "section_label", "source_label"} <= set(row)


@pytest.mark.django_db
def test_rules_page_renders_with_citations(client):
    response = client.get(reverse("active-rules"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "《克拉玛依市社会信用条例》第三十四条" in html
    assert "异议标注时限" in html and "2 个工作日" in html
    assert "《克拉玛依市社会信用条例》第三十三条" in html
    assert "国家发展改革委令2025年第36号" in html
    assert "<caption>" in html and 'scope="row"' in html


@pytest.mark.django_db
def test_rules_page_for_an_expired_profile_warns(client, settings):
    settings.CREDIT_POLICY = "qufu"
    html = client.get(reverse("active-rules")).content.decode()
    assert "《曲阜市社会信用管理办法（试行）》第五十九条" in html
    assert "不在有效期内" in html


@pytest.mark.django_db
def test_policy_admin_view_staff_only(django_user_model):
    factory = RequestFactory()
    staff = django_user_model.objects.create_user(username="official", password="x-Secret-123", is_staff=True)
    citizen = django_user_model.objects.create_user(username="citizen", password="x-Secret-123")

    request = factory.get("/admin/policy/")
    request.user = citizen
    response = policy_admin_view(request)
    assert response.status_code == 302

    request = factory.get("/admin/policy/")
    request.user = staff
    response = policy_admin_view(request)
    assert response.status_code == 200
    html = response.content.decode()
    assert "当前适用：《克拉玛依市社会信用条例》" in html
    assert "《克拉玛依市社会信用条例》第三十四条" in html
    for code in ("heilongjiang", "qufu", "fuzhou", "zhangye"):
        assert f"<code>{code}</code>" in html


def test_unknown_policy_stops_startup_with_one_line():
    env = {**os.environ, "CREDIT_POLICY": "nowhere", "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        check=False,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    error_lines = [line for line in result.stderr.splitlines() if "nowhere" in line]
    assert len(error_lines) == 1, result.stderr
    assert error_lines[0].startswith("配置错误 / configuration error: CREDIT_POLICY='nowhere'")
    assert "karamay" in error_lines[0] and "qufu" in error_lines[0]
