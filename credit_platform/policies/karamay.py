"""《克拉玛依市社会信用条例》 — enacted local regulation, in force 2023-01-01 (the default profile).

The seed text went through a bad traditional-Chinese conversion (套用 = 应用, 許可權 = 权限, 程式 = 程序);
summaries below use the correct simplified wording.
"""

from __future__ import annotations

from datetime import date

from credit_platform.policies import national
from credit_platform.policies.base import (
    CASE_DOMAINS,
    CHOICES,
    CODE,
    CODES,
    COUNT,
    DAYS,
    FLAG,
    MONTH_RANGE,
    MONTHS,
    SOURCE_PLATFORM,
    STATUS_ENACTED,
    WORKING_DAYS,
    YEARS,
    PolicyProfile,
    Rule,
    cite,
    silent,
)

TITLE = "克拉玛依市社会信用条例"


def art(n: int, item: int | None = None) -> str:
    return cite(TITLE, n, item)


NONE = silent(TITLE)

KARAMAY = PolicyProfile(
    code="karamay",
    name=TITLE,
    short_name="克拉玛依",
    status=STATUS_ENACTED,
    issuer="克拉玛依市人民代表大会常务委员会",
    document_number="2022年4月26日克拉玛依市第十五届人大常委会第二次会议通过，2022年5月27日新疆维吾尔自治区第十三届人大常委会第三十三次会议批准",
    valid_from=date(2023, 1, 1),
    valid_until=None,
    related_instruments=(),
    # --- objections and corrections --------------------------------------------------------------------------
    objection_mark_days=Rule(2, art(34), "自收到异议材料之日起两个工作日内作出异议标注。", WORKING_DAYS),
    objection_decision_days=Rule(7, art(34), "七个工作日内将核查及处理结果反馈申请人。", WORKING_DAYS),
    objection_decision_days_assisted=Rule(
        None, art(34), "未单独规定协助核查时限；情况复杂的适用延长规定。", WORKING_DAYS
    ),
    objection_extension_total_days=Rule(
        15, art(34), "情况复杂的，经负责人批准可以延长核查期限，异议处理期限累计不得超过十五个工作日。", WORKING_DAYS
    ),
    objection_assist_reply_days=Rule(None, NONE, "未规定协助单位反馈时限。", WORKING_DAYS),
    objection_pause_not_counted=Rule(None, NONE, "未规定不计入异议处理期限的事项。", FLAG),
    objection_pause_activities=Rule((), NONE, "", CODES),
    objection_correction_days=Rule(
        None, art(34), "经核查有误的，应当予以更正或者删除（未规定具体时限）。", WORKING_DAYS
    ),
    objection_refusal_reason_required=Rule(True, art(34), "作出不予变更决定的，应当书面说明理由。", FLAG),
    complaint_reply_days=Rule(None, NONE, "未规定对市场信用信息提供主体的投诉答复时限。", WORKING_DAYS),
    push_deadline_days=Rule(
        None, art(17), "提供主体应当及时、客观、完整地记录并录入共享平台（未规定具体时限）。", WORKING_DAYS
    ),
    platform_forward_days=Rule(None, NONE, "", WORKING_DAYS),
    correction_days=Rule(None, art(34), "发现信息错误、遗漏的，应当及时更正并及时录入共享平台。", WORKING_DAYS),
    revocation_provider_days=Rule(None, art(34), "适用及时更正的规定（未规定具体时限）。", WORKING_DAYS),
    revocation_platform_days=Rule(None, art(34), "适用及时更正的规定（未规定具体时限）。", WORKING_DAYS),
    # --- disclosure ---------------------------------------------------------------------------------------------
    severity_levels=national.SEVERITY_LEVELS,
    publicity_minor_months=national.PUBLICITY_MINOR_MONTHS,
    publicity_general_months=Rule(
        (None, 36),
        art(33),
        "失信信息披露期限一般不超过三年，届满后不得再行披露；国家对披露期限另有规定的，从其规定（最短、最长期限均适用国家一般失信信息的规定）。",
        MONTH_RANGE,
    ),
    publicity_severe_months=Rule(
        (None, 36),
        art(33),
        "失信信息披露期限一般不超过三年；国家另有规定的从其规定（最短、最长期限均适用国家严重失信信息的规定）。",
        MONTH_RANGE,
    ),
    publicity_defers_to_national=Rule(
        True,
        art(33),
        "国家对公共信用信息披露期限另有规定的，从其规定：按《信用修复管理办法》，一般失信信息公示3个月至1年，严重失信信息1年至3年，轻微失信信息最长3个月（最短、最长期限均适用国家规定）。",
        FLAG,
    ),
    publicity_special_domain_min_months=Rule(None, NONE, "", MONTHS),
    special_domains=Rule((), NONE, "", CODES),
    long_term_publicity_cases=Rule(None, art(33), "未规定长期公示情形；披露期限届满后不得再行披露。", CASE_DOMAINS),
    unpublished_penalty_types=Rule((), NONE, "", CODES),
    publicity_multiple_types_longest=Rule(None, NONE, "", FLAG),
    publicity_starts_from=Rule(
        "end_of_act_if_continuing",
        art(33),
        "披露期限自失信行为认定之日起计算；失信行为处于持续状态的，自失信行为终止之日起计算。",
        CODE,
    ),
    severe_list_publicity_stop_days=Rule(None, NONE, "", WORKING_DAYS),
    severe_list_retention_years=Rule(None, NONE, "", YEARS),
    severe_list_retention_restarts=Rule(None, NONE, "", FLAG),
    severe_list_archived_never_republished=Rule(
        True, art(33), "披露期限届满后不得再行披露（适用于全部失信信息，包括严重失信信息）。", FLAG
    ),
    natural_person_dishonesty_public=Rule(False, art(36), "个人信息一般不予公开，法律另有规定的除外。", FLAG),
    age_of_majority=national.AGE_OF_MAJORITY,
    natural_person_retention_years=Rule(None, NONE, "", YEARS),
    masked_personal_fields=Rule(
        ("name", "birth_date", "id_number", "address", "phone", "bank_account"),
        art(36),
        "个人信息一般不予公开；确需展示的，公开界面对个人信息脱敏。",
        CODES,
    ),
    trust_opt_out_days=Rule(
        0,
        art(36),
        "信用主体对其表彰奖励、志愿服务、慈善捐赠等守信信息提出不予公开的，应当尊重其意思表示不予公开（0 = 收到申请即停止公开）。",
        WORKING_DAYS,
    ),
    authorisation_max_days=Rule(
        365,
        art(20),
        "查询他人非公开信息须出具被查询主体的书面同意；条例未规定授权期限，平台将单次授权有效期设为最长一年。",
        DAYS,
        SOURCE_PLATFORM,
    ),
    query_purposes=Rule(
        (
            ("licensing_inspection_penalty", "实施行政许可、行政检查和作出重大行政处罚"),
            (
                "public_resource_trading",
                "政府采购、国家投资工程招标投标、国有土地使用权出让等公共资源交易，财政资金项目支持、科研项目管理等",
            ),
            ("staff_recruitment", "国家工作人员招录、聘用、调任等"),
            ("awards", "选优评先、表彰奖励等"),
            ("other_legal", "法律、法规和国家规定的其他需要查询使用的情形"),
        ),
        art(28),
        "国家机关等根据履行职责需要可以在下列工作中查询、使用信用信息，不得超出职责范围使用、不得擅自公开。",
        CHOICES,
    ),
    free_reports_per_year=Rule(None, art(19), "公共信用信息免费向社会披露（未规定次数限制）。", COUNT),
    # --- repair --------------------------------------------------------------------------------------------------
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
    forbidden_content=Rule(
        ("religion", "blood_type", "disease", "medical_history", "genes", "fingerprints"),
        art(18),
        "不得采集自然人的宗教信仰、血型、疾病和病史、基因和指纹等信息，以及法律、法规规定禁止采集的其他信息。",
        CODES,
    ),
    restricted_content_requires_consent=Rule(
        ("income", "deposits", "securities", "commercial_insurance", "real_estate", "tax_amount"),
        art(18),
        "不得采集自然人的收入、存款、有价证券、商业保险、不动产、纳税数额等信息；明确告知不利后果并取得书面同意的除外。",
        CODES,
    ),
    excluded_procedures=Rule(
        ("simplified_procedure", "minor_violation", "harm_mitigated"),
        art(13, 6),
        "失信信息仅限适用一般程序作出的行政处罚信息，违法行为轻微或者主动消除、减轻违法行为危害后果的除外。",
        CODES,
    ),
    # --- sanctions --------------------------------------------------------------------------------------------------
    commitment_check_months=Rule(
        None, art(8), "承诺履行情况记入信用记录，作为事中事后监管依据（未规定核查时限）。", MONTHS
    ),
    commitment_barred_until_repaired=Rule(None, NONE, "", FLAG),
    false_commitment_revokes_decision=Rule(None, art(13, 1), "违反信用承诺制度受到责任追究的信息列为失信信息。", FLAG),
    defence_period_days=Rule(
        None,
        art(15),
        "认定严重失信主体名单前应当告知事由、依据和权利；信用主体提出异议的，应当予以核实并在规定时限内反馈（未规定具体天数）。",
        WORKING_DAYS,
    ),
    severe_list_prior_notice=Rule(
        True,
        art(15),
        "认定前告知事由、依据和权利；决定文书载明事由、依据、惩戒措施提示、移出条件和程序以及救济措施。",
        FLAG,
    ),
    severe_list_linked_persons=Rule(
        ("legal_representative", "principal", "actual_controller"),
        art(15),
        "法人、非法人组织列入严重失信主体名单的，同步记入其负有责任的法定代表人、主要负责人、实际控制人的信用记录。",
        CODES,
    ),
    linked_persons_recorded=Rule(
        True,
        art(15),
        "单位被列入严重失信主体名单时（而非每条严重失信信息推送时），将该严重失信信息同步记入负有责任的法定代表人、主要负责人、实际控制人的公共信用信息记录；移出名单时一并撤回。",
        FLAG,
    ),
    red_list_requires_no_dishonesty=Rule(
        True, art(22), "对无失信信息记录，且具有第十二条所列守信信息记录的，可以采取激励措施。", FLAG
    ),
    red_list_clean_record_years=Rule(None, NONE, "", YEARS),
    unpublished_measures_forbidden=Rule(
        True, art(23), "失信惩戒措施实行清单制管理，补充清单经市人民政府批准并向社会公布。", FLAG
    ),
    catalog_review_months=Rule(12, art(9), "公共信用信息补充目录根据需要动态更新，一般每年调整一次。", MONTHS),
    measure_list_review_months=Rule(12, art(23), "失信惩戒措施补充清单实行动态管理，一般每年调整一次。", MONTHS),
    public_body_listing_notice=Rule(None, NONE, "", FLAG),
    trust_opt_out_notify_providers=Rule(None, NONE, "", FLAG),
    joint_sanction_report_public=Rule(None, NONE, "", FLAG),
)
