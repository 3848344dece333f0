"""/lists/mine/: a subject's own memberships, the prior notice and decision documents, and the statement-and-defence
form (the portal app's pages, on the sanctions namespace's URL names)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from credit_platform.models import User
from sanctions import services
from sanctions.models import Defence, SevereListEntry
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
