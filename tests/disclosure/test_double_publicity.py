"""双公示 search: every public licence and penalty, searchable by name, code or document number, filtered and paged —
never a natural person's decision, never more than the subject pages show."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db
URL = "/shuanggongshi/"


def _get(**params) -> str:
    response = Client().get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_lists_public_licences_and_penalties_only(world):
    body = _get()
    company = world["company"]
    assert company.name in body
    assert "行政许可" in body and "行政处罚" in body
    # the natural person's and the minor's penalties never appear, nor the non-public arrears item
    assert "张伟" not in body and world["citizen"].code not in body
    assert "李小小" not in body and "欠缴社会保险费" not in body
    # content is masked like the subject page: the phone number in the facts is not shown
    assert "13812345678" not in body


def test_kind_filter(world):
    penalties = _get(kind="penalty")
    assert "<td>行政许可" not in penalties and "<td>行政处罚" in penalties
    licences = _get(kind="licence")
    assert "<td>行政处罚" not in licences and "<td>行政许可" in licences


def test_search_by_name_code_and_document_number(world, items, department):
    company = world["company"]
    other = f.SubjectFactory(name="克拉玛依另一家有限公司")
    f.record(other, items[f.PENALTY], department, basis_number="克市监罚〔2026〕99号")
    assert other.name not in _get(q="示例能源") and company.name in _get(q="示例能源")
    assert company.name not in _get(q=other.code) and other.name in _get(q=other.code.lower())
    by_number = _get(q="〔2026〕99号")
    assert other.name in by_number and company.name not in by_number


def test_department_and_date_filters(world, items, department, other_department):
    body = _get(department=department.code, date_from="2026-01-01", date_to="2026-12-31")
    assert world["company"].name in body
    assert "共 0 条" in _get(date_from="2027-01-01")
    assert "共 0 条" in _get(department=department.code, date_to="2024-01-01")


@pytest.mark.parametrize(
    "params, field_message",
    [({"date_from": "2026-13-01"}, "日期格式应为"), ({"kind": "bribe"}, "信息类别只能是"),
     ({"department": "NOPE"}, "没有这个决定机关"), ({"date_from": "2026-01-01", "date_to": "2025-01-01"}, "结束日期不能早于")],
)
def test_bad_filters_say_why_and_the_page_still_answers(world, params, field_message):
    body = _get(**params)
    assert field_message in body and 'role="alert"' in body
    assert world["company"].name in body  # the bad filter is ignored, the rest still applies


def test_pages_through_every_decision(world, items, department):
    company = world["company"]
    for n in range(25):
        f.record(company, items[f.LICENCE], department, basis_number=f"克市监许〔2026〕{n}号", decided_on=date(2026, 2, 1))
    first = _get(kind="licence")
    assert "共 26 条" in first and 'rel="next"' in first and "kind=licence" in first
    second = _get(kind="licence", page=2)
    assert "第 2 / 2 页" in second and 'rel="prev"' in second


def test_linked_from_every_page(db):
    assert 'href="/shuanggongshi/"' in Client().get("/").content.decode()


def test_the_catalog_is_linked_and_its_table_stays_readable(db, items):
    home = Client().get("/").content.decode()
    assert 'href="/catalog/"' in home
    body = Client().get("/catalog/").content.decode()
    assert 'class="table-scroll"' in body
    # six short columns; the long texts (behaviour, legal basis) fold into a details row instead of squeezing the table
    head = body.split("<thead>")[1].split("</thead>")[0]
    assert head.count("<th") == 6 and "<details>" in body


def test_one_name_for_the_red_list(db):
    for url in ("/", "/lists/red/"):
        body = Client().get(url).content.decode()
        assert "守信激励对象名单" in body
        assert "守信红名单" not in body and "守信激励名单<" not in body
