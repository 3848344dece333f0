"""Public search pages through every result with an honest total — no silent cap at 20 (信用中国 pages through all)."""

from __future__ import annotations

import pytest
from django.test import Client

from disclosure import services
from records.models import CodeType, Subject, SubjectType
from tests.records.factories import ric, uscc

pytestmark = pytest.mark.django_db


def _organisations(names: list[str]) -> list[Subject]:
    return [
        Subject.objects.create(type=SubjectType.LEGAL_PERSON, code_type=CodeType.USCC, code=uscc(), name=name)
        for name in names
    ]


@pytest.fixture
def many_companies():
    # 45 names that start with the city, two that only contain it, and a person who must never appear.
    _organisations([f"克拉玛依第{i:02d}建筑有限公司" for i in range(45)])
    _organisations(["新疆克拉玛依石化有限公司", "独山子克拉玛依商贸有限公司"])
    Subject.objects.create(type=SubjectType.NATURAL_PERSON, code_type=CodeType.RIC, code=ric(), name="克拉玛依张三")


def test_every_result_is_reachable_page_by_page(many_companies):
    client = Client()
    seen: list[str] = []
    for number in (1, 2, 3):
        body = client.get("/search/", {"q": "克拉玛依", "page": number}).content.decode()
        assert "共 47 家单位" in body
        seen += [s.name for s in services.search_public_page("克拉玛依", number).items]
    assert len(seen) == len(set(seen)) == 47
    assert "克拉玛依张三" not in seen
    # names that start with the query come first, then names that only contain it
    assert set(seen[-2:]) == {"新疆克拉玛依石化有限公司", "独山子克拉玛依商贸有限公司"}
    assert all(name.startswith("克拉玛依") for name in seen[:45])


def test_the_page_links_carry_the_query(many_companies):
    body = Client().get("/search/", {"q": "克拉玛依", "page": 2}).content.decode()
    assert "第 2 / 3 页" in body
    assert 'rel="prev"' in body and 'rel="next"' in body
    assert "page=3" in body and "q=%E5%85%8B" in body


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999"])
def test_a_wild_page_number_shows_a_real_page_not_an_error(many_companies, page):
    response = Client().get("/search/", {"q": "克拉玛依", "page": page})
    assert response.status_code == 200
    assert "共 47 家单位" in response.content.decode()


def test_past_the_count_cap_the_page_says_more_than(many_companies, monkeypatch):
    monkeypatch.setattr(services, "SEARCH_COUNT_CAP", 30)
    page = services.search_public_page("克拉玛依", 1)
    assert page.total == 30 and page.total_capped
    body = Client().get("/search/", {"q": "克拉玛依"}).content.decode()
    assert "超过 30 家" in body


def test_the_public_api_pages_with_a_total(many_companies):
    client = Client()
    first = client.get("/api/v1/public/search/", {"q": "克拉玛依"}).json()
    assert first["count"] == 20 and first["total"] == 47 and first["num_pages"] == 3 and not first["total_capped"]
    last = client.get("/api/v1/public/search/", {"q": "克拉玛依", "page": 3}).json()
    assert last["count"] == 7 and last["page"] == 3
    codes = {r["code"] for r in first["results"]} | {r["code"] for r in last["results"]}
    assert len(codes) == 27


@pytest.mark.parametrize("page", ["0", "x", "10001"])
def test_the_public_api_refuses_a_bad_page_number_by_field(many_companies, page):
    response = Client().get("/api/v1/public/search/", {"q": "克拉玛依", "page": page})
    assert response.status_code == 400
    assert response.json()["fields"] == {"page": "invalid"}


def test_an_exact_code_is_one_result(many_companies):
    company = Subject.objects.filter(name="克拉玛依第07建筑有限公司").get()
    page = services.search_public_page(company.code.lower(), 1)
    assert [s.pk for s in page.items] == [company.pk] and page.total == 1


def test_every_page_is_the_straightforward_order_names_starting_with_the_query_first():
    """The search reads names that start with the query and names that only contain it as two parts (each served by
    its own index at scale); page by page the result is exactly one list ordered by (starts with it, name by code
    point, id), as the single query that sorted every match returned it."""
    import random

    rng = random.Random(17)
    # (no letters in two cases: SQLite's LIKE, the development database, ignores ASCII case)
    pieces = ["克拉玛依", "克拉", "石化", "有限公司", "A", "1", "10", "_", "%", "（", "新疆", "独山子", "建筑", "\U0010ffff"]
    names = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))) for _ in range(400)]
    names += ["克拉玛依", "克拉玛依", "克拉玛依%", "克拉玛依_"]  # the same name twice: ordered by id
    subjects = _organisations(names)
    Subject.objects.create(type=SubjectType.NATURAL_PERSON, code_type=CodeType.RIC, code=ric(), name="克拉玛依石化")
    for query in ["克拉玛依", "克拉", "石化", "有限公司", "A1", "依%", "_克", "10", "克拉玛依_", "（新疆",
                  "A\U0010ffff"]:
        expected = sorted((s for s in subjects if query in s.name),
                          key=lambda s: (not s.name.startswith(query), s.name, s.pk))
        seen, number = [], 1
        while True:
            page = services.search_public_page(query, number, per_page=7)
            assert page.total == len(expected) and not page.total_capped
            seen += page.items
            if not page.has_next:
                break
            number += 1
        assert [s.pk for s in seen] == [s.pk for s in expected], query


def test_a_prefix_ending_in_the_last_code_point_has_no_upper_bound():
    assert services._after_prefix("克拉") == "克拊"
    assert services._after_prefix("a\U0010ffff") == "b"
    assert services._after_prefix("\U0010ffff\U0010ffff") is None
    assert services._after_prefix("한\ud7ff") == "한\ue000"  # past the surrogates, which no text may hold
