"""The catalog: life cycle, immutability of published versions, public comment, the items API."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from catalog import services
from catalog.models import FROZEN, CatalogItem, CatalogVersion, Category
from catalog.schema import penalty_schema
from credit_platform.exceptions import DomainError
from tests.catalog.factories import CatalogItemFactory, CatalogVersionFactory, make_test_catalog, publish

pytestmark = pytest.mark.django_db


@contextmanager
def frozen_refused():
    """The step is refused with the catalog's frozen code (409 in the API)."""
    with pytest.raises(DomainError) as caught:
        yield
    assert caught.value.code == FROZEN and caught.value.status == 409


@pytest.fixture
def published(department, other_department):
    return make_test_catalog(department, other_department)


def test_life_cycle_and_yearly_review(department):
    version = CatalogVersionFactory()
    CatalogItemFactory(version=version, providers=[department])
    with pytest.raises(DomainError, match="状态|批准文件"):
        services.approve(version, approval_document="x")  # a supplement goes through public comment first
    services.open_public_comment(version)
    assert version.status == "public_comment"
    with pytest.raises(DomainError, match="状态|批准文件"):
        services.approve(version, approval_document=" ")
    services.approve(version, approval_document="克政函〔2026〕9号")
    services.publish(version, effective_from=date(2026, 1, 1))
    version.refresh_from_db()
    assert version.status == "published"
    assert version.review_due == date(2027, 1, 1)  # Karamay art. 9: adjusted about once a year (profile)
    assert services.review_state(version, today=date(2027, 1, 2)) == "overdue"
    assert services.review_state(version, today=date(2026, 12, 15)) == "due_soon"
    assert services.review_state(version, today=date(2026, 6, 1)) == "ok"


def test_national_base_catalog_is_adopted_without_local_comment():
    version = CatalogVersionFactory(level=CatalogVersion.Level.NATIONAL, title="全国公共信用信息基础目录")
    CatalogItemFactory(version=version)
    services.approve(version, approval_document="发改财金规〔2024〕203号")
    assert version.status == "approved"


def test_published_version_is_immutable(published, department):
    item = published.items.first()
    item.name = "改名"
    with frozen_refused():
        item.save()
    with frozen_refused():
        item.delete()
    with frozen_refused(), transaction.atomic():
        item.providers.add(department)
    with frozen_refused():
        CatalogItem.objects.filter(pk=item.pk).update(name="x")
    with frozen_refused():
        CatalogItem.objects.create(version=published, code="NEW", name="n", behaviour="b", category="other",
                                   data_source="d", legal_basis="l")
    published.title = "新标题"
    with frozen_refused():
        published.save()
    published.refresh_from_db()
    with frozen_refused():
        published.delete()


def test_changes_make_a_new_version(published, department):
    draft = services.new_version_from(published, version_label="2027")
    assert draft.status == "draft" and draft.based_on == published
    assert draft.items.count() == published.items.count()
    copied = draft.items.get(code="T-XZCF")
    assert list(copied.providers.all()) == [department]
    copied.name = "行政处罚信息（修订）"
    copied.save()  # the draft is editable
    assert published.items.get(code="T-XZCF").name == "行政处罚信息"
    publish(draft, effective_from=date(2026, 6, 1))
    names = dict(services.current_items(date(2026, 7, 1)).values_list("code", "name"))
    assert names["T-XZCF"] == "行政处罚信息（修订）"
    older = dict(services.current_items(date(2026, 3, 1)).values_list("code", "name"))
    assert older["T-XZCF"] == "行政处罚信息"


def test_municipal_supplement_adds_to_the_national_base(published):
    national = CatalogVersionFactory(level=CatalogVersion.Level.NATIONAL)
    CatalogItemFactory(version=national, code="N-001", name="全国基础目录事项")
    CatalogItemFactory(version=national, code="T-OPEN", name="被市级覆盖")
    publish(national)
    codes = dict(services.current_items(date(2026, 7, 1)).values_list("code", "name"))
    assert "N-001" in codes and "T-XZCF" in codes
    assert codes["T-OPEN"] == "其他信息"  # the municipal supplement's own definition wins


