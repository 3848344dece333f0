"""《福州市社会信用管理办法》 — municipal measures, in force 2019-08-01.

The seed text went through a bad traditional-Chinese conversion (套用 = 应用, 許可權 = 权限, 程式 = 程序).
Art. 9 sends the collection and disclosure of public credit information to 《福州市公共信用信息管理暂行办法》
and art. 14 sends red/black lists to 《福州市信用红黑名单管理暂行办法》; neither text is in the seeds, so where
this text is silent the national rules apply and are cited.
"""

from __future__ import annotations

from datetime import date

from credit_platform.policies import national
from credit_platform.policies.base import (
    CASE_DOMAINS,
    CHOICES,
    CODES,
    COUNT,
    DAYS,
    FLAG,
    MONTHS,
    SOURCE_NATIONAL,
    SOURCE_PLATFORM,
    STATUS_MEASURES,
    WORKING_DAYS,
    YEARS,
    PolicyProfile,
    Rule,
    cite,
    silent,
)

TITLE = "福州市社会信用管理办法"
PUBLIC_INFO_MEASURES = "《福州市公共信用信息管理暂行办法》"
RED_BLACK_MEASURES = "《福州市信用红黑名单管理暂行办法》"


def art(n: int, item: int | None = None) -> str:
    return cite(TITLE, n, item)


NONE = silent(TITLE)
DELEGATED = f"本办法未规定具体时限；第九条规定公共信用信息的归集、披露按{PUBLIC_INFO_MEASURES}执行。"

