"""Records test data: payload builders for the push API (valid records that each test then breaks in one way), and
model factories for tests that need stored subjects and records without going through a push."""

from __future__ import annotations

import copy
import itertools
from datetime import date

import factory

from catalog.models import Category
from catalog.schema import PENALTY_FIELDS  # noqa: F401 - documents where the content keys come from
from credit_platform.identifiers import make_ric, make_uscc
from records.models import CodeType, Record, RecordStatus, RelatedPerson, Subject, SubjectType
from tests.catalog.factories import LICENCE, PENALTY, CatalogItemFactory
from tests.credit_platform.factories import DepartmentFactory

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


# --- model factories --------------------------------------------------------------------------------------------


class SubjectFactory(factory.django.DjangoModelFactory):
    """An enterprise by its USCC; ``PersonFactory`` for a natural person."""

    class Meta:
        model = Subject

    type = SubjectType.LEGAL_PERSON
    code_type = CodeType.USCC
    code = factory.LazyFunction(uscc)
    name = factory.Sequence(lambda n: f"克拉玛依测试{n}有限公司")


class PersonFactory(SubjectFactory):
    type = SubjectType.NATURAL_PERSON
    code_type = CodeType.RIC
    birth_date = date(1985, 6, 1)
    code = factory.LazyAttribute(lambda o: ric(o.birth_date))
    name = "张三"


class RelatedPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedPerson

    organisation = factory.SubFactory(SubjectFactory)
    person = factory.SubFactory(PersonFactory)
    role = "legal_representative"


class RecordFactory(factory.django.DjangoModelFactory):
    """A stored record as a push would leave it (live, general severity). Tests of the push path itself use the
    payload builders above and ``records.services.ingest`` instead."""

    class Meta:
        model = Record

    subject = factory.SubFactory(SubjectFactory)
    catalog_item = factory.SubFactory(CatalogItemFactory, category=Category.DISHONESTY)
    category = factory.LazyAttribute(lambda o: o.catalog_item.category)
    severity = factory.LazyAttribute(lambda o: "general" if o.category == Category.DISHONESTY else "")
    source_department = factory.SubFactory(DepartmentFactory)
    source_ref = factory.Sequence(lambda n: f"T-{n:06d}")
    basis_number = factory.Sequence(lambda n: f"克市监罚〔2026〕{n}号")
    basis_issuer = "克拉玛依市市场监督管理局"
    decided_on = date(2026, 3, 2)
    occurred_on = date(2026, 1, 15)
    status = RecordStatus.ACTIVE
    content = factory.LazyFunction(lambda: {"违法事实": "销售超过保质期的食品。"})
