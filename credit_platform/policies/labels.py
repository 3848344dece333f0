"""Chinese labels for policy profile fields, codes, units and sources (one mapping, used by every display)."""

from __future__ import annotations

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
    SEVERITY_MONTHS,
    WORKING_DAYS,
    YEARS,
)

SECTIONS: dict[str, str] = {
    "objections": "异议与更正",
    "disclosure": "公示与查询",
    "repair": "信用修复",
    "ingestion": "归集与采集",
    "sanctions": "奖惩、名单与承诺",
}

# field name → (section, Chinese label, unit)
FIELD_LABELS: dict[str, tuple[str, str, str]] = {
    # objections and corrections
    "objection_mark_days": ("objections", "异议标注时限", WORKING_DAYS),
    "objection_decision_days": ("objections", "异议核查处理并答复时限", WORKING_DAYS),
    "objection_decision_days_assisted": ("objections", "需其他单位协助核查时的异议处理时限", WORKING_DAYS),
    "objection_extension_total_days": ("objections", "情况复杂延长后异议处理累计时限", WORKING_DAYS),
    "objection_assist_reply_days": ("objections", "协助单位反馈核查结果时限", WORKING_DAYS),
    "objection_pause_not_counted": ("objections", "检验检测鉴定等时间不计入异议处理期限", FLAG),
    "objection_pause_activities": ("objections", "不计入异议处理期限的事项", CODES),
    "objection_correction_days": ("objections", "异议核查确有错误后的更正时限", WORKING_DAYS),
    "objection_refusal_reason_required": ("objections", "不予更正须说明理由", FLAG),
    "complaint_reply_days": ("objections", "对市场信用信息采集单位投诉的书面答复时限", WORKING_DAYS),
    "push_deadline_days": ("objections", "提供单位推送公共信用信息时限", WORKING_DAYS),
    "platform_forward_days": ("objections", "市级平台向省级平台推送时限", WORKING_DAYS),
    "correction_days": ("objections", "提供单位发现错误后的更正时限", WORKING_DAYS),
    "revocation_provider_days": ("objections", "认定依据被撤销或变更后提供单位报送时限", WORKING_DAYS),
    "revocation_platform_days": ("objections", "认定依据被撤销或变更后平台撤销或变更时限", WORKING_DAYS),
    # disclosure
    "severity_levels": ("disclosure", "失信信息严重程度分级", CODES),
    "publicity_minor_months": ("disclosure", "轻微失信信息公示期限", MONTH_RANGE),
    "publicity_general_months": ("disclosure", "一般失信信息公示期限", MONTH_RANGE),
    "publicity_severe_months": ("disclosure", "严重失信信息公示期限", MONTH_RANGE),
    "publicity_defers_to_national": ("disclosure", "公示期限国家另有规定的从其规定（最短、最长期限均适用国家规定）", FLAG),
    "publicity_special_domain_min_months": ("disclosure", "特定领域行政处罚最短公示期", MONTHS),
    "special_domains": ("disclosure", "适用特定领域最短公示期的领域", CODES),
    "long_term_publicity_cases": ("disclosure", "应当长期公示的失信信息", CASE_DOMAINS),
    "unpublished_penalty_types": ("disclosure", "不予公示的行政处罚类型", CODES),
    "publicity_multiple_types_longest": ("disclosure", "多种处罚类型按最长公示期", FLAG),
    "publicity_starts_from": ("disclosure", "公示期限起算点", CODE),
    "severe_list_publicity_stop_days": ("disclosure", "移出严重失信主体名单后终止公示时限", WORKING_DAYS),
    "severe_list_retention_years": ("disclosure", "严重失信信息移出名单后保存期限", YEARS),
    "severe_list_retention_restarts": ("disclosure", "保存期内再次失信重新计算保存期限", FLAG),
    "severe_list_archived_never_republished": ("disclosure", "期满或修复后转档案保存、不得再行公示", FLAG),
    "natural_person_dishonesty_public": ("disclosure", "自然人失信信息对外公示", FLAG),
    "age_of_majority": ("disclosure", "成年年龄（行为时未满即为未成年人）", YEARS),
    "natural_person_retention_years": ("disclosure", "自然人失信信息保存期限（自行为终止之日起）", YEARS),
    "masked_personal_fields": ("disclosure", "公开时须脱敏的个人信息", CODES),
    "trust_opt_out_days": ("disclosure", "守信信息申请不公开后停止公开时限", WORKING_DAYS),
    "authorisation_max_days": ("disclosure", "单次查询授权最长有效期", DAYS),
    "query_purposes": ("disclosure", "国家机关查询使用信用信息的法定情形", CHOICES),
    "free_reports_per_year": ("disclosure", "法定每年免费获取本人信用报告次数（下限）", COUNT),
    # repair
    "repair_accept_days": ("repair", "信用修复申请受理时限", WORKING_DAYS),
    "repair_decision_days": ("repair", "信用修复办理结果时限", WORKING_DAYS),
    "repair_min_months": ("repair", "申请信用修复前的最短公示期", SEVERITY_MONTHS),
    "repair_special_domain_min_months": ("repair", "特定领域申请提前终止公示前的最短公示期", MONTHS),
    "repair_conditions": ("repair", "信用修复条件", CODES),
    "non_repairable_cases": ("repair", "不予信用修复的情形", CODES),
    "repair_revocable_on_fraud": ("repair", "弄虚作假等情形终止修复或撤销修复结果", FLAG),
    "repair_free_of_charge": ("repair", "信用修复不得收费", FLAG),
    "repair_notice_with_decision": ("repair", "信用修复告知书与处罚或列入决定书同时送达", FLAG),
    # ingestion
    "forbidden_content": ("ingestion", "禁止采集的个人信息", CODES),
    "restricted_content_requires_consent": ("ingestion", "须告知不利后果并取得书面同意方可采集的信息", CODES),
    "excluded_procedures": ("ingestion", "不纳入失信信息的行政处罚", CODES),
    # sanctions
    "commitment_check_months": ("sanctions", "告知承诺审批后的核查时限", MONTHS),
    "commitment_barred_until_repaired": ("sanctions", "严重失信或虚假承诺者修复前不得适用承诺制", FLAG),
    "false_commitment_revokes_decision": ("sanctions", "虚假承诺或不履行承诺撤销原决定", FLAG),
    "defence_period_days": ("sanctions", "列入严重失信主体名单的陈述申辩期限", WORKING_DAYS),
    "severe_list_prior_notice": ("sanctions", "列入严重失信主体名单前告知事由、依据和权利", FLAG),
    "severe_list_linked_persons": ("sanctions", "单位列入严重失信名单时一并记录的责任人", CODES),
    "linked_persons_recorded": ("sanctions", "单位列入严重失信名单时同步记入责任人的信用记录（否则仅标明）", FLAG),
    "red_list_requires_no_dishonesty": ("sanctions", "守信激励须无失信信息记录", FLAG),
    "red_list_clean_record_years": ("sanctions", "绿色通道所需连续无不良信用记录年限", YEARS),
    "unpublished_measures_forbidden": ("sanctions", "未向社会公布的奖惩措施不得实施", FLAG),
    "catalog_review_months": ("sanctions", "公共信用信息补充目录调整周期", MONTHS),
    "measure_list_review_months": ("sanctions", "失信惩戒措施补充清单调整周期", MONTHS),
    "public_body_listing_notice": ("sanctions", "国家机关、国有企事业单位及其工作人员列入严重失信名单时的通报", FLAG),
    "trust_opt_out_notify_providers": ("disclosure", "守信信息不公开申请告知信息提供单位", FLAG),
    "joint_sanction_report_public": ("sanctions", "定期通报联合奖惩实施情况并向社会公开", FLAG),
}

