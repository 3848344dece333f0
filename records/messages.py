"""Rejection codes with bilingual messages, and the profile rule each one cites.

Codes are stable snake_case: department systems branch on them. A message names the article from the active
policy profile when the rule has one there (DESIGN.md principle 1).
"""

from __future__ import annotations

import contextlib

from credit_platform.policies import active_policy
from credit_platform.policies.labels import code_label

# code → (Chinese, English, profile field whose article is cited or None)
MESSAGES: dict[str, tuple[str, str, str | None]] = {
    # batch level
    "malformed_json": ("请求体不是合法的 JSON", "the request body is not valid JSON", None),
    "invalid_batch": ("请求体须为 {\"records\": [...]}", "the body must be {\"records\": [...]}", None),
    "batch_too_large": ("单批最多 {limit} 条，本批 {count} 条", "at most {limit} records per batch, got {count}", None),
    "payload_too_large": ("请求体过大", "the request body is too large", None),
    "unsupported_media_type": ("请求体须为 JSON（Content-Type: application/json）",
                               "the body must be JSON (Content-Type: application/json)", None),
    # structure
    "invalid_row": ("记录须为 JSON 对象", "each record must be a JSON object", None),
    "required": ("缺少必填字段 {field}", "{field} is required", None),
    "invalid_type": ("字段 {field} 类型错误，应为{expected_zh}", "{field} must be {expected}", None),
    "invalid_choice": ("字段 {field} 的取值“{value}”无效，可选：{choices}", "{field}: '{value}' is not one of {choices}", None),
    "invalid_date": ("字段 {field} 不是有效日期（YYYY-MM-DD）", "{field} is not a valid date (YYYY-MM-DD)", None),
    "too_long": ("字段 {field} 超过 {limit} 个字符", "{field} is longer than {limit} characters", None),
    "nul_character": ("字段 {field} 含有 NUL 字符", "{field} contains a NUL character", None),
    "content_too_deep": ("字段 {field} 嵌套超过 {limit} 层", "{field} is nested more than {limit} levels deep", None),
    "invalid_source_ref": ("部门记录编号不得含“#”（保留给责任人派生记录）", "source_ref may not contain '#' (reserved)", None),
    "duplicate_in_batch": ("同一批次中部门记录编号重复（第 {first} 条已使用）", "source_ref repeated in this batch (row {first})", None),
    # identifiers
    "invalid_id_number": ("公民身份号码格式错误（应为 18 位）", "the resident ID number is malformed (18 characters)", None),
    "invalid_id_checksum": ("公民身份号码校验码错误", "the resident ID number's check digit is wrong", None),
    "invalid_id_birth_date": ("公民身份号码中的出生日期无效或晚于今天", "the birth date in the resident ID number is invalid or in the future", None),
    "invalid_id_region": ("公民身份号码中的行政区划代码无效", "the region code in the resident ID number is unknown", None),
    "invalid_uscc": ("统一社会信用代码格式或校验码错误", "the unified social credit code is malformed or its check character is wrong", None),
    "invalid_uscc_org_code": ("统一社会信用代码中的组织机构代码校验码错误（GB 11714）", "the organisation code inside the USCC fails its GB 11714 check digit", None),
    "invalid_document_number": ("证件号码格式错误", "the document number is malformed", None),
    "invalid_code_type": ("该类主体不能使用此证件类型", "this kind of subject cannot be identified by that document type", None),
    "subject_type_conflict": ("该证件号码已登记为其他类型的主体", "this identifier is on file as another type of subject", None),
    # catalog
    "unknown_item": ("目录中没有编码为“{value}”的现行信息事项", "no catalog item in force has the code '{value}'", None),
    "item_not_provided": ("本部门不是该目录条目的提供单位", "this department is not a provider of that catalog item", None),
    # statutory
    "severity_required": ("失信信息须注明严重程度", "dishonesty information needs a severity", "severity_levels"),
    "severity_not_in_profile": ("本地规定未设此失信严重程度", "the profile has no such severity tier", "severity_levels"),
    "basis_document_required": ("认定失信行为须以具有法律效力的文书为依据，须提供文号、制发机关和日期",
                                "a dishonesty record needs its legally effective basis document (number, issuer, date)", "basis_document"),
    "penalty_types_required": ("行政处罚信息须注明处罚种类", "an administrative penalty needs its penalty types", None),
    "simplified_procedure_excluded": ("适用简易程序作出的行政处罚信息不纳入公共信用信息",
                                      "penalties decided under the simplified procedure are excluded from the catalog", "excluded_procedures"),
    "minor_violation_excluded": ("{excluded}不纳入失信信息", "{excluded_en} are excluded from dishonesty information", "excluded_procedures"),
    "forbidden_content": ("禁止采集自然人的{label}（字段 {field}）", "prohibited information: {category} (field {field})", "forbidden_content"),
    "restricted_content_without_consent": (
        "采集自然人的{label}须明确告知不利后果并取得书面同意，未提供书面同意凭证（consent_ref）",
        "{category} of a natural person needs a recorded written consent (consent_ref)", "restricted_content_requires_consent"),
    "market_info_without_consent": ("采集自然人的市场信用信息须经本人同意，未提供同意凭证（consent_ref）",
                                    "a natural person's market credit information needs their consent (consent_ref)", "natural_person_consent"),
    "minor_without_guardian_consent": ("信用主体为未成年人，须经其监护人同意，未提供监护人同意凭证（guardian_consent_ref）",
                                       "the subject is a minor: the guardian's consent is required (guardian_consent_ref)", "guardian_consent"),
    "date_in_future": ("字段 {field} 的日期晚于今天", "{field} is in the future", None),
    "invalid_date_order": ("日期先后矛盾：{field}", "dates out of order: {field}", None),
    "content_schema_mismatch": ("记录内容不符合目录条目的数据规范：{detail}", "content does not match the item's schema: {detail}", None),
    "invalid_role": ("责任人身份“{value}”无效", "unknown responsible-person role '{value}'", None),
    "responsible_person_not_natural": ("责任人须为自然人（公民身份号码或其他有效证件）", "a responsible person must be a natural person", None),
    # record changes
    "reason_required": ("须说明理由", "a reason is required", None),
    "document_required": ("撤销或变更须提供依据文书（文号、制发机关、日期）", "the revoking or changing document is required (number, issuer, date)", "revocation_provider_days"),
    "record_revoked": ("该记录已撤销，不能再更正", "the record has been revoked and cannot be corrected", None),
    "not_correctable": ("不能更正字段 {field}", "{field} cannot be corrected", None),
    "nothing_to_correct": ("未提供要更正的字段", "no field to correct", None),
}

