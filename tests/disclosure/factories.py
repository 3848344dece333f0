"""Factories for disclosure tests: a small published catalog, subjects and records with their windows applied."""

from __future__ import annotations

import itertools
from datetime import date

import factory

from catalog.models import Category, MatterType, Openness
from credit_platform.identifiers import make_ric, make_uscc
from records.models import RelatedPerson, Subject, SubjectType
from tests.catalog.factories import CatalogItemFactory, CatalogVersionFactory, publish

_serial = itertools.count(5000)

PENALTY, LICENCE, TRUST, HIDDEN, COMMITMENT, JUDGMENT = "D-XZCF", "D-XZXK", "D-BZ", "D-NP", "D-CN", "D-SF"


def uscc() -> str:
    return make_uscc("650200", next(_serial))


def ric(born: date = date(1985, 6, 1)) -> str:
    return make_ric("650203", born, next(_serial))


def make_catalog(*providers):
    version = CatalogVersionFactory()
    spec = [
        (PENALTY, "行政处罚信息", Category.DISHONESTY, MatterType.PENALTY, Openness.PUBLIC),
        (LICENCE, "行政许可信息", Category.BASIC, MatterType.LICENCE, Openness.PUBLIC),
        (TRUST, "表彰奖励信息", Category.TRUST, MatterType.COMMENDATION, Openness.PUBLIC),
        (HIDDEN, "欠缴社会保险费信息", Category.DISHONESTY, MatterType.ARREARS, Openness.NON_PUBLIC),
        (COMMITMENT, "信用承诺信息", Category.OTHER, MatterType.COMMITMENT, Openness.PUBLIC),
        (JUDGMENT, "刑事判决信息", Category.DISHONESTY, MatterType.JUDICIAL, Openness.CONDITIONAL),
    ]
    items = {}
    for code, name, category, matter, openness in spec:
        items[code] = CatalogItemFactory(version=version, code=code, name=name, category=category, matter_type=matter,
                                         openness=openness, providers=list(providers))
    publish(version)
    return {code: type(item).objects.get(pk=item.pk) for code, item in items.items()}


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    type = SubjectType.LEGAL_PERSON
    code_type = "uscc"
    code = factory.LazyFunction(uscc)
    name = factory.Sequence(lambda n: f"克拉玛依测试{n}有限公司")


def person(name="张伟", born=date(1985, 6, 1), code=None) -> Subject:
    return SubjectFactory(type=SubjectType.NATURAL_PERSON, code_type="ric", code=code or ric(born), name=name, birth_date=born)


def relate(org, who, role="legal_representative"):
    return RelatedPerson.objects.create(organisation=org, person=who, role=role)


def record(subject, item, department, *, apply=True, **fields):
    from disclosure.services import apply_windows
    from records.models import Record

    defaults = dict(
        category=item.category, severity="general" if item.category == "dishonesty" else "",
        source_ref=f"T-{next(_serial)}", basis_number="克市监罚〔2026〕1号", basis_issuer=department.name,
        decided_on=date(2026, 3, 2), occurred_on=date(2026, 1, 15), penalty_types=["fine"] if item.matter_type == "administrative_penalty" else [],
        content={"违法事实": "销售超过保质期的食品。"}, procedure="general" if item.category == "dishonesty" else "",
    )
    defaults.update(fields)
    rec = Record.objects.create(subject=subject, catalog_item=item, source_department=department, **defaults)
    if apply:
        apply_windows([rec.pk])
        rec.refresh_from_db()
    return rec
