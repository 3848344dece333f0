"""Factories for catalog versions and items, and a helper that publishes a small test catalog."""

from __future__ import annotations

from datetime import date

import factory

from catalog import services
from catalog.models import CatalogItem, CatalogVersion, Category, InfoKind, MatterType
from catalog.schema import licence_schema, penalty_schema


class CatalogVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogVersion

    title = "克拉玛依市公共信用信息补充目录"
    level = CatalogVersion.Level.MUNICIPAL
    region = "克拉玛依市"
    version_label = factory.Sequence(lambda n: f"2026-{n}")


class CatalogItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogItem
        skip_postgeneration_save = True

    version = factory.SubFactory(CatalogVersionFactory)
    code = factory.Sequence(lambda n: f"ITEM-{n:03d}")
    name = factory.Sequence(lambda n: f"测试信息事项{n}")
    behaviour = "测试行为"
    category = Category.OTHER
    data_source = "测试来源"
    legal_basis = "《克拉玛依市社会信用条例》第十三条"
    content_schema = factory.LazyFunction(dict)

    @factory.post_generation
    def providers(self, create, extracted, **kwargs):
        if create and extracted:
            self.providers.set(extracted)


def publish(version: CatalogVersion, effective_from: date | None = None) -> CatalogVersion:
    if version.level != CatalogVersion.Level.NATIONAL:
        services.open_public_comment(version)
    services.approve(version, approval_document="克政函〔2026〕1号")
    return services.publish(version, effective_from=effective_from or date(2026, 1, 1))


# Item codes used by the records tests.
PENALTY = "T-XZCF"
LICENCE = "T-XZXK"
TAX_ARREARS = "T-QS"
MARKET = "T-SC"
OPEN = "T-OPEN"
TRUST = "T-BZ"


def make_test_catalog(scjg, swj) -> CatalogVersion:
    """A published municipal catalog with one item of each kind the records tests need."""
    version = CatalogVersionFactory()
    CatalogItemFactory(version=version, code=PENALTY, name="行政处罚信息", category=Category.DISHONESTY,
                       matter_type=MatterType.PENALTY, content_schema=penalty_schema(), providers=[scjg],
                       domain="food", publicity_months_min=3, publicity_months_max=36)
    CatalogItemFactory(version=version, code=LICENCE, name="行政许可信息", category=Category.BASIC,
                       matter_type=MatterType.LICENCE, content_schema=licence_schema(), providers=[scjg])
    CatalogItemFactory(version=version, code=TAX_ARREARS, name="欠缴税款信息", category=Category.DISHONESTY,
                       matter_type=MatterType.ARREARS, providers=[swj],
                       content_schema={"type": "object", "properties": {"欠税金额（元）": {"type": "number"}}})
    CatalogItemFactory(version=version, code=MARKET, name="行业协会会员信用评价", category=Category.OTHER,
                       matter_type=MatterType.EVALUATION, info_kind=InfoKind.MARKET, providers=[scjg])
    CatalogItemFactory(version=version, code=OPEN, name="其他信息", category=Category.OTHER, providers=[scjg, swj])
    CatalogItemFactory(version=version, code=TRUST, name="表彰奖励信息", category=Category.TRUST,
                       matter_type=MatterType.COMMENDATION, providers=[scjg])
    return publish(version)