# Profile fields named above that are not profile rules but cited from a related rule when the profile lacks them.
FALLBACK_CITATION = {
    "basis_document": ("basis_document_required",),
    "natural_person_consent": ("natural_person_consent", "restricted_content_requires_consent"),
    "guardian_consent": ("guardian_consent", "restricted_content_requires_consent"),
}


def article_for(field: str | None, policy=None) -> str:
    if not field:
        return ""
    policy = policy or active_policy()
    # ``field`` names the input at fault, which is a profile rule only sometimes: look it up among the rules by
    # name (data, not a typo-prone attribute read), then the named fallbacks.
    rules = {name: rule for name, _label, rule in policy.rules()}
    for name in FALLBACK_CITATION.get(field, (field,)):
        article = rules[name].article if name in rules else ""
        if article:
            return article
    return ""



def render(code: str, policy=None, **params) -> str:
    zh, en, field = MESSAGES.get(code, (code, code, None))
    params.setdefault("field", "")
    if "category" in params:
        params.setdefault("label", code_label(params["category"]))
    # A message whose placeholders the params do not fill is shown as written rather than not at all.
    with contextlib.suppress(KeyError, IndexError):
        zh, en = zh.format(**params), en.format(**params)
    article = article_for(field, policy)
    if article:
        return f"{zh}（依据：{article}） / {en} (under {article})"
    return f"{zh} / {en}"
