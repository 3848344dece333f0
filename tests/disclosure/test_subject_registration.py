"""An organisation's public page opens with its registration facts (法定代表人, 成立日期, 住所, 登记机关 …), masked
like every public record; an individual business's 住所 (its keeper's home) never appears."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from catalog.models import Category, MatterType, Openness
from tests.catalog.factories import CatalogItemFactory, CatalogVersionFactory, publish
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "登记机关": "克拉玛依市市场监督管理局", "成立日期": "2012-04-18", "注册资本（万元）": 5000, "住所": "克拉玛依市昆仑路 88 号",
    "经营范围": "石油技术服务", "登记状态": "存续",
}


@pytest.fixture
def registration_item(items, department):
    version = CatalogVersionFactory()
    item = CatalogItemFactory(
        version=version, code="DJ-TEST", name="市场主体登记注册基本信息", category=Category.BASIC,
        matter_type=MatterType.REGISTRATION, openness=Openness.PUBLIC, providers=[department],
    )
    publish(version)
    item.refresh_from_db()
    return item


def _page(subject) -> str:
    response = Client().get(f"/subjects/{subject.code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_registration_facts_head_the_page(world, registration_item, department):
    company = world["company"]
    f.record(company, registration_item, department, content=REGISTRATION, decided_on=date(2012, 4, 18))
    body = _page(company)
    for label in ("登记机关", "成立日期", "住所", "注册资本（万元）", "登记状态", "经营范围"):
        assert f'<th scope="row">{label}</th>' in body
    assert "克拉玛依市市场监督管理局" in body and "2012-04-18" in body and "克拉玛依市昆仑路 88 号" in body
    # the legal representative is named, masked (王小明 → 王**)
    assert "法定代表人" in body and "王小明" not in body


def test_the_newest_registration_wins(world, registration_item, department):
    company = world["company"]
    f.record(company, registration_item, department, content=REGISTRATION, decided_on=date(2012, 4, 18))
    f.record(company, registration_item, department, content=dict(REGISTRATION, 住所="克拉玛依市友谊路 1 号"),
             decided_on=date(2025, 9, 1))
    body = _page(company)
    assert "克拉玛依市友谊路 1 号" in body.split("</table>")[0]
    assert "克拉玛依市昆仑路 88 号" not in body.split("</table>")[0]


def test_an_individual_business_keeps_its_keepers_home_off_the_page(items, registration_item, department):
    shop = f.SubjectFactory(type="individual_business", name="克拉玛依区示例食品店")
    f.record(shop, registration_item, department, content=REGISTRATION, decided_on=date(2018, 1, 8))
    facts = _page(shop).split("</table>")[0]
    assert "克拉玛依市市场监督管理局" in facts
    assert "住所" not in facts and "昆仑路" not in facts


def test_no_registration_record_no_registration_rows(world):
    body = _page(world["company"])
    assert "登记机关" not in body.split("</table>")[0]
