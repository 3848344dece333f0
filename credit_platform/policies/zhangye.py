"""《张掖市社会信用体系建设条例（草案）》 — municipal draft (送审稿), not in force.

Art. 36 sends the collection and disclosure of credit information to 《甘肃省社会信用条例》 and art. 52 sends
repair to the (since repealed) NDRC Order 58, now replaced by Order 36. The provincial text is not in the
seeds, so where this draft is silent the national rules apply and are cited.
"""

from __future__ import annotations

from credit_platform.policies import national
from credit_platform.policies.base import (
    CASE_DOMAINS,
    CHOICES,
    CODES,
    COUNT,
    DAYS,
    FLAG,
    MONTHS,
    SOURCE_PLATFORM,
    STATUS_DRAFT,
    WORKING_DAYS,
    YEARS,
    PolicyProfile,
    Rule,
    cite,
    silent,
)

TITLE = "张掖市社会信用体系建设条例（草案）"
GANSU = "《甘肃省社会信用条例》"


def art(n: int, item: int | None = None) -> str:
    return cite(TITLE, n, item)


NONE = silent(TITLE)
DELEGATED = f"本条例未规定具体时限；第三十六条规定信用信息的归集和披露依照{GANSU}执行。"

ZHANGYE = PolicyProfile(
    code="zhangye",
    name=TITLE,
    short_name="张掖",
    status=STATUS_DRAFT,
    issuer="张掖市人民代表大会常务委员会（草案送审稿）",
    document_number="",
    valid_from=None,
    valid_until=None,
    related_instruments=(GANSU,),
    # --- objections and corrections --------------------------------------------------------------------------
    objection_mark_days=Rule(
        None, art(51), "信用主体可以提出异议申请并提交证明材料；本条例未规定处理时限。", WORKING_DAYS
    ),
    objection_decision_days=Rule(None, art(51), "本条例未规定异议处理时限。", WORKING_DAYS),
    objection_decision_days_assisted=Rule(None, art(51), "本条例未规定异议处理时限。", WORKING_DAYS),
    objection_extension_total_days=Rule(None, art(51), "本条例未规定异议处理时限。", WORKING_DAYS),
    objection_assist_reply_days=Rule(None, NONE, "", WORKING_DAYS),
    objection_pause_not_counted=Rule(None, NONE, "", FLAG),
    objection_pause_activities=Rule((), NONE, "", CODES),
    objection_correction_days=Rule(None, art(51), "本条例未规定更正时限。", WORKING_DAYS),
    objection_refusal_reason_required=Rule(None, NONE, "", FLAG),
    complaint_reply_days=Rule(None, NONE, "", WORKING_DAYS),
    push_deadline_days=Rule(None, art(36), DELEGATED, WORKING_DAYS),
    platform_forward_days=Rule(None, NONE, "", WORKING_DAYS),
    correction_days=Rule(
        None, art(36), "信用信息提供单位建立审核机制，对信息的合法性、真实性、准确性负责；" + DELEGATED, WORKING_DAYS
    ),
    revocation_provider_days=Rule(None, art(36), DELEGATED, WORKING_DAYS),
    revocation_platform_days=Rule(None, art(36), DELEGATED, WORKING_DAYS),
    # --- disclosure (art. 36 delegates; national tiers apply) ---------------------------------------------------
    severity_levels=national.SEVERITY_LEVELS,
    publicity_minor_months=national.PUBLICITY_MINOR_MONTHS,
    publicity_general_months=national.PUBLICITY_GENERAL_MONTHS,
    publicity_severe_months=national.PUBLICITY_SEVERE_MONTHS,
    publicity_defers_to_national=Rule(None, NONE, "公示期限直接适用国家规定。", FLAG),
    publicity_special_domain_min_months=Rule(None, NONE, "", MONTHS),
    special_domains=Rule((), NONE, "", CODES),
    long_term_publicity_cases=Rule(None, NONE, "", CASE_DOMAINS),
    unpublished_penalty_types=Rule((), NONE, "", CODES),
    publicity_multiple_types_longest=Rule(None, NONE, "", FLAG),
    publicity_starts_from=national.PUBLICITY_STARTS_FROM,
    severe_list_publicity_stop_days=Rule(None, NONE, "", WORKING_DAYS),
    severe_list_retention_years=Rule(None, NONE, "", YEARS),
    severe_list_retention_restarts=Rule(None, NONE, "", FLAG),
    severe_list_archived_never_republished=Rule(None, NONE, "", FLAG),
    natural_person_dishonesty_public=national.NATURAL_PERSON_DISHONESTY_PUBLIC,
    age_of_majority=national.AGE_OF_MAJORITY,
    natural_person_retention_years=Rule(None, NONE, "", YEARS),
    masked_personal_fields=national.MASKED_PERSONAL_FIELDS,
    trust_opt_out_days=Rule(None, NONE, "", WORKING_DAYS),
    authorisation_max_days=Rule(
        365,
        art(39),
        "任何组织和个人不得越权查询、不得泄露未经授权公开的信用信息；本条例未规定授权期限，平台将单次授权有效期设为最长一年。",
        DAYS,
        SOURCE_PLATFORM,
    ),
    query_purposes=Rule(
        (("duties", f"履行职责需要时，依照{GANSU}有关规定查询、使用"),),
        art(38),
        f"国家机关和法律、法规授权的组织在履行职责需要时，可依照{GANSU}查询、使用社会信用信息。",
        CHOICES,
    ),
    free_reports_per_year=Rule(
        2,
        art(50),
        "平台向信用主体提供不限次数的免费查询；信用主体有权每年从采集、归集其信用信息的机构免费获取两次自身的信用报告。",
        COUNT,
    ),
    # --- repair (art. 52 → national) ----------------------------------------------------------------------------
    repair_accept_days=national.REPAIR_ACCEPT_DAYS,
    repair_decision_days=national.REPAIR_DECISION_DAYS,
    repair_min_months=national.REPAIR_MIN_MONTHS,
    repair_special_domain_min_months=Rule(None, NONE, "", MONTHS),
    repair_conditions=national.REPAIR_CONDITIONS,
    non_repairable_cases=national.NON_REPAIRABLE_CASES,
    repair_revocable_on_fraud=Rule(None, NONE, "", FLAG),
    repair_free_of_charge=Rule(None, NONE, "", FLAG),
    repair_notice_with_decision=national.REPAIR_NOTICE_WITH_DECISION,
    # --- ingestion ------------------------------------------------------------------------------------------------
    forbidden_content=national.FORBIDDEN_CONTENT,
    restricted_content_requires_consent=national.RESTRICTED_CONTENT,
    excluded_procedures=Rule(
        ("simplified_procedure", "minor_violation", "harm_mitigated"),
        art(34, 2),
        "失信信息包括适用一般程序作出的行政处罚信息，但违法行为轻微或者主动消除、减轻违法行为危害后果的除外。",
        CODES,
    ),
    # --- sanctions --------------------------------------------------------------------------------------------------
    commitment_check_months=Rule(None, art(7), "信用承诺履约情况记入信用记录（未规定核查时限）。", MONTHS),
    commitment_barred_until_repaired=Rule(None, NONE, "", FLAG),
    false_commitment_revokes_decision=Rule(
        None, art(34, 3), "作出虚假承诺或不履行承诺的信息列为失信信息（未规定撤销原决定）。", FLAG
    ),
    defence_period_days=Rule(
        None, art(47), "信用主体被列入严重失信主体名单的，有权陈述和申辩（未规定期限）。", WORKING_DAYS
    ),
    severe_list_prior_notice=national.SEVERE_LIST_PRIOR_NOTICE,
    severe_list_linked_persons=Rule(
        ("legal_representative", "principal", "actual_controller", "direct_responsible"),
        art(48),
        "严重失信主体是法人或者非法人组织的，标明法定代表人、主要负责人、实际控制人和其他直接责任人，并记入其个人信用记录。",
        CODES,
    ),
    linked_persons_recorded=Rule(
        True,
        art(48),
        "严重失信主体是法人或者非法人组织的，单位列入名单时将其法定代表人、主要负责人、实际控制人和其他直接责任人记入个人信用记录；移出名单时一并撤回。",
        FLAG,
    ),
    red_list_requires_no_dishonesty=Rule(None, art(42), "按照国家有关规定对信用状况良好的守信主体采取激励措施。", FLAG),
    red_list_clean_record_years=Rule(None, NONE, "", YEARS),
    unpublished_measures_forbidden=Rule(
        True,
        art(43),
        "失信惩戒措施实行清单制管理，补充清单报市人民政府批准后向社会公布；不得在清单之外增设或加重惩戒（第四十四条）。",
        FLAG,
    ),
    catalog_review_months=Rule(None, art(32), "市补充目录向社会公布并实行动态管理（未规定调整周期）。", MONTHS),
    measure_list_review_months=Rule(None, art(43), "市补充清单实行动态管理（未规定调整周期）。", MONTHS),
    public_body_listing_notice=Rule(None, NONE, "", FLAG),
    trust_opt_out_notify_providers=Rule(None, NONE, "", FLAG),
    joint_sanction_report_public=Rule(None, NONE, "", FLAG),
)
