"""The repair work page: only the steps the application's state allows (not a seven-item dropdown),
the eligibility checks as a table, messages that say what happened and what comes next, reviewers by name,
the statute's title, and no change path for the auditor."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.messages import get_messages

from credit_platform import roles
from repair import rules, services
from tests.repair import factories as f

pytestmark = pytest.mark.django_db

STEP = re.compile(r'id="step-([a-z]+)"')


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.OFFICIAL_OTP_REQUIRED = False


@pytest.fixture
def reviewer(make_official, department):
    user = make_official("reviewer", roles.REPAIR_REVIEWER, department=department)
    user.first_name = "李娜"
    user.save(update_fields=["first_name"])
    return user


@pytest.fixture
def app(department, reviewer):
    record = f.record(department, decided_on=date(2025, 1, 15))
    return services.apply(record, applicant_name="李四", correction_statement="已缴清罚款并整改",
                          commitment=services.commitment_text(record, "李四"), channel="paper", registered_by=reviewer)


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def work(app):
    return f"/admin/repair/repairapplication/{app.pk}/review/"


def offered(client, app) -> set[str]:
    response = client.get(work(app))
    assert response.status_code == 200
    return set(STEP.findall(response.content.decode()))


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_each_state_offers_exactly_its_steps(reviewer_client, app, reviewer):
    assert offered(reviewer_client, app) == {"accept", "refuse", "terminate"}
    services.accept(app, actor=reviewer)
    assert offered(reviewer_client, app) == {"extend", "approve", "reject", "terminate"}
    services.extend(app, actor=reviewer, until=date(2099, 1, 1), reason="需要现场核查")
    assert offered(reviewer_client, app) == {"approve", "reject", "terminate"}
    services.decide(app, actor=reviewer, approve=True, reason="已履行处罚并承诺")
    assert offered(reviewer_client, app) == {"revoke"}
    services.revoke(app, actor=reviewer, ground="fraud", reason="材料系伪造")
    html = reviewer_client.get(work(app)).content.decode()
    assert STEP.findall(html) == [] and "已结案，没有可办理的事项" in html
    assert "<select" not in html  # no generic action dropdown


def test_approve_is_not_offered_for_a_record_that_does_not_qualify(reviewer_client, department, reviewer):
    record = f.record(department, decided_on=date(2025, 1, 15))
    application = services.apply(record, applicant_name="李四", correction_statement="已整改",
                                 commitment=services.commitment_text(record, "李四"), channel="paper",
                                 registered_by=reviewer)
    services.accept(application, actor=reviewer)
    record.catalog_item.__class__.objects.filter(pk=record.catalog_item_id).update(repairable=False)
    assert "approve" not in offered(reviewer_client, application)
    response = reviewer_client.post(work(application), {"action": "approve", "reason": "同意"}, follow=True)
    assert "不符合修复条件" in " ".join(messages_of(response))
    application.refresh_from_db()
    assert application.status == "accepted"


def test_the_page_agrees_with_the_rules(reviewer_client, app, reviewer):
    policy = services.policy_for(app)
    allowed = rules.allowed_actions(app, reviewer, policy=policy, eligibility=services.check_eligibility(app.record))
    assert offered(reviewer_client, app) == set(allowed)


def test_a_step_the_state_does_not_allow_says_why_in_the_cases_terms(reviewer_client, app):
    response = reviewer_client.post(work(app), {"action": "revoke", "ground": "", "reason": ""}, follow=True)
    text = " ".join(messages_of(response))
    assert f"申请 {app.number} 当前状态为“待受理”，不能撤销修复结果。" in text
    assert "撤销事由无效" not in text
    app.refresh_from_db()
    assert app.status == "submitted"


def test_messages_say_what_happened_and_what_comes_next(reviewer_client, app):
    response = reviewer_client.post(work(app), {"action": "accept", "reason": "材料齐全"}, follow=True)
    app.refresh_from_db()
    assert app.status == "accepted"
    text = " ".join(messages_of(response))
    assert f"已受理信用修复申请 {app.number}" in text and "下一步：" in text and app.decision_due.isoformat() in text
    assert "已办理。" not in text


def test_missing_input_is_refused_next_to_the_field(reviewer_client, app, reviewer):
    services.accept(app, actor=reviewer)
    response = reviewer_client.post(work(app), {"action": "approve", "reason": ""})
    assert response.status_code == 200
    form = next(x for x in response.context["forms"] if x.step == "approve")
    assert form.errors["reason"] == ["请填写理由。"]
    response = reviewer_client.post(work(app), {"action": "extend", "until": "2020-01-01", "reason": "复杂"})
    form = next(x for x in response.context["forms"] if x.step == "extend")
    assert form.errors["until"] == ["延长后的期限须晚于原办结期限。"]
    app.refresh_from_db()
    assert app.status == "accepted" and app.extended_due is None


def test_eligibility_is_a_readable_table_not_json(reviewer_client, app):
    html = reviewer_client.get(work(app)).content.decode()
    table = html.split('<table class="eligibility">')[1].split("</table>")[0]
    assert all(h in table for h in ("条件", "结果", "依据"))
    assert "属于失信信息" in table and "最短公示期已届满" in table and "符合" in table and "第二条" in table
    assert table.count("最短公示期已届满") == 1 and "作出信用承诺" in table  # the reviewer's own checks follow
    assert '"eligible"' not in html and "&quot;eligible&quot;" not in html and "{&#x27;" not in html
    change = reviewer_client.get(f"/admin/repair/repairapplication/{app.pk}/change/").content.decode()
    assert "&quot;eligible&quot;" not in change and '"reasons"' not in change and "收到时的资格审查" in change


def test_the_statute_title_and_names_not_codes_and_logins(reviewer_client, app, reviewer, department):
    html = reviewer_client.get(work(app)).content.decode()
    assert "克拉玛依市社会信用条例" in html and ">karamay<" not in html
    change = reviewer_client.get(f"/admin/repair/repairapplication/{app.pk}/change/").content.decode()
    assert "克拉玛依市社会信用条例" in change and ">karamay<" not in change
    assign = reviewer_client.get(f"/admin/repair/repairapplication/{app.pk}/assign/").content.decode()
    assert f"李娜（{department.name}）" in assign and ">reviewer<" not in assign
    response = reviewer_client.post(f"/admin/repair/repairapplication/{app.pk}/assign/", {"handler": reviewer.pk},
                                    follow=True)
    assert f"已指定承办人：李娜（{department.name}）" in " ".join(messages_of(response))
    listing = reviewer_client.get("/admin/repair/repairapplication/").content.decode()
    assert f"李娜（{department.name}）" in listing


def test_the_auditor_sees_a_view_page_without_a_change_path(client, make_official, app):
    client.force_login(make_official("auditor", roles.AUDITOR))
    assert app.number in client.get("/admin/repair/repairapplication/").content.decode()
    page = client.get(f"/admin/repair/repairapplication/{app.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200 and "修改 信用修复申请" not in html and work(app) not in html
    assert 'name="_save"' not in html
    refused = client.get(work(app))
    assert refused.status_code == 403 and "无权访问" in refused.content.decode()
    assert client.post(work(app), {"action": "accept", "reason": ""}).status_code == 403
    app.refresh_from_db()
    assert app.status == "submitted"


def test_the_queue_shows_the_deadlines_first_and_fewer_columns(reviewer_client, app):
    html = reviewer_client.get("/admin/repair/repairapplication/").content.decode()
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert head.index("收到") < head.index("受理期限") < head.index("办结期限") < head.index("信用主体")
    assert "申请渠道" not in head and "失信信息" not in head