UNIT_LABELS: dict[str, str] = {
    "working_days": "个工作日",
    "days": "日",
    "months": "个月",
    "years": "年",
    "count": "次",
    "": "",
}

SOURCE_LABELS: dict[str, str] = {
    "statute": "本地规定",
    "national": "国家或上位规定",
    "platform": "平台设定",
}

STATUS_LABELS: dict[str, str] = {
    "enacted": "已施行的地方性法规",
    "draft": "草案（未生效）",
    "measures": "管理办法",
}

CODE_LABELS: dict[str, str] = {
    # severities
    "minor": "轻微",
    "general": "一般",
    "severe": "严重",
    "specific_severe": "特定严重",
    # domains
    "food": "食品",
    "drugs": "药品",
    "special_equipment": "特种设备",
    "production_safety": "安全生产",
    "fire": "消防安全",
    "environment": "生态环境",
    "works_quality": "工程质量",
    "ccc": "强制性产品认证",
    "finance": "金融",
    # long-term publicity cases
    "criminal_liability": "被依法追究刑事责任",
    "licence_revoked": "被吊销行政许可证件",
    "lifetime_market_ban": "被处以终身市场禁入",
    # penalty types
    "warning": "警告",
    "criticism": "通报批评",
    # publicity start
    "decision": "自认定（处罚决定）之日起",
    "end_of_act_if_continuing": "自认定之日起；失信行为持续的，自行为终止之日起",
    # personal fields
    "name": "姓名",
    "birth_date": "出生日期",
    "id_number": "身份证件号码",
    "address": "住址",
    "phone": "电话号码",
    "bank_account": "银行账号",
    # forbidden / restricted content
    "religion": "宗教信仰",
    "blood_type": "血型",
    "disease": "疾病",
    "medical_history": "病史",
    "genes": "基因",
    "fingerprints": "指纹",
    "biometrics": "其他生物识别信息",
    "income": "收入",
    "deposits": "存款",
    "securities": "有价证券",
    "commercial_insurance": "商业保险",
    "real_estate": "不动产",
    "tax_amount": "纳税数额",
    # excluded procedures
    "simplified_procedure": "适用简易程序作出的行政处罚",
    "minor_violation": "违法行为轻微的行政处罚",
    "harm_mitigated": "主动消除、减轻违法行为危害后果的行政处罚",
    "minor_and_mitigated": "违法行为轻微且主动消除或者减轻危害后果的行政处罚",
    "first_offence_minor_mitigated": "初次违法且危害后果轻微并主动消除或者减轻危害后果的行政处罚",
    # objection pause
    "inspection": "检验",
    "testing": "检测",
    "quarantine": "检疫",
    "appraisal": "鉴定",
    "expert_review": "专家评审",
    # repair
    "min_period_elapsed": "最短公示期已届满",
    "obligations_fulfilled": "已纠正失信行为、履行法定义务",
    "credit_commitment": "作出信用承诺",
    "act_corrected": "主动纠正失信行为且不良影响基本消除",
    "no_repeat_commitment": "作出不再发生类似失信行为的信用承诺并获认可",
    "accept_supervision": "自觉接受监督检查及诚信约谈",
    "penalty_performed": "已主动履行行政处罚决定",
    "health_or_life": "严重危害人民群众身体健康和生命安全",
    "market_order": "严重破坏市场公平竞争秩序和社会正常秩序",
    "refused_obligation": "拒不履行法定义务，严重影响司法机关、行政机关公信力",
    "national_defence": "拒不履行国防义务，危害国防利益、破坏国防设施",
    # linked persons
    "legal_representative": "法定代表人",
    "principal": "主要负责人",
    "actual_controller": "实际控制人",
    "direct_responsible": "其他直接责任人",
}


def code_label(code: str) -> str:
    return CODE_LABELS.get(code, code)
