"""The objection work page: only the steps the case's state allows, a correction form built from the
record's content schema (no JSON), messages that say what happened and what comes next, no change path for the
auditor."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from credit_platform import roles
from objections import rules, services
from objections.models import Objection

pytestmark = pytest.mark.django_db

STEP = re.compile(r'id="step-([a-z]+)"')


@pytest.fixture
def admin_client(client, handler, settings):
    settings.OFFICIAL_OTP_REQUIRED = False
    handler.first_name, handler.last_name = "王晓明", ""
    handler.password_changed_at = timezone.now()
    handler.save(update_fields=["first_name", "last_name", "password_changed_at"])
    client.force_login(handler)
    return client


@pytest.fixture
def case(record, handler, frozen):
    frozen("2026-09-30 11:00")
    return services.file_objection(records=[record], ground="inaccurate", statement="罚款金额有误", actor=handler,
                                   channel="counter", handling_department=handler.department, applicant_name="甲")


def work(objection):
    return reverse("admin:objections_objection_handle", args=[objection.pk])


def offered(client, objection) -> set[str]:
    response = client.get(work(objection))
    assert response.status_code == 200
    return set(STEP.findall(response.content.decode()))


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_each_state_offers_exactly_its_steps(admin_client, case, handler, frozen):
    # Karamay: no pause (no activities that stop the clock), an extension up to 15 working days (art. 34).
    assert offered(admin_client, case) == {"mark", "review", "assign", "assistance", "extend", "decide"}
    services.mark(case, actor=handler)
    assert offered(admin_client, case) == {"review", "assign", "assistance", "extend", "decide"}
    services.start_review(case, actor=handler)
    assert offered(admin_client, case) == {"assign", "assistance", "extend", "decide"}
    services.decide(case, outcome="unchanged", reasons="记录无误", actor=handler)
    response = admin_client.get(work(case))
    assert STEP.findall(response.content.decode()) == []
    assert "已结案，没有可办理的事项" in response.content.decode()


def test_the_page_agrees_with_the_rules(admin_client, case, handler, frozen):
    frozen("2026-10-01 09:00")
    allowed = rules.allowed_actions(case, handler, today=timezone.now().date())
    assert offered(admin_client, case) == set(allowed)


def test_a_step_the_state_no_longer_allows_is_refused_in_the_cases_terms(admin_client, case, handler):
    services.mark(case, actor=handler)
    response = admin_client.post(work(case), {"step": "mark", "mark-note": ""}, follow=True)
    text = " ".join(messages_of(response))
    assert f"异议 {case.number} 已于" in text and "无需再标注" in text
    assert "已办理。" not in text


def test_messages_say_what_happened_and_what_comes_next(admin_client, case):
    response = admin_client.post(work(case), {"step": "review", "review-note": "调取处罚决定书"}, follow=True)
    case.refresh_from_db()
    assert case.status == "under_review"
    text = " ".join(messages_of(response))
    assert "已开始核查，承办人：王晓明" in text and "下一步：" in text and case.decision_due.isoformat() in text


def test_the_correction_form_is_built_from_the_content_schema(admin_client, case, record):
    html = admin_client.get(work(case)).content.decode()
    assert "<记录ID>" not in html and "&lt;记录ID&gt;" not in html and "null" not in html
    # one typed input per schema field, prefilled with the record's current value
    assert re.search(rf'<input type="number"[^>]*name="decide-r{record.pk}_\d+"[^>]*value="2(\.0)?"', html)
    assert 'type="date"' in html and 'value="2026-03-02"' in html
    assert "决定书文号" in html and 'value="克市监罚〔2026〕12号"' in html


def decide_payload(form, record, changes: dict, outcome="corrected"):
    """The decision form as the browser submits it: every field at its prefilled value, ``changes`` applied."""
    data = {"step": "decide", "decide-outcome": outcome, "decide-reasons": "经核实，罚款金额录入有误"}
    for name, field in form.fields.items():
        if name.startswith(f"r{record.pk}_"):
            value = field.initial
            data[f"decide-{name}"] = "" if value is None else str(value)
    for label, value in changes.items():
        name = next(n for n, f in form.fields.items() if f.label == label)
        data[f"decide-{name}"] = value
    return data


def the_form(admin_client, case):
    return admin_client.get(work(case)).context["forms"]["decide"]


def test_a_correction_changes_only_the_edited_field_through_the_service(admin_client, case, record):
    before = dict(record.content)
    payload = decide_payload(the_form(admin_client, case), record, {"罚款金额（万元）": "1.5", "处罚内容": "罚款人民币1.5万元"})
    response = admin_client.post(work(case), payload, follow=True)
    case.refresh_from_db()
    record.refresh_from_db()
    assert case.status == "decided" and case.outcome == "corrected"
    assert record.content["罚款金额（万元）"] == 1.5 and record.content["处罚内容"] == "罚款人民币1.5万元"
    assert {k: v for k, v in record.content.items() if k not in ("罚款金额（万元）", "处罚内容")} == \
        {k: v for k, v in before.items() if k not in ("罚款金额（万元）", "处罚内容")}
    item = case.items.get()
    assert item.correction == {"content": {"罚款金额（万元）": 1.5, "处罚内容": "罚款人民币1.5万元"}}
    text = " ".join(messages_of(response))
    assert "已作出异议处理决定：予以更正。系统已更正记录" in text and "下一步：无" in text


@pytest.mark.parametrize(("changes", "error"), [
    ({"决定书文号": ""}, "“决定书文号”为必填项，不能清空。"),
    ({"处罚机关统一社会信用代码": "123"}, "“处罚机关统一社会信用代码”格式不正确。"),
    ({"罚款金额（万元）": "-1"}, "0"),
    ({"处罚决定日期": "2026-02-30"}, "日期"),
    ({}, "请至少修改一项记录内容"),
])
def test_bad_corrections_are_refused_next_to_the_field(admin_client, case, record, changes, error):
    before = dict(record.content)
    response = admin_client.post(work(case), decide_payload(the_form(admin_client, case), record, changes))
    assert response.status_code == 200
    form = response.context["forms"]["decide"]
    assert not form.is_valid()
    if changes:
        name = next(n for n, f in form.fields.items() if f.label == next(iter(changes)))
        assert any(error in e for e in form.errors[name]), form.errors
    else:
        assert any(error in e for e in form.non_field_errors())
    case.refresh_from_db()
    record.refresh_from_db()
    assert case.is_open and record.content == before


def test_unchanged_needs_no_correction_and_keeps_the_record(admin_client, case, record):
    before = dict(record.content)
    payload = decide_payload(the_form(admin_client, case), record, {}, outcome="unchanged")
    response = admin_client.post(work(case), payload, follow=True)
    case.refresh_from_db()
    record.refresh_from_db()
    assert case.outcome == "unchanged" and record.content == before
    assert "已作出异议处理决定：不予变更。记录不变" in " ".join(messages_of(response))


def test_assignees_are_listed_by_name_and_department(admin_client, case, handler):
    html = admin_client.get(work(case)).content.decode()
    assign = html.split('id="step-assign"')[1].split("</form>")[0]
    assert f"王晓明（{handler.department.name}）" in assign and ">handler<" not in assign


@pytest.fixture
def auditor_client(client, make_official, settings):
    settings.OFFICIAL_OTP_REQUIRED = False
    auditor = make_official("auditor", roles.AUDITOR)
    auditor.password_changed_at = timezone.now()
    auditor.save(update_fields=["password_changed_at"])
    client.force_login(auditor)
    return client


def test_the_auditor_sees_a_view_page_without_a_change_path(auditor_client, case):
    assert case.number in auditor_client.get(reverse("admin:objections_objection_changelist")).content.decode()
    page = auditor_client.get(reverse("admin:objections_objection_change", args=[case.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "查看 异议" in html
    assert "修改 异议" not in html and work(case) not in html
    refused = auditor_client.get(work(case))
    assert refused.status_code == 403 and "无权访问" in refused.content.decode()
    posted = auditor_client.post(work(case), {"step": "mark", "mark-note": ""})
    assert posted.status_code == 403
    assert Objection.objects.get(pk=case.pk).status == "received"


def test_number_fields_keep_whole_numbers_whole(admin_client, case, record):
    """A whole amount stays an integer in the content (what the schema and the push API expect)."""
    payload = decide_payload(the_form(admin_client, case), record, {"罚款金额（万元）": "3"})
    admin_client.post(work(case), payload)
    record.refresh_from_db()
    assert record.content["罚款金额（万元）"] == 3 and isinstance(record.content["罚款金额（万元）"], int)
    assert Decimal(str(record.content["罚款金额（万元）"])) == Decimal(3)
