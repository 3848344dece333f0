"""Record content schemas: checking an item's JSON Schema, compiling it for the ingestion hot path, and the
national 双公示 (administrative licence and penalty publicity) field sets used by the demo catalog.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache

import fastjsonschema
import jsonschema
import orjson

logger = logging.getLogger(__name__)

# A validator returns None when the content matches, else (field path, message).
ContentCheck = Callable[[object], "tuple[str, str] | None"]


def schema_errors(schema: object) -> list[str]:
    """Problems with an item's schema itself (draft-07 meta-schema), in words an admin can act on."""
    if not isinstance(schema, dict):
        return ["记录内容模式必须是 JSON 对象 / the content schema must be a JSON object"]
    if not schema:
        return []
    try:
        jsonschema.Draft7Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        return [f"JSON Schema 无效 / invalid JSON Schema: {exc.message}"]
    try:
        fastjsonschema.compile(schema)
    except (fastjsonschema.JsonSchemaDefinitionException, Exception) as exc:  # noqa: BLE001 - surfaced to the admin
        return [f"JSON Schema 无法编译 / the schema cannot be compiled: {exc}"]
    return []


def _path_of(exc: fastjsonschema.JsonSchemaValueException) -> str:
    parts = list(exc.path or [])
    if parts and parts[0] == "data":
        parts = parts[1:]
    return ".".join(["content", *(str(p) for p in parts)])


@lru_cache(maxsize=512)
def _compiled(schema_json: bytes) -> ContentCheck:
    schema = orjson.loads(schema_json)
    if not schema:
        return lambda content: None
    try:
        validate = fastjsonschema.compile(schema)
    except Exception:  # noqa: BLE001 - fall back to the reference implementation
        logger.warning("content schema not compilable by fastjsonschema; using jsonschema")
        validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())

        def slow(content):
            error = jsonschema.exceptions.best_match(validator.iter_errors(content))
            if error is None:
                return None
            return ".".join(["content", *(str(p) for p in error.absolute_path)]), error.message

        return slow

    def fast(content):
        try:
            validate(content)
        except fastjsonschema.JsonSchemaValueException as exc:
            return _path_of(exc), exc.message.replace("data.", "content.", 1).replace("data ", "content ", 1)
        return None

    return fast


def compile_content_schema(schema: dict | None) -> ContentCheck:
    """A fast checker for ``schema`` (cached by the schema's canonical JSON)."""
    return _compiled(orjson.dumps(schema or {}, option=orjson.OPT_SORT_KEYS))


# --- national 双公示 field sets -------------------------------------------------------------------------------
_DATE = {"type": "string", "format": "date"}
_USCC = {"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"}
_AMOUNT = {"type": "number", "minimum": 0}


def _text(max_length: int) -> dict:
    return {"type": "string", "minLength": 1, "maxLength": max_length}


PENALTY_FIELDS: dict[str, dict] = {
    "决定书文号": _text(128),
    "违法行为类型": _text(2000),
    "违法事实": _text(5000),
    "处罚依据": _text(2000),
    "处罚类别": _text(256),
    "处罚内容": _text(4000),
    "罚款金额（万元）": _AMOUNT,
    "没收金额（万元）": _AMOUNT,
    "暂扣或吊销证照名称及编号": {"type": "string", "maxLength": 512},
    "处罚决定日期": _DATE,
    "处罚有效期": _DATE,
    "公示截止期": _DATE,
    "处罚机关": _text(200),
    "处罚机关统一社会信用代码": _USCC,
    "数据来源单位": _text(200),
    "数据来源单位统一社会信用代码": _USCC,
    "备注": {"type": "string", "maxLength": 1000},
}
PENALTY_REQUIRED = ["决定书文号", "违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容", "处罚决定日期",
                    "处罚机关", "处罚机关统一社会信用代码", "数据来源单位", "数据来源单位统一社会信用代码"]

LICENCE_FIELDS: dict[str, dict] = {
    "决定文书号": _text(128),
    "许可证书名称": {"type": "string", "maxLength": 256},
    "许可类别": {"type": "string", "enum": ["普通", "特许", "认可", "核准", "登记", "其他"]},
    "许可编号": {"type": "string", "maxLength": 128},
    "许可决定日期": _DATE,
    "有效期自": _DATE,
    "有效期至": _DATE,
    "许可内容": _text(4000),
    "许可机关": _text(200),
    "许可机关统一社会信用代码": _USCC,
    "数据来源单位": _text(200),
    "数据来源单位统一社会信用代码": _USCC,
    "备注": {"type": "string", "maxLength": 1000},
}
LICENCE_REQUIRED = ["决定文书号", "许可类别", "许可决定日期", "有效期自", "许可内容", "许可机关",
                    "许可机关统一社会信用代码", "数据来源单位", "数据来源单位统一社会信用代码"]


def object_schema(title: str, properties: dict[str, dict], required: list[str], *, closed: bool = True) -> dict:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": title,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": not closed,
    }


def penalty_schema(title: str = "行政处罚信息（双公示）") -> dict:
    return object_schema(title, PENALTY_FIELDS, PENALTY_REQUIRED)


def licence_schema(title: str = "行政许可信息（双公示）") -> dict:
    return object_schema(title, LICENCE_FIELDS, LICENCE_REQUIRED)
