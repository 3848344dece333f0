"""《曲阜市社会信用管理办法（试行）》 — municipal measures (曲政发〔2023〕8号), valid 2023-07-01 to 2025-06-30.

Above it sits 《山东省社会信用条例》; art. 86 says the superior rules prevail where they differ.
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
    STATUS_MEASURES,
    WORKING_DAYS,
    YEARS,
    PolicyProfile,
    Rule,
    cite,
    silent,
)

TITLE = "曲阜市社会信用管理办法（试行）"


def art(n: int, item: int | None = None) -> str:
    return cite(TITLE, n, item)


NONE = silent(TITLE)

SPECIAL_DOMAINS = ("food", "drugs", "special_equipment", "production_safety", "fire")

QUFU = PolicyProfile(
    code="qufu",
    name=TITLE,
    short_name="曲阜",
    status=STATUS_MEASURES,
    issuer="曲阜市人民政府",
    document_number="曲政发〔2023〕8号",
    valid_from=date(2023, 7, 1),
    valid_until=date(2025, 6, 30),
    related_instruments=("《山东省社会信用条例》",),
    # --- objections and corrections --------------------------------------------------------------------------
    objection_mark_days=Rule(None, art(59), "未规定异议标注时限。", WORKING_DAYS),
    objection_decision_days=Rule(
        3, art(59), "属于本单位处理范围的，自收到异议申请之日起3个工作日内审核处理并通知申请人。", WORKING_DAYS
    ),
    objection_decision_days_assisted=Rule(
        7, art(59), "需要其他单位协助核查的，自收到异议申请之日起7个工作日内核查处理并通知申请人。", WORKING_DAYS
    ),
    objection_extension_total_days=Rule(None, art(59), "未规定延长。", WORKING_DAYS),
    objection_assist_reply_days=Rule(None, art(59), "未单独规定协助单位反馈时限。", WORKING_DAYS),
    objection_pause_not_counted=Rule(None, NONE, "", FLAG),
    objection_pause_activities=Rule((), NONE, "", CODES),
    objection_correction_days=Rule(2, art(59), "核查确实有误的，应当在2个工作日内予以更正或者删除。", WORKING_DAYS),
    objection_refusal_reason_required=Rule(None, NONE, "", FLAG),
    complaint_reply_days=Rule(None, NONE, "", WORKING_DAYS),
    push_deadline_days=Rule(
        None,
        art(23),
        "公共信用信息提供单位应当及时准确、完整地向市公共信用信息平台提供（未规定具体时限）。",
        WORKING_DAYS,
    ),
    platform_forward_days=Rule(None, NONE, "", WORKING_DAYS),
    correction_days=Rule(
        3, art(57), "发现提供的信息存在错误、遗漏的，应当及时更正，并在3个工作日内报送市社会信用中心。", WORKING_DAYS
    ),
    revocation_provider_days=Rule(
        3, art(58), "认定失信的法律文书被撤销或者变更的，自撤销或者变更之日起3个工作日内向平台报送。", WORKING_DAYS
    ),
    revocation_platform_days=Rule(None, art(58), "平台及时撤销或者变更该信息（未规定具体时限）。", WORKING_DAYS),
    # --- disclosure ---------------------------------------------------------------------------------------------
    severity_levels=Rule(
        ("general", "severe", "specific_severe"),
        art(14),
        "法人和非法人组织行政处罚信息分为一般、严重、特定严重失信行为信息，由作出处罚的行政机关认定。",
        CODES,
    ),
    publicity_minor_months=national.PUBLICITY_MINOR_MONTHS,
    publicity_general_months=Rule(
        (3, 36),
        art(34),
        "以普通程序作出的法人和非法人组织行政处罚信息最短公示期三个月，最长三年；最长期满自动停止公示（第八十六条：与上级规定不一致的按上级规定执行，一般失信信息最长1年）。",
        MONTH_RANGE,
    ),
    publicity_severe_months=Rule(
        (None, 36),
        art(34),
        "法人行政处罚信息最长公示期三年；严重失信信息最短公示期本办法未单列，适用国家规定（第八十六条：与上级规定不一致的按上级规定执行）。",
        MONTH_RANGE,
    ),
    publicity_defers_to_national=Rule(
        True,
        art(86),
        "本办法与上级规定不一致的，按上级规定执行：公示期限适用《信用修复管理办法》（一般失信信息3个月至1年，严重失信信息1年至3年），最短、最长期限均适用国家规定；第三十四条特定领域最短一年的规定仍然适用。",
        FLAG,
    ),
    publicity_special_domain_min_months=Rule(
        12, art(34), "涉及食品、药品、特种设备、安全生产、消防领域的行政处罚信息最短公示期一年。", MONTHS
    ),
    special_domains=Rule(SPECIAL_DOMAINS, art(34), "食品、药品、特种设备、安全生产、消防领域。", CODES),
    long_term_publicity_cases=Rule(None, NONE, "", CASE_DOMAINS),
    unpublished_penalty_types=Rule(
        ("warning", "criticism"), art(34), "被处以警告、通报批评的行政处罚信息，不予公示。", CODES
    ),
    publicity_multiple_types_longest=Rule(
        True, art(34), "同一行政处罚决定涉及多种处罚类型的，公示期限以期限最长的类型为准。", FLAG
    ),
    publicity_starts_from=Rule("decision", art(34), "行政处罚信息的公示期限起点以行政处罚作出时间为准。", CODE),
    severe_list_publicity_stop_days=Rule(
        3, art(35), "严重失信行为信息自移出严重失信主体名单后3个工作日内终止公示。", WORKING_DAYS
    ),
    severe_list_retention_years=Rule(
        10, art(35), "自移出名单之日起保存10年，10年内未发生失信行为的应当予以屏蔽或删除。", YEARS
    ),
    severe_list_retention_restarts=Rule(True, art(35), "10年内再次发生失信行为的，该条信息的保存期限重新计算。", FLAG),
    severe_list_archived_never_republished=Rule(
        None, art(35), "终止公示后保存、期满屏蔽或删除（未规定不得再行公示）。", FLAG
    ),
    natural_person_dishonesty_public=Rule(False, art(36), "除法律、法规明确规定外，自然人的失信信息不对外公示。", FLAG),
    age_of_majority=national.AGE_OF_MAJORITY,
    natural_person_retention_years=Rule(
        5, art(36), "自然人失信信息自失信行为终止之日起保存5年；超过5年的，应当予以屏蔽或删除。", YEARS
    ),
    masked_personal_fields=Rule(
        ("name", "birth_date", "id_number", "address", "phone", "bank_account"),
        art(64),
        "公开个人相关信息须有法律、法规或国务院决定、命令依据或经本人同意，并进行必要脱敏处理。",
        CODES,
    ),
    trust_opt_out_days=Rule(
        2,
        art(61),
        "申请对表彰奖励、志愿服务、慈善捐赠等守信信息不作公开公示的，自收到申请之日起2个工作日内停止对外查询服务，并告知提供单位。",
        WORKING_DAYS,
    ),
    authorisation_max_days=Rule(
        365,
        art(62),
        "禁止未经授权、强制授权或一次授权终身收集使用个人信用信息；办法未规定授权期限，平台将单次授权有效期设为最长一年。",
        DAYS,
        SOURCE_PLATFORM,
    ),
    query_purposes=Rule(
        (
            ("administration", "实施行政许可、行政处罚、行政强制、行政给付等"),
            ("inspection", "行政检查、监督抽验、年检年审和重大行政处罚裁量等"),
            ("public_resource_trading", "政府采购、招标投标、国有土地使用权出让等公共资源交易活动"),
            ("public_funds", "资金和项目支持、资质认证、科研管理等"),
            ("staff_recruitment", "国家工作人员招录、岗位聘用、职务职级任命和晋升"),
            ("awards", "表彰奖励、通报表扬和评先评优"),
            ("representative_eligibility", "发展党员和“两代表一委员”资格审核"),
            ("public_safety", "涉及公共安全，需要开展综合风险评估"),
            ("public_interest", "其他涉及公共利益且有必要查询信用信息的管理工作"),
        ),
        art(37),
        "有关部门可以根据履行职责的需要，在下列工作中查询、使用与其管理服务事项相关的社会信用信息。",
        CHOICES,
    ),
    free_reports_per_year=Rule(
        None, art(32), "提供便捷的免费查询服务以及信用信息记录、公共信用信息报告（未规定次数）。", COUNT
    ),
    # --- repair --------------------------------------------------------------------------------------------------
    repair_accept_days=national.REPAIR_ACCEPT_DAYS,
    repair_decision_days=national.REPAIR_DECISION_DAYS,
    repair_min_months=national.REPAIR_MIN_MONTHS,
    repair_special_domain_min_months=Rule(
        12,
        art(34),
        "食品、药品、特种设备、安全生产、消防领域行政处罚信息最短公示期一年；最短公示期届满后，方可申请提前终止公示。",
        MONTHS,
    ),
    repair_conditions=national.REPAIR_CONDITIONS,
    non_repairable_cases=Rule(
        (),
        art(60),
        "除法律、法规和党中央、国务院政策文件明确规定不可修复的失信信息外，纠正失信行为、消除不良影响的可以申请修复。",
        CODES,
    ),
    repair_revocable_on_fraud=Rule(None, NONE, "", FLAG),
    repair_free_of_charge=Rule(True, art(60), "不得以任何形式向申请信用修复的主体收取费用。", FLAG),
    repair_notice_with_decision=national.REPAIR_NOTICE_WITH_DECISION,
    # --- ingestion ------------------------------------------------------------------------------------------------
    forbidden_content=Rule(
        ("religion", "genes", "fingerprints", "blood_type", "disease", "medical_history"),
        art(63),
        "禁止非法采集个人的宗教信仰、基因、指纹、血型、疾病和病史信息等作为社会信用信息。",
        CODES,
    ),
    restricted_content_requires_consent=Rule(
        ("income", "deposits", "securities", "commercial_insurance"),
        art(63),
        "不得非法采集个人的收入、存款、有价证券、商业保险等信息；明确告知不利后果并就用途、期限达成书面协议的除外。",
        CODES,
    ),
    excluded_procedures=Rule(
        ("simplified_procedure", "minor_and_mitigated"),
        art(15),
        "适用简易程序作出的行政处罚信息，或者违法行为轻微且主动消除、减轻危害后果的行政处罚信息，不纳入数据清单。",
        CODES,
    ),
    # --- sanctions --------------------------------------------------------------------------------------------------
    commitment_check_months=Rule(None, art(47), "实施告知承诺的部门应当建立核查监管机制（未规定核查时限）。", MONTHS),
    commitment_barred_until_repaired=Rule(None, NONE, "", FLAG),
    false_commitment_revokes_decision=Rule(
        True, art(47), "虚假承诺、虚假申报或不履行承诺义务的，撤销原行政决定，将失信记录记入申请人名下。", FLAG
    ),
    defence_period_days=Rule(
        None,
        art(56),
        "作出认定前告知事由、依据和权利；当事人提出异议的，应当核实并在规定时限内反馈（未规定具体天数）。",
        WORKING_DAYS,
    ),
    severe_list_prior_notice=Rule(
        True,
        art(56),
        "作出认定严重失信主体名单决定前，应当告知当事人事由、依据和依法享有的权利；决定文书载明移出条件和程序以及救济措施。",
        FLAG,
    ),
    severe_list_linked_persons=Rule(
        ("legal_representative", "principal", "actual_controller"),
        art(46),
        "严重失信主体是法人或者非法人组织的，标明其法定代表人或者主要负责人、实际控制人的信息，记入其信用档案。",
        CODES,
    ),
    linked_persons_recorded=Rule(
        True,
        art(46),
        "严重失信主体是法人或者非法人组织的，标明其法定代表人或者主要负责人、实际控制人的信息，并对其进行失信惩戒：单位列入名单时记入上述人员的信用记录，移出名单时一并撤回。",
        FLAG,
    ),
    red_list_requires_no_dishonesty=Rule(None, NONE, "", FLAG),
    red_list_clean_record_years=Rule(None, NONE, "", YEARS),
    unpublished_measures_forbidden=Rule(
        True,
        art(45),
        "减损权益或增加义务的惩戒措施须直接援引法律、法规或党中央、国务院政策文件并实行清单制管理，不得增设或加重。",
        FLAG,
    ),
    catalog_review_months=Rule(
        None, art(22), "数据清单经市人民政府批准后公布，实行动态管理（未规定调整周期）。", MONTHS
    ),
    measure_list_review_months=Rule(
        None, art(40), "奖惩措施清单实行动态管理，并向社会公布（未规定调整周期）。", MONTHS
    ),
    public_body_listing_notice=Rule(None, NONE, "", FLAG),
    trust_opt_out_notify_providers=Rule(
        True, art(61), "收到守信信息不作公开公示申请后停止提供对外查询服务，并告知公共信用信息提供单位。", FLAG
    ),
    joint_sanction_report_public=Rule(
        True, art(41), "不实施联合奖惩的应当书面说明理由；市社会信用中心定期通报联合奖惩实施情况，并向社会公开。", FLAG
    ),
)
