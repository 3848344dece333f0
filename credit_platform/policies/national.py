"""National rules that sit above the local texts (DESIGN.md "National rules").

Every profile carries these explicitly (``source="national"``) wherever its own text is silent, so a
reader of a profile sees the number *and* the national instrument it comes from. Where an instrument's
article number is not certain the citation names the instrument without an article rather than guess.
"""

from __future__ import annotations

from credit_platform.policies.base import (
    CODE,
    CODES,
    FLAG,
    MONTH_RANGE,
    SEVERITY_MONTHS,
    SOURCE_NATIONAL,
    WORKING_DAYS,
    YEARS,
    Rule,
    cite,
)

ORDER_36 = "《信用修复管理办法》（国家发展改革委令2025年第36号，2026年4月1日起施行）"
ORDER_36_ART2 = "《信用修复管理办法》（国家发展改革委令2025年第36号）第二条"
GUOBAN_2025_22 = "《国务院办公厅印发〈关于进一步完善信用修复制度的实施方案〉的通知》（国办发〔2025〕22号）"
GUOBAN_2020_49 = "《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）"
PIPL = "中华人民共和国个人信息保护法"
CREDIT_REPORTING_REG = "征信业管理条例"
CIVIL_CODE = "中华人民共和国民法典"


def _n(value, article: str, summary: str, unit: str) -> Rule:
    return Rule(value, article, summary, unit, SOURCE_NATIONAL)


# --- tiers and publicity (Order 36) -------------------------------------------------------------------------
SEVERITY_LEVELS = _n(
    ("minor", "general", "severe"),
    ORDER_36,
    "失信信息按严重程度分为轻微、一般、严重三类，分别设置公示期限。",
    CODES,
)
PUBLICITY_MINOR_MONTHS = _n(
    (0, 3),
    ORDER_36,
    "轻微失信信息原则上不予公示；行业主管部门认为确有必要公示的，公示期最长不超过3个月。",
    MONTH_RANGE,
)
PUBLICITY_GENERAL_MONTHS = _n(
    (3, 12),
    ORDER_36,
    "一般失信信息最短公示期3个月，最长1年；最长公示期届满后自动停止公示。",
    MONTH_RANGE,
)
PUBLICITY_SEVERE_MONTHS = _n(
    (12, 36),
    ORDER_36,
    "严重失信信息最短公示期1年，最长3年；最长公示期届满后自动停止公示。",
    MONTH_RANGE,
)
PUBLICITY_STARTS_FROM = _n(
    "decision",
    ORDER_36,
    "公示期限自司法、行政公务文书认定之日起计算。",
    CODE,
)

# --- repair (Order 36, 国办发〔2025〕22号) -----------------------------------------------------------------
REPAIR_ACCEPT_DAYS = _n(
    3,
    f"{ORDER_36}；{GUOBAN_2025_22}",
    "认定部门收到信用修复申请后3个工作日内决定是否受理。",
    WORKING_DAYS,
)
REPAIR_DECISION_DAYS = _n(
    10,
    f"{ORDER_36}；{GUOBAN_2025_22}",
    "10个工作日内办结并告知结果；情况复杂或需核查的可以延长。",
    WORKING_DAYS,
)
REPAIR_MIN_MONTHS = _n(
    (("minor", 0), ("general", 3), ("severe", 12)),
    ORDER_36,
    "轻微失信信息法定责任履行完毕即可申请修复；一般、严重失信信息最短公示期（3个月、1年）届满后方可申请。",
    SEVERITY_MONTHS,
)
REPAIR_CONDITIONS = _n(
    ("min_period_elapsed", "obligations_fulfilled", "credit_commitment"),
    ORDER_36,
    "最短公示期届满，已纠正失信行为、履行相关义务，并作出公开信用承诺。",
    CODES,
)
NON_REPAIRABLE_CASES = _n(
    (),
    ORDER_36_ART2,
    "除法律、法规或党中央、国务院政策文件明确规定不可修复的情形外，满足条件的信用主体均可申请修复。",
    CODES,
)
REPAIR_NOTICE_WITH_DECISION = _n(
    True,
    GUOBAN_2025_22,
    "送达行政处罚决定书或列入严重失信主体名单决定书时，同步送达信用修复告知书（两书同达）。",
    FLAG,
)

# --- severe lists (国办发〔2020〕49号) ------------------------------------------------------------------------
SEVERE_LIST_PRIOR_NOTICE = _n(
    True,
    GUOBAN_2020_49,
    "认定严重失信主体名单前告知事由、依据和依法享有的权利；决定文书载明移出条件、程序和救济措施。",
    FLAG,
)

# --- personal information ----------------------------------------------------------------------------------
NATURAL_PERSON_DISHONESTY_PUBLIC = _n(
    False,
    cite(PIPL, 25),
    "个人信息处理者不得公开其处理的个人信息，取得个人单独同意的除外；自然人失信信息不对外公示。",
    FLAG,
)
MASKED_PERSONAL_FIELDS = _n(
    ("name", "birth_date", "id_number", "address", "phone", "bank_account"),
    cite(PIPL, 25),
    "依法须公开的，个人信息作脱敏处理后展示。",
    CODES,
)
FORBIDDEN_CONTENT = _n(
    ("religion", "genes", "fingerprints", "blood_type", "disease", "medical_history"),
    cite(CREDIT_REPORTING_REG, 14),
    "禁止采集个人的宗教信仰、基因、指纹、血型、疾病和病史信息以及法律、行政法规规定禁止采集的其他个人信息。",
    CODES,
)
RESTRICTED_CONTENT = _n(
    ("income", "deposits", "securities", "commercial_insurance", "real_estate", "tax_amount"),
    cite(CREDIT_REPORTING_REG, 14),
    "不得采集个人的收入、存款、有价证券、商业保险、不动产和纳税数额信息；明确告知不利后果并取得书面同意的除外。",
    CODES,
)

# --- persons (Civil Code) -------------------------------------------------------------------------------------------
AGE_OF_MAJORITY = _n(
    18,
    cite(CIVIL_CODE, 17),
    "十八周岁以上的自然人为成年人；不满十八周岁的自然人为未成年人。",
    YEARS,
)

# Period arithmetic (not a profile parameter: it is how every period is counted). 民法典第二百零二条: 按照年、月计算期间的，
# 到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日.
CORRESPONDING_DAY_ARTICLE = cite(CIVIL_CODE, 202)