def test_item_schema_and_publicity_bounds_are_checked(department):
    version = CatalogVersionFactory()
    item = CatalogItemFactory.build(version=version, code="X", category=Category.DISHONESTY,
                                    content_schema={"type": "objekt"}, publicity_months_min=1, publicity_months_max=60)
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    errors = exc.value.message_dict
    assert "content_schema" in errors
    assert "publicity_months_max" in errors  # Karamay art. 33: at most 3 years
    ok = CatalogItemFactory.build(version=version, code="Y", category=Category.DISHONESTY,
                                  content_schema=penalty_schema(), publicity_months_min=3, publicity_months_max=36)
    ok.full_clean()


def test_items_api(published, token_client, department):
    client = token_client(department)
    response = client.get("/api/v1/catalog/items/")
    assert response.status_code == 200
    items = {i["code"]: i for i in response.json()}
    penalty = items["T-XZCF"]
    assert penalty["category"] == "dishonesty"
    assert penalty["providers"] == ["SCJG"]
    assert penalty["openness"] == "public"
    assert penalty["repairable"] is True
    assert penalty["content_schema"]["required"][0] == "决定书文号"
    assert items["T-QS"]["providers"] == ["SWJ"]
    mine = client.get("/api/v1/catalog/items/", {"provider": "SWJ"}).json()
    assert {i["code"] for i in mine} == {"T-QS", "T-OPEN"}
    assert client.get("/api/v1/catalog/items/T-XZCF/").json()["name"] == "行政处罚信息"


def test_items_api_needs_authentication(published, client):
    assert client.get("/api/v1/catalog/items/").status_code in (401, 403)


def test_public_comment_on_the_draft(department, client):
    version = CatalogVersionFactory()
    CatalogItemFactory(version=version, code="D-1", providers=[department])
    assert client.get("/api/v1/catalog/drafts/").json() == []
    services.open_public_comment(version)
    drafts = client.get("/api/v1/catalog/drafts/").json()
    assert [d["id"] for d in drafts] == [version.id]
    assert drafts[0]["items"][0]["code"] == "D-1"
    response = client.post(
        f"/api/v1/catalog/drafts/{version.id}/comments/",
        {"author_name": "某行业协会", "author_kind": "行业协会商会", "body": "建议明确 D-1 的公示期限。", "item": "D-1"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    comment = version.comments.get()
    assert comment.item.code == "D-1" and comment.status == "received"
    services.approve(version, approval_document="克政函〔2026〕2号")
    closed = client.post(f"/api/v1/catalog/drafts/{version.id}/comments/", {"author_name": "x", "body": "y"},
                         content_type="application/json")
    assert closed.status_code == 404


def test_comment_period_closes(department, client):
    version = CatalogVersionFactory()
    CatalogItemFactory(version=version, providers=[department])
    services.open_public_comment(version, opens_on=date(2026, 1, 1), closes_on=date(2026, 1, 31))
    response = client.post(f"/api/v1/catalog/drafts/{version.id}/comments/", {"author_name": "x", "body": "y"},
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "comment_closed"


@pytest.mark.urls("tests.catalog.urls")
def test_portal_shows_the_draft_and_collects_comments(department, client):
    version = CatalogVersionFactory()
    CatalogItemFactory(version=version, code="D-9", name="征求意见中的事项", providers=[department])
    services.open_public_comment(version)
    page = client.get("/catalog/").content.decode()
    assert version.title in page
    draft = client.get(f"/catalog/drafts/{version.pk}/")
    assert "征求意见中的事项" in draft.content.decode()
    response = client.post(f"/catalog/drafts/{version.pk}/", {"author_name": "张律师", "author_kind": "法律服务机构",
                                                              "body": "建议补充法律依据。", "item_code": "D-9"})
    assert response.status_code == 302
    assert version.comments.get().item.code == "D-9"
