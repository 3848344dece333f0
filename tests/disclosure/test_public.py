"""The public sees only what the profile publishes, masked; natural persons and minors never."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_search_by_name_and_uscc(world):
    c = Client()
    r = c.get("/search/", {"q": "克拉玛依示例能源"})
    assert r.status_code == 200 and "克拉玛依示例能源有限公司" in r.content.decode()
    r = c.get("/search/", {"q": world["company"].code})
    assert world["company"].code in r.content.decode()
    api = c.get("/api/v1/public/search/", {"q": world["company"].code}).json()
    assert api["results"][0]["code"] == world["company"].code


def test_natural_persons_are_never_searchable(world):
    c = Client()
    for q in ("张伟", world["citizen"].code, "王小明", "李小小"):
        body = c.get("/search/", {"q": q}).content.decode()
        assert "张伟" not in body.replace('value="张伟"', "") and world["citizen"].code not in body.replace(f'value="{world["citizen"].code}"', "")
        assert c.get("/api/v1/public/search/", {"q": q}).json()["results"] == []
    # no public page either, with the same answer as an unknown code (no existence oracle)
    assert c.get(f"/subjects/{world['citizen'].code}/").status_code == 404
    r = c.get(f"/api/v1/public/subjects/{world['citizen'].code}/")
    assert r.status_code == 404 and r.json()["code"] == "subject_not_found"


def test_subject_page_shows_public_records_masked(world):
    c = Client()
    body = c.get(f"/subjects/{world['company'].code}/").content.decode()
    assert "行政处罚信息" in body and "行政许可信息" in body and "表彰奖励信息" in body
    assert "欠缴社会保险费信息" not in body  # non-public catalog item
    assert "王*" in body and "王小明" not in body  # legal representative and names in content masked
    assert "13812345678" not in body and "某路1号" not in body
    assert "2020-01-10" not in body  # publicity ended


def test_public_api_lists_exactly_the_public_records(world):
    data = Client().get(f"/api/v1/public/subjects/{world['company'].code}/").json()
    ids = {r["id"] for r in data["records"]}
    assert ids == {world["penalty"].pk, world["licence"].pk, world["trust"].pk}
    row = next(r for r in data["records"] if r["id"] == world["penalty"].pk)
    assert row["catalog_item"] == "D-XZCF" and row["category"] == "dishonesty"
    assert row["public_until"] == "2027-03-02" and row["disputed"] is False
    assert "王小明" not in str(data) and "13812345678" not in str(data)
    assert data["related_persons"] == [{"role": "legal_representative", "role_label": "法定代表人", "name": "王**"}]


def test_disputed_mark_is_visible(world):
    from records.models import Record

    Record.objects.filter(pk=world["penalty"].pk).update(disputed=True)
    body = Client().get(f"/subjects/{world['company'].code}/").content.decode()
    assert "异议处理中" in body
    data = Client().get(f"/api/v1/public/subjects/{world['company'].code}/").json()
    assert next(r for r in data["records"] if r["id"] == world["penalty"].pk)["disputed"] is True


def test_minors_and_natural_persons_never_on_lists(world):
    for url in ("/lists/severe/", "/lists/red/"):
        body = Client().get(url).content.decode()
        assert "李小小" not in body and "张伟" not in body
    from disclosure.services import public_records

    assert not public_records().filter(subject__in=[world["minor"], world["citizen"]]).exists()
    world["minor_rec"].refresh_from_db()
    assert world["minor_rec"].is_minor is True


def test_bad_codes_get_clear_messages(world):
    c = Client()
    r = c.get("/api/v1/public/subjects/not-a-code!/")
    assert r.status_code == 400 and r.json()["code"] == "invalid_code"
    r = c.get("/api/v1/public/subjects/91650200MA0000000X/")
    assert r.status_code == 404 and "未找到" in r.json()["message"]
    assert c.get("/api/v1/public/search/", {"q": "a"}).status_code == 400
    page = c.get("/subjects/91650200MA0000000X/")
    assert page.status_code == 404 and "统一社会信用代码" in page.content.decode()


def test_home_has_the_search_box(db):
    body = Client().get("/").content.decode()
    assert 'name="q"' in body and "/search/" in body
