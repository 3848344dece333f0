"""《黑龙江省社会信用条例（征求意见稿）》 — provincial draft published for comment on 2021-07-16 (not in force)."""

from __future__ import annotations

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
    STATUS_DRAFT,
    WORKING_DAYS,
    YEARS,
    LongTermPublicity,
    PolicyProfile,
    Rule,
    cite,
    silent,
)

TITLE = "黑龙江省社会信用条例（征求意见稿）"


def art(n: int, item: int | None = None) -> str:
    return cite(TITLE, n, item)


NONE = silent(TITLE)

HEILONGJIANG = PolicyProfile(
    code="heilongjiang",
    name=TITLE,
    short_name="黑龙江",
    status=STATUS_DRAFT,
    issuer="黑龙江省司法厅（公开征求意见）",
    document_number="2021年7月16日公布征求意见",
    valid_from=None,
    valid_until=None,
    related_instruments=(),
    # --- objections and corrections --------------------------------------------------------------------------
    objection_mark_days=Rule(
        1, art(53), "属于本单位处理范围的，自收到异议申请之日起一个工作日内作出异议标注。", WORKING_DAYS
    ),
    objection_decision_days=Rule(3, art(53), "三个工作日内作出是否更正的决定。", WORKING_DAYS),
    objection_decision_days_assisted=Rule(
        7, art(53), "需要其他单位协助核查的，应当在七个工作日内作出是否更正的决定。", WORKING_DAYS
    ),
    objection_extension_total_days=Rule(
        None, art(53), "未规定延长；检验、检测等所需时间不计入处理时间。", WORKING_DAYS
    ),
    objection_assist_reply_days=Rule(
        2, art(53), "协助单位自收到核查通知之日起两个工作日内反馈核查结果。", WORKING_DAYS
    ),
    objection_pause_not_counted=Rule(
        True, art(53), "检验、检测、检疫、鉴定和专家评审所需时间不计入异议处理时间。", FLAG
    ),
    objection_pause_activities=Rule(
        ("inspection", "testing", "quarantine", "appraisal", "expert_review"),
        art(53),
        "检验、检测、检疫、鉴定和专家评审。",
        CODES,
    ),
    objection_correction_days=Rule(
        None, art(53), "确有错误、遗漏的应当及时更正；不存在错误、遗漏的，应当取消异议标注。", WORKING_DAYS
    ),
    objection_refusal_reason_required=Rule(True, art(53), "将处理结果告知申请人；决定不予更正的，应当说明理由。", FLAG),
    complaint_reply_days=Rule(
        20,
        art(57),
        "对非公共信用信息采集单位的投诉，社会信用主管部门自受理之日起二十个工作日内书面答复投诉人。",
        WORKING_DAYS,
    ),
    push_deadline_days=Rule(
        5, art(22), "国家机关和公用企事业单位自信息产生或者获取之日起五个工作日内推送至信用平台。", WORKING_DAYS
    ),
    platform_forward_days=Rule(
        3, art(22), "设区的市级公共信用工作机构自信息归集之日起三个工作日内推送至省信用平台。", WORKING_DAYS
    ),
    correction_days=Rule(
        3, art(52), "发现公共信用信息错误、失效或者发生变更的，自发现之日起三个工作日内更正并推送。", WORKING_DAYS
    ),
    revocation_provider_days=Rule(
        2,
        art(52),
        "认定依据被撤销、确认违法、确认无效或者变更的，自依据被改变之日起两个工作日内向公共信用工作机构提出更新。",
        WORKING_DAYS,
    ),
    revocation_platform_days=Rule(1, art(52), "公共信用工作机构应当在一个工作日内撤销或者变更该信息。", WORKING_DAYS),
    # --- disclosure ---------------------------------------------------------------------------------------------
    severity_levels=Rule(
        ("general", "severe"), art(51), "失信信息与严重失信信息分别适用不同公示期限（轻微失信适用国家规定）。", CODES
    ),
    publicity_minor_months=national.PUBLICITY_MINOR_MONTHS,
    publicity_general_months=Rule((3, 12), art(51), "失信信息的公示期限为三个月至一年。", MONTH_RANGE),
    publicity_severe_months=Rule((6, 36), art(51), "严重失信信息的公示期限为六个月至三年。", MONTH_RANGE),
    publicity_defers_to_national=Rule(None, NONE, "本条例第五十一条自行规定公示期限。", FLAG),
    publicity_special_domain_min_months=Rule(None, NONE, "", MONTHS),
    special_domains=Rule((), NONE, "特定领域适用长期公示规定（见长期公示情形）。", CODES),
    long_term_publicity_cases=Rule(
        LongTermPublicity(
            cases=("criminal_liability", "licence_revoked", "lifetime_market_ban"),
            domains=("food", "drugs", "environment", "works_quality", "production_safety", "fire", "ccc", "finance"),
        ),
        art(51),
        "因食品药品、生态环境、工程质量、安全生产、消防安全、强制性产品认证、金融等领域违法行为被追究刑事责任或者被吊销许可证件、终身市场禁入的失信信息，应当长期公示。",
        CASE_DOMAINS,
    ),
    unpublished_penalty_types=Rule((), NONE, "", CODES),
    publicity_multiple_types_longest=Rule(None, NONE, "", FLAG),
    publicity_starts_from=Rule(
        "end_of_act_if_continuing",
        art(51),
        "公示期限自失信行为认定之日起计算；失信行为处于持续状态的，自失信行为终止之日起计算。",
        CODE,
    ),
    severe_list_publicity_stop_days=Rule(
        None, art(51), "公示期限届满或者完成信用修复的，应当停止公示（未规定具体时限）。", WORKING_DAYS
    ),
    severe_list_retention_years=Rule(None, art(51), "停止公示后转为档案保存（未规定保存年限）。", YEARS),
    severe_list_retention_restarts=Rule(None, NONE, "", FLAG),
    severe_list_archived_never_republished=Rule(
        True, art(51), "公示期限届满或者完成信用修复的，应当停止公示，转为档案保存，不得再行公示。", FLAG
    ),
    natural_person_dishonesty_public=Rule(
        False,
        art(24),
        "自然人的姓名、出生日期、身份证件号码、住址、电话号码等个人信息不得开放，法律、行政法规规定或者本人同意的除外，并应脱敏。",
        FLAG,
    ),
    age_of_majority=national.AGE_OF_MAJORITY,
    natural_person_retention_years=Rule(None, NONE, "", YEARS),
    masked_personal_fields=Rule(
        ("name", "birth_date", "id_number", "address", "phone"),
        art(24),
        "姓名、出生日期、身份证件号码、住址、电话号码等个人信息不得开放；依法开放的应当进行必要的脱敏处理。",
        CODES,
    ),
    trust_opt_out_days=Rule(
        0, art(51), "信用主体提出不公示自身守信信息的，不予公示（0 = 收到申请即停止公示）。", WORKING_DAYS
    ),
    authorisation_max_days=Rule(
        365,
        art(56),
        "禁止未经授权、强制授权和一次授权终身采集、使用自然人信用信息；条例未规定授权期限，平台将单次授权有效期设为最长一年。",
        DAYS,
        SOURCE_PLATFORM,
    ),
    query_purposes=Rule(
        (
            ("administration", "行政许可、行政处罚和证明事项等行政管理和公共服务"),
            ("public_resource_trading", "政府采购、政府投资项目招标投标和公共资源交易"),
            ("public_funds", "财政性资金分配和政府政策、项目支持"),
            ("awards", "评先评优和授予称号"),
            ("staff_recruitment", "公务员和事业单位工作人员的录用、聘用、调转、调任、任命和晋升"),
            (
                "qualification_review",
                "事业单位法定代表人、社会组织负责人及国有企业和金融机构董事、监事、高级管理人员任职资格审核",
            ),
            ("representative_eligibility", "党代表、人大代表、政协委员被选举资格审核"),
            ("other_legal", "法律、法规和国家规定的其他活动"),
        ),
        art(27),
        "国家机关在依法开展下列活动中，应当通过信用平台查询公共信用报告，应用公共信用信息。",
        CHOICES,
    ),
    free_reports_per_year=Rule(
        None,
        art(25),
        "信用主体有权不限次数免费查询自身公共信用信息（自然人每年两次免费向非公共信用信息采集单位查询，不适用于本平台）。",
        COUNT,
    ),
    # --- repair --------------------------------------------------------------------------------------------------
    repair_accept_days=national.REPAIR_ACCEPT_DAYS,
    repair_decision_days=national.REPAIR_DECISION_DAYS,
    repair_min_months=national.REPAIR_MIN_MONTHS,
    repair_special_domain_min_months=Rule(None, NONE, "", MONTHS),
    repair_conditions=national.REPAIR_CONDITIONS,
    non_repairable_cases=Rule(
        (), art(54), "除法律、法规和国家规定不可修复的外，依法纠正失信行为、消除不利影响的可以申请信用修复。", CODES
    ),
    repair_revocable_on_fraud=Rule(None, NONE, "", FLAG),
    repair_free_of_charge=Rule(None, NONE, "", FLAG),
    repair_notice_with_decision=national.REPAIR_NOTICE_WITH_DECISION,
    # --- ingestion ------------------------------------------------------------------------------------------------
    forbidden_content=Rule(
        ("religion", "blood_type", "disease", "medical_history", "fingerprints", "genes", "biometrics"),
        art(20),
        "禁止采集自然人的宗教信仰、血型信息，疾病、病史信息，指纹、基因等生物识别信息以及法律、行政法规禁止采集的其他信息。",
        CODES,
    ),
    restricted_content_requires_consent=Rule(
        ("income", "deposits", "securities", "commercial_insurance", "real_estate", "tax_amount"),
        art(20),
        "不得采集自然人的收入、存款、有价证券、商业保险、不动产和纳税数额信息；明确告知不利后果、取得本人书面同意并约定用途的除外。",
        CODES,
    ),
    excluded_procedures=Rule(
        ("simplified_procedure", "minor_and_mitigated", "first_offence_minor_mitigated"),
        art(19),
        "适用简易程序作出的行政处罚，违法行为轻微且主动消除或者减轻危害后果、初次违法且危害后果轻微并主动消除或者减轻危害后果的行政处罚，不纳入补充目录。",
        CODES,
    ),
    # --- sanctions --------------------------------------------------------------------------------------------------
    commitment_check_months=Rule(
        2, art(30), "适用信用承诺制的行政许可决定作出后两个月内核查承诺的真实性和履行情况。", MONTHS
    ),
    commitment_barred_until_repaired=Rule(
        True, art(28), "严重失信主体和作出过虚假承诺、未履行承诺的信用主体，在信用修复完成前不得适用信用承诺制。", FLAG
    ),
    false_commitment_revokes_decision=Rule(
        True,
        art(30),
        "未履行承诺或者虚假承诺的，责令限期整改；仍不履行、逾期未整改或者整改后仍不符合条件的，依法撤销行政许可决定或者予以行政处罚。",
        FLAG,
    ),
    defence_period_days=Rule(
        None,
        art(55),
        "被列入严重失信主体名单的信用主体享有陈述权和申辩权，认定单位应当复核（未规定期限）。",
        WORKING_DAYS,
    ),
    severe_list_prior_notice=national.SEVERE_LIST_PRIOR_NOTICE,
    severe_list_linked_persons=Rule(
        ("legal_representative", "principal", "actual_controller", "direct_responsible"),
        art(45),
        "市场主体被列入严重失信主体名单的，对其法定代表人或者主要负责人、实际控制人、影响债务履行的直接责任人实施惩戒，并记入其信用信息。",
        CODES,
    ),
    linked_persons_recorded=Rule(
        True,
        art(45),
        "市场主体被列入严重失信主体名单的，将相应失信行为记入其法定代表人或者主要负责人、实际控制人、直接责任人的自然人公共信用信息；移出名单时一并撤回。",
        FLAG,
    ),
    red_list_requires_no_dishonesty=Rule(
        None, art(36), "守信激励对象名单认定标准由行业主管部门会同有关部门编制并公布。", FLAG
    ),
    red_list_clean_record_years=Rule(None, NONE, "", YEARS),
    unpublished_measures_forbidden=Rule(True, art(39), "禁止实施未向社会公布的失信约束措施和失信惩戒措施。", FLAG),
    catalog_review_months=Rule(None, art(18), "补充目录由省社会信用主管部门编制、更新（未规定调整周期）。", MONTHS),
    measure_list_review_months=Rule(None, art(39), "措施清单编制、更新后向社会公布（未规定调整周期）。", MONTHS),
    public_body_listing_notice=Rule(
        True,
        art(44),
        "国家机关和国有企事业单位被列入严重失信主体名单的，认定单位通报其上一级人民政府或者主管部门以及审计机关；"
        "其工作人员被列入的，通报其所在单位和相关监察机关、组织（人事）部门。",
        FLAG,
    ),
    trust_opt_out_notify_providers=Rule(None, NONE, "", FLAG),
    joint_sanction_report_public=Rule(None, NONE, "", FLAG),
)
