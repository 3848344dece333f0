"""The officials' admin: pages render in Chinese, steps go through the services, invalid measures are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from credit_platform.roles import DEPARTMENT_OFFICER, PLATFORM_ADMIN
from sanctions import services
from sanctions.models import Measure, SevereListEntry
from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(client, make_official):
    user = make_official("centre", PLATFORM_ADMIN)
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["measurelist", "measure", "matter", "jointcheck", "departmentfeedbackrate",
                                   "redlistentry", "severelistentry", "commitment", "evaluation", "interview",
                                   "sanctionevent"])
def test_changelists_render(centre, model):
    response = centre.get(f"/admin/sanctions/{model}/")
    assert response.status_code == 200, model


def test_an_evaluations_page_shows_each_reason_with_its_points(centre, department):
    """The reasons were formatted after escaping ("{:+g}" of a string): the page showed "-" instead of them."""
    subject = f.org("评分理由单位")
    f.record(department, subject, severity="general", decided_on=timezone.localdate() - timedelta(days=3))
    evaluation = services.recompute_evaluation(subject)
    page = centre.get(f"/admin/sanctions/evaluation/{evaluation.pk}/change/").content.decode()
    assert "<div>+80　基础分 80</div>" in page
    assert "<div>-10　一般失信信息“" in page


def test_feedback_rates_page(centre, client_scjg, department, procurement):
    lst = f.measure_list()
    f.measure(lst, matters=[procurement])
    f.publish(lst)
    subject = f.org()
    f.record(department, subject)
    client_scjg.post("/api/v1/joint-check/", {"subject": subject.code, "matter": procurement.code}, format="json")
    page = centre.get("/admin/sanctions/departmentfeedbackrate/").content.decode()
    assert "市市场监督管理局" in page and "0.0%" in page and "所有已实施措施" in page


def test_measure_restricting_basic_rights_by_points_is_refused_in_the_admin(centre):
    lst = f.measure_list()
    response = centre.post("/admin/sanctions/measure/add/", {
        "measure_list": lst.pk, "code": "JF-1", "name": "诚信积分低的限制享受基本公共服务", "kind": "punishment",
        "target": "自然人", "target_types": '["natural_person"]', "means": "限制", "implementer": "各部门",
        "legal_basis": "某文件", "basis_level": "law", "trigger": "grade", "tier": "general", "categories": "[]",
        "severities": "[]", "grades": '["D"]', "domains": "[]", "rights_impact": "basic_rights", "sort_order": 0,
    })
    assert response.status_code == 200
    assert "第四十七条" in response.content.decode() or "Heilongjiang 47" in response.content.decode()
    assert not Measure.objects.exists()


def test_listing_steps_through_the_admin(centre, department):
    subject = f.org()
    rec = f.record(department, subject, severity="severe")
    response = centre.post("/admin/sanctions/severelistentry/add/", {
        "subject": subject.pk, "department": department.pk, "records": str(rec.pk), "reasons": "严重违法",
        "basis": "《中华人民共和国食品安全法》", "term_months": 12, "removal_conditions": "期满", "removal_procedure": "申请",
        "remedies": "可以依法申请行政复议或者提起行政诉讼", "_save": "保存",
    })
    assert response.status_code == 302
    entry = SevereListEntry.objects.get()
    page = centre.get(f"/admin/sanctions/severelistentry/{entry.pk}/change/").content.decode()
    assert "事先告知" in page
    centre.post(f"/admin/sanctions/severelistentry/{entry.pk}/notice/", {"notice_number": "告-A", "delivery": "送达",
                                                                          "defence_days": 3})
    entry.refresh_from_db()
    assert entry.status == SevereListEntry.Status.NOTIFIED
    early = centre.post(f"/admin/sanctions/severelistentry/{entry.pk}/decide/", {"decision_number": "决-A"})
    assert early.status_code == 200 and "陈述申辩期" in early.content.decode()
    SevereListEntry.objects.filter(pk=entry.pk).update(defence_due=timezone.localdate() - timedelta(days=1))
    centre.post(f"/admin/sanctions/severelistentry/{entry.pk}/decide/", {"decision_number": "决-A"})
    entry.refresh_from_db()
    assert entry.status == SevereListEntry.Status.LISTED
    pdf = centre.get(f"/admin/sanctions/severelistentry/{entry.pk}/document/decision/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_officers_see_only_their_department(client, make_official, department, other_department):
    officer = make_official("officer", DEPARTMENT_OFFICER, department=other_department)
    client.force_login(officer)
    subject = f.org()
    rec = f.record(department, subject, severity="severe")
    services.list_court_debtor(subject, department=department, case_number="执9", decision_number="决9", reasons="",
                               basis="规定", records=[rec], actor="t")
    page = client.get("/admin/sanctions/severelistentry/")
    assert page.status_code == 200 and subject.name not in page.content.decode()



def test_reverting_a_published_list_to_an_old_version_shows_the_refusal(centre):
    """A published list is frozen in the model (DomainError "frozen"): reverting it in the history admin to a
    version with another title is refused with the message, not a 500, and the list is unchanged."""
    lst = f.measure_list(title="旧名称")
    f.measure(lst)
    lst.title = "新名称"
    lst.save()
    f.publish(lst)
    old = lst.history.filter(title="旧名称").earliest("history_date")
    response = centre.post(f"/admin/sanctions/measurelist/{lst.pk}/history/{old.history_id}/",
                           {"title": old.title, "level": old.level, "version_label": old.version_label,
                            "issuer": old.issuer, "notes": "恢复旧版本"}, follow=True)
    assert response.status_code == 200
    assert "已批准或已公布的清单不得修改" in response.content.decode()
    lst.refresh_from_db()
    assert lst.title == "新名称"
