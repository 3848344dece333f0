"""Portal: public lists, measure lists with comment, commitments (a subject's own pages: tests/portal/test_lists_mine.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from sanctions import services
from sanctions.models import MeasureComment
from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db


def test_public_lists_show_organisations_only(department):
    company, citizen = f.org("克拉玛依失信示范有限公司"), f.person("王小明")
    for s in (company, citizen):
        services.list_court_debtor(s, department=department, case_number=f"执-{s.pk}", decision_number=f"决-{s.pk}",
                                   reasons="失信被执行人", basis="最高人民法院规定", records=[], actor="t")
    page = Client().get("/lists/severe/").content.decode()
    assert "克拉玛依失信示范有限公司" in page and "王小明" not in page
    trusty = f.org("守信示范有限公司")
    f.record(department, trusty, category="trust")
    services.add_to_red_list(trusty, department=department, criteria="纳税信用A级", actor="t")
    assert "守信示范有限公司" in Client().get("/lists/red/").content.decode()
    assert "守信示范有限公司" in Client().get("/lists/red/", {"q": "守信"}).content.decode()


def test_measure_lists_public_and_comment_on_drafts(procurement):
    published = f.measure_list(title="本市失信惩戒措施补充清单")
    f.measure(published, name="限制参加政府采购", matters=[procurement])
    f.publish(published)
    draft = f.measure_list(title="征求意见稿清单")
    f.measure(draft)
    services.open_public_comment(draft, actor="t")
    private = f.measure_list(title="内部草稿清单")
    client = Client()
    index = client.get("/lists/measures/").content.decode()
    assert "本市失信惩戒措施补充清单" in index and "征求意见稿清单" in index and "内部草稿清单" not in index
    assert client.get(f"/lists/measures/{private.pk}/").status_code == 404
    response = client.post(f"/lists/measures/{draft.pk}/", {"author": "张律师", "organisation": "某律师事务所",
                                                            "content": "建议明确适用的严重程度"})
    assert response.status_code == 302 and MeasureComment.objects.get().measure_list == draft


def test_commitments_page(department):
    company = f.org("承诺示范有限公司")
    services.record_commitment(department=department, subject=company, source_ref="C1", title="食品经营许可告知承诺",
                               content="承诺符合条件", made_on=date(2026, 5, 1), actor="t")
    assert "承诺示范有限公司" in Client().get("/lists/commitments/").content.decode()
