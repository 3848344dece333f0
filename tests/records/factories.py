"""Payload builders for the push API: valid records that each test then breaks in one way."""

from __future__ import annotations

import copy
import itertools
from datetime import date

from catalog.schema import PENALTY_FIELDS  # noqa: F401 - documents where the content keys come from
from credit_platform.identifiers import make_ric, make_uscc

from tests.catalog.factories import LICENCE, PENALTY

_serial = itertools.count(1000)

AUTHORITY_USCC = make_uscc("650200", 20, authority="1", kind="1")


def uscc(n: int | None = None) -> str:
    return make_uscc("650200", next(_serial) if n is None else n)


def ric(born: date = date(1985, 6, 1), n: int | None = None) -> str:
    return make_ric("650203", born, next(_serial) if n is None else n)


def penalty_content(**overrides) -> dict:
    content = {
        "决定书文号": "克市监罚〔2026〕12号",
        "违法行为类型": "销售不符合食品安全标准的食品",
        "违法事实": "当事人于2026年1月15日销售超过保质期的食品。",
        "处罚依据": "《中华人民共和国食品安全法》第一百二十四条",
        "处罚类别": "罚款",
        "处罚内容": "罚款人民币2万元",
        "罚款金额（万元）": 2.0,
        "处罚决定日期": "2026-03-02",
        "处罚机关": "克拉玛依市市场监督管理局",
        "处罚机关统一社会信用代码": AUTHORITY_USCC,
        "数据来源单位": "克拉玛依市市场监督管理局",
        "数据来源单位统一社会信用代码": AUTHORITY_USCC,
    }
    content.update(overrides)
    return content


def penalty(source_ref: str | None = None, *, code: str | None = None, **overrides) -> dict:
    payload = {
        "source_ref": source_ref or f"SCJG-2026-{next(_serial):06d}",
        "catalog_item": PENALTY,
        "subject": {"type": "legal_person", "code": code or uscc(), "name": "克拉玛依某某有限公司"},
        "severity": "general",
        "procedure": "general",
        "penalty_types": ["fine"],
        "basis_document": {"number": "克市监罚〔2026〕12号", "issuer": "克拉玛依市市场监督管理局", "issued_on": "2026-03-02"},
        "occurred_on": "2026-01-15",
        "decided_on": "2026-03-02",
        "ended_on": None,
        "content": penalty_content(),
        "responsible_persons": [],
        "consent_ref": None,
    }
    for key, value in overrides.items():
        payload[key] = value
    return copy.deepcopy(payload)


def licence(source_ref: str | None = None, **overrides) -> dict:
    payload = {
        "source_ref": source_ref or f"SCJG-XK-{next(_serial):06d}",
        "catalog_item": LICENCE,
        "subject": {"type": "legal_person", "code": uscc(), "name": "克拉玛依示例餐饮有限公司"},
        "decided_on": "2026-02-01",
        "content": {
            "决定文书号": "克市监许〔2026〕3号", "许可证书名称": "食品经营许可证", "许可类别": "普通",
            "许可编号": "JY16502030001234", "许可决定日期": "2026-02-01", "有效期自": "2026-02-01",
            "有效期至": "2031-01-31", "许可内容": "预包装食品销售", "许可机关": "克拉玛依市市场监督管理局",
            "许可机关统一社会信用代码": AUTHORITY_USCC, "数据来源单位": "克拉玛依市市场监督管理局",
            "数据来源单位统一社会信用代码": AUTHORITY_USCC,
        },
    }
    payload.update(overrides)
    return copy.deepcopy(payload)


def person(name: str = "张三", born: date = date(1985, 6, 1), **extra) -> dict:
    return {"type": "natural_person", "code": ric(born), "name": name, **extra}