FUZHOU = PolicyProfile(
    code="fuzhou",
    name=TITLE,
    short_name="福州",
    status=STATUS_MEASURES,
    issuer="福州市人民政府",
    document_number="",
    valid_from=date(2019, 8, 1),
    valid_until=None,
    related_instruments=(PUBLIC_INFO_MEASURES, RED_BLACK_MEASURES),
    # --- objections and corrections --------------------------------------------------------------------------
    objection_mark_days=Rule(None, art(25), "信息主体有权依法提出异议，要求更正；" + DELEGATED, WORKING_DAYS),
    objection_decision_days=Rule(None, art(25), DELEGATED, WORKING_DAYS),
    objection_decision_days_assisted=Rule(None, art(25), DELEGATED, WORKING_DAYS),
    objection_extension_total_days=Rule(None, art(25), DELEGATED, WORKING_DAYS),
    objection_assist_reply_days=Rule(None, NONE, "", WORKING_DAYS),
    objection_pause_not_counted=Rule(None, NONE, "", FLAG),
    objection_pause_activities=Rule((), NONE, "", CODES),
    objection_correction_days=Rule(None, art(25), DELEGATED, WORKING_DAYS),
    objection_refusal_reason_required=Rule(None, NONE, "", FLAG),
    complaint_reply_days=Rule(None, NONE, "", WORKING_DAYS),
    push_deadline_days=Rule(None, art(9), DELEGATED, WORKING_DAYS),
    platform_forward_days=Rule(None, NONE, "", WORKING_DAYS),
    correction_days=Rule(None, art(9), DELEGATED, WORKING_DAYS),
    revocation_provider_days=Rule(None, art(9), DELEGATED, WORKING_DAYS),
    revocation_platform_days=Rule(None, art(9), DELEGATED, WORKING_DAYS),
    # --- disclosure (art. 9 delegates; national tiers apply) ----------------------------------------------------
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
        art(13),
        "未经本人书面授权，不得查询信息主体非公开的社会信用信息；办法未规定授权期限，平台将单次授权有效期设为最长一年。",
        DAYS,
        SOURCE_PLATFORM,
    ),
    query_purposes=Rule(
        (
            ("administration", "行政机关根据行政管理需要确定并向社会公布的关联查询事项"),
            ("judicial", "司法机关依法查询"),
        ),
        art(13),
        "行政机关、司法机关可以依法查询社会信用信息；行政机关查询应当遵循合理行政原则，查询事项向社会公布。",
        CHOICES,
    ),
    free_reports_per_year=Rule(None, art(13), "信息主体享有查询自身社会信用信息的权利（未规定次数）。", COUNT),
    # --- repair (arts. 20-23) ----------------------------------------------------------------------------------
    repair_accept_days=national.REPAIR_ACCEPT_DAYS,
    repair_decision_days=national.REPAIR_DECISION_DAYS,
    repair_min_months=national.REPAIR_MIN_MONTHS,
    repair_special_domain_min_months=Rule(None, NONE, "", MONTHS),
    repair_conditions=Rule(
        ("act_corrected", "no_repeat_commitment", "accept_supervision", "penalty_performed"),
        art(21),
        "同时符合：主动纠正失信行为且不良影响基本消除；作出不再发生类似失信行为的信用承诺并得到认可；自觉接受监督检查及诚信约谈；主动履行行政处罚决定。",
        CODES,
    ),
    non_repairable_cases=Rule(
        ("health_or_life", "market_order", "refused_obligation", "national_defence"),
        art(22),
        "严重危害人民群众身体健康和生命安全、严重破坏市场公平竞争秩序和社会正常秩序、拒不履行法定义务严重影响司法和行政机关公信力、拒不履行国防义务的，以及法律、法规、规章规定的其他情形，不予信用修复。",
        CODES,
    ),
    repair_revocable_on_fraud=Rule(
        True,
        art(23),
        "发现弄虚作假、故意隐瞒事实、未能履行信用修复承诺等行为并核实确认的，终止修复程序或撤销修复结果。",
        FLAG,
    ),
    repair_free_of_charge=Rule(None, NONE, "", FLAG),
    repair_notice_with_decision=national.REPAIR_NOTICE_WITH_DECISION,
    # --- ingestion ------------------------------------------------------------------------------------------------
    forbidden_content=Rule(
        ("religion", "genes", "fingerprints", "blood_type", "disease", "medical_history"),
        art(11),
        "禁止采集自然人的宗教信仰、基因、指纹、血型、疾病和病史信息以及法律、行政法规规定禁止采集的其他个人信息。",
        CODES,
    ),
    restricted_content_requires_consent=Rule(
        ("income", "deposits", "securities", "commercial_insurance", "real_estate", "tax_amount"),
        art(11),
        "不得采集自然人的收入、存款、有价证券、商业保险、不动产和纳税数额信息；明确告知不利后果并取得书面同意的除外。",
        CODES,
    ),
    excluded_procedures=Rule(
        (),
        national.ORDER_36,
        "本办法未规定；适用简易程序等作出的轻微失信信息，按国家规定原则上不予公示（见轻微失信信息公示期限）。",
        CODES,
        SOURCE_NATIONAL,
    ),
    # --- sanctions (arts. 14-18) --------------------------------------------------------------------------------
    commitment_check_months=Rule(None, NONE, "", MONTHS),
    commitment_barred_until_repaired=Rule(None, NONE, "", FLAG),
    false_commitment_revokes_decision=Rule(None, NONE, "", FLAG),
    defence_period_days=Rule(
        None,
        national.GUOBAN_2020_49,
        "本办法未规定；列入严重失信主体名单前应当告知事由、依据和依法享有的权利（未规定具体天数）。",
        WORKING_DAYS,
        SOURCE_NATIONAL,
    ),
    severe_list_prior_notice=national.SEVERE_LIST_PRIOR_NOTICE,
    severe_list_linked_persons=Rule(
        ("legal_representative", "principal", "direct_responsible"),
        art(18),
        "严重失信主体是法人、非法人组织的，可以标明负有责任的法定代表人、主要负责人和其他直接负责人的信息。",
        CODES,
    ),
    linked_persons_recorded=Rule(
        False,
        art(18),
        "有关部门“可以标明”负有责任的法定代表人、主要负责人和其他直接负责人的信息：只在单位的严重失信信息上标明，不形成个人失信记录，也不将其列入名单。",
        FLAG,
    ),
    red_list_requires_no_dishonesty=Rule(None, art(14), f"红名单按{RED_BLACK_MEASURES}认定和发布。", FLAG),
    red_list_clean_record_years=Rule(
        3,
        art(16, 1),
        "对诚信典型和连续三年无不良信用记录的申请人，可以实施“绿色通道”和“容缺受理”等便利服务措施。",
        YEARS,
    ),
    unpublished_measures_forbidden=Rule(
        True, art(15), "激励与惩戒措施清单向社会公布；未经公布的激励或者惩戒措施，不得实施。", FLAG
    ),
    catalog_review_months=Rule(None, art(9), DELEGATED, MONTHS),
    measure_list_review_months=Rule(None, art(15), "未规定清单调整周期。", MONTHS),
    public_body_listing_notice=Rule(None, NONE, "", FLAG),
    trust_opt_out_notify_providers=Rule(None, NONE, "", FLAG),
    joint_sanction_report_public=Rule(None, NONE, "", FLAG),
)
