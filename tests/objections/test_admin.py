"""Officials' queue by due date with overdue/due-today highlighted, handling page, on-time rates, intake."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from objections import services
from objections.models import Complaint, Objection
from tests.objections.conftest import at
from tests.objections.factories import make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, handler, settings):
    settings.OFFICIAL_OTP_REQUIRED = False
    handler.password_changed_at = timezone.now()
    handler.save(update_fields=["password_changed_at"])
    client.force_login(handler)
    return client


@pytest.fixture
def queue(record, department, handler, frozen):
    frozen("2026-09-30 11:00")
    late = services.file_objection(records=[record], ground="inaccurate", statement="a", actor=handler,
                                   channel="counter", handling_department=handler.department, applicant_name="甲")
    services.mark(late, actor=handler)
    frozen("2026-10-13 11:00")
    today = services.file_objection(records=[make_record(department)], ground="privacy", statement="b", actor=handler,
                                    channel="post", handling_department=handler.department, applicant_name="乙",
                                    received_at=at("2026-10-09 10:00"))
    return late, today


def test_queue_orders_by_due_date_and_highlights(admin_client, queue, frozen):
    frozen("2026-10-20 09:00")
    late, _ = queue
    # a handler who follows the link from a notification lands here
    response = admin_client.get(reverse("admin:objections_objection_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "逾期" in html and late.number in html
    overdue = admin_client.get(reverse("admin:objections_objection_changelist") + "?deadline=overdue").content.decode()
    assert late.number in overdue
    rows = list(Objection.objects.order_by("decision_due", "mark_due", "pk"))
    assert html.index(rows[0].number) < html.index(rows[1].number)


def test_due_today_filter(admin_client, queue, frozen):
    frozen("2026-10-12 09:00")
    _, today = queue
    assert today.mark_due.isoformat() == "2026-10-12"  # received Fri 9 Oct; Sat 10 Oct is worked
    html = admin_client.get(reverse("admin:objections_objection_changelist") + "?deadline=today").content.decode()
    assert today.number in html and "今日到期" in html


def test_filters_by_status_and_ground(admin_client, queue):
    html = admin_client.get(reverse("admin:objections_objection_changelist") + "?ground__exact=privacy").content.decode()
    late, today = queue
    assert today.number in html and late.number not in html


def test_change_page_shows_full_timeline(admin_client, queue):
    late, _ = queue
    html = admin_client.get(reverse("admin:objections_objection_change", args=[late.pk])).content.decode()
    assert "办理过程" in html and "受理" in html and "异议标注" in html


def test_handle_page_decides(admin_client, queue, record, frozen):
    frozen("2026-10-14 09:00")
    late, _ = queue
    url = reverse("admin:objections_objection_handle", args=[late.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"step": "decide", "decide-outcome": "unchanged", "decide-reasons": "无误"})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == "decided" and late.decided_on_time is True
    record.refresh_from_db()
    assert not record.disputed


def test_on_time_rates(admin_client, queue, frozen):
    late, _ = queue
    services.decide(late, outcome="unchanged", reasons="无误", actor=None, now=at("2026-10-20 09:00"))
    html = admin_client.get(reverse("admin:objections_objection_on_time")).content.decode()
    assert "按期办结率" in html and "0.0%" in html


def test_counter_registration(admin_client, record, frozen):
    frozen("2026-10-01 09:00")
    url = reverse("admin:objections_objection_register")
    assert admin_client.get(url).status_code == 200
    future = admin_client.post(url, {"records": str(record.pk), "ground": "inaccurate", "statement": "有误",
                                     "channel": "post", "received_at": "2026-10-05 09:00", "applicant_name": "张伟"})
    assert future.status_code == 200 and "不能晚于当前时间" in future.content.decode()
    response = admin_client.post(url, {"records": f"{record.source_department.code}:{record.source_ref}",
                                       "ground": "inaccurate", "statement": "有误", "channel": "post",
                                       "received_at": "2026-09-30 10:00", "applicant_name": "张伟"})
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.mark_due.isoformat() == "2026-10-09" and objection.channel == "post"


def test_complaint_admin(admin_client, handler, frozen):
    frozen("2026-09-30 11:00")
    response = admin_client.post(reverse("admin:objections_complaint_add"), {
        "collector_name": "某征信公司", "statement": "违规采集", "complainant_name": "张伟", "received_at": "2026-09-30 10:00",
    })
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert admin_client.get(reverse("admin:objections_complaint_changelist")).status_code == 200
    response = admin_client.post(reverse("admin:objections_complaint_answer", args=[complaint.pk]), {"answer": "已责令改正"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "answered"


def test_auditor_sees_no_handling_forms(client, make_official, queue, settings, department):
    from credit_platform import roles

    settings.OFFICIAL_OTP_REQUIRED = False
    officer = make_official("officer2", roles.DEPARTMENT_OFFICER, department=department)
    officer.password_changed_at = timezone.now()
    officer.save(update_fields=["password_changed_at"])
    client.force_login(officer)
    late, _ = queue
    assert client.get(reverse("admin:objections_objection_changelist")).status_code == 200
    assert client.get(reverse("admin:objections_objection_handle", args=[late.pk])).status_code == 403


def test_open_cases_come_before_closed_ones_and_handlers_by_name(admin_client, queue, frozen, handler):
    """Issue 18: a closed case never sits between overdue and open ones; the 承办人 column shows people by name."""
    frozen("2026-10-20 09:00")
    late, today = queue
    services.withdraw(late, actor=handler, reason="已自行核实")  # the earliest deadline, but closed now
    handler.first_name, handler.last_name = "晓明", "王"
    handler.save(update_fields=["first_name", "last_name"])
    Objection.objects.filter(pk=today.pk).update(assigned_to=handler)
    html = admin_client.get(reverse("admin:objections_objection_changelist")).content.decode()
    assert html.index(today.number) < html.index(late.number)
    head = html.split("<thead>")[1].split("</thead>")[0]
    # the deadline columns come right after the number, before the long text columns; the ground is a filter now
    assert head.index("答复期限") < head.index("信用主体") < head.index("承办人")
    assert "异议事由" not in head
    assert handler.get_full_name() in html


def test_the_case_page_names_the_statute_not_the_profile_code(admin_client, queue):
    late, _ = queue
    html = admin_client.get(reverse("admin:objections_objection_change", args=[late.pk])).content.decode()
    assert "克拉玛依市社会信用条例" in html and ">karamay<" not in html
