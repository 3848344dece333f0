"""Portal: public lists, measure lists with comment, commitments, and a subject's own notices and defence form."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from credit_platform.models import User
from sanctions import services
from sanctions.models import Defence, MeasureComment, SevereListEntry

from tests.conftest import STRONG_PASSWORD
from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db


def notified(department, subject):
    rec = f.record(department, subject, severity="severe")
    entry = services.propose_severe_listing(
        subject, department=department, reasons="拒不履行生效判决", basis="《中华人民共和国民事诉讼法》", records=[rec],
        term_months=12, removal_conditions="履行义务", removal_procedure="申请移出", remedies="可以依法申请行政复议或者提起行政诉讼",
        actor="o")
    return services.send_prior_notice(entry, actor="o", notice_number="告-P1", defence_days=5)


@pytest.fixture
def agent(db):
    return User.objects.create_user(username="agent", password=STRONG_PASSWORD, kind=User.Kind.AGENT)


def link(user, subject):
    from accounts.models import SubjectLink

    SubjectLink.objects.create(user=user, code_type=subject.code_type, code=subject.code, name=subject.name,
                               role="agent" if subject.code_type == "uscc" else "self", verified_by="test")


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


def test_subject_sees_notice_and_defends_on_the_portal(client, agent, department):
    company = f.org("申辩示范有限公司")
    entry = notified(department, company)
    link(agent, company)
    client.force_login(agent)
    mine = client.get("/lists/mine/").content.decode()
    assert "申辩示范有限公司" in mine and "陈述申辩截止" in mine
    page = client.get(f"/lists/mine/severe/{entry.pk}/").content.decode()
    assert "拒不履行生效判决" in page and "提交陈述申辩" in page
    notice = client.get(f"/lists/mine/severe/{entry.pk}/notice.pdf")
    assert notice.status_code == 200 and notice["Content-Type"] == "application/pdf"
    response = client.post(f"/lists/mine/severe/{entry.pk}/", {"statement": "已全部履行判决义务", "evidence": "银行回单"})
    assert response.status_code == 302
    defence = Defence.objects.get()
    assert defence.entry == entry and defence.submitted_by == agent and defence.channel == "portal"
    # another user cannot see it
    other = User.objects.create_user(username="other", password=STRONG_PASSWORD, kind=User.Kind.AGENT)
    client.force_login(other)
    assert client.get(f"/lists/mine/severe/{entry.pk}/").status_code == 404


def test_decision_document_for_the_subject(client, agent, department):
    company = f.org()
    entry = notified(department, company)
    SevereListEntry.objects.filter(pk=entry.pk).update(defence_due=timezone.localdate() - timedelta(days=1))
    entry.refresh_from_db()
    services.decide_listing(entry, actor="o", decision_number="决-P1")
    link(agent, company)
    client.force_login(agent)
    response = client.get(f"/lists/mine/severe/{entry.pk}/decision.pdf")
    assert response.status_code == 200 and response.content[:4] == b"%PDF"


def test_anonymous_is_sent_to_login(client):
    response = client.get("/lists/mine/")
    assert response.status_code == 302
