"""The Celery-enforced clock: sweeps that catch up, act once, and notify once (Issue 5 §4)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from credit_platform import roles
from credit_platform.models import SweepRun
from credit_platform.models.notifications import Notification
from objections import services, sweeps, tasks
from objections.models import Objection
from tests.objections.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(record, citizen, handler, head, frozen):
    frozen("2026-09-30 11:00")
    return services.file_objection(
        records=[record], ground="inaccurate", statement="记载有误", actor=citizen, channel="portal",
        applicant=citizen, handling_department=handler.department,
    )


def run_all(when: str, frozen):
    now = frozen(when)
    return sweeps.run_all(now)


def test_sweep_three_days_late_marks_and_escalates_exactly_once(received, record, handler, head, citizen, frozen):
    assert received.mark_due.isoformat() == "2026-10-09"
    # beat and the worker were down from 30 September; the first sweep runs on 12 October (three days late)
    first = run_all("2026-10-12 08:00", frozen)
    assert first["objections_marks"] == 2  # marked + mark escalated
    objection = Objection.objects.get(pk=received.pk)
    assert objection.status == "marked" and objection.marked_automatically
    assert objection.mark_escalated_at is not None and objection.escalated_at is not None
    record.refresh_from_db()
    assert record.disputed
    notes_after_first = Notification.objects.count()
    assert Notification.objects.filter(user=head, event_key=f"objection:{objection.pk}:escalate:mark").count() == 1
    # running again — twice — changes nothing and notifies nobody
    second = run_all("2026-10-12 08:10", frozen)
    third = run_all("2026-10-12 09:00", frozen)
    assert second["objections_marks"] == third["objections_marks"] == 0
    assert Notification.objects.count() == notes_after_first
    assert objection.events.filter(kind="auto_marked").count() == 1
    assert objection.events.filter(kind="escalated").count() == 1


def test_decision_overdue_escalated_once_even_three_days_late(received, head, handler, frozen):
    services.mark(received, actor=handler, now=at("2026-10-08 09:00"))
    assert received.decision_due.isoformat() == "2026-10-15"
    run_all("2026-10-18 02:00", frozen)
    objection = Objection.objects.get(pk=received.pk)
    assert objection.decision_escalated_at is not None
    assert Notification.objects.filter(event_key=f"objection:{objection.pk}:escalate:decision").count() == 2  # head + handler
    run_all("2026-10-19 02:00", frozen)
    assert Notification.objects.filter(event_key=f"objection:{objection.pk}:escalate:decision").count() == 2
    assert Objection.objects.overdue(at("2026-10-19 02:00").date()).filter(pk=objection.pk).exists()


def test_mark_on_the_due_day_is_in_time_and_not_escalated(received, frozen):
    run_all("2026-10-09 00:05", frozen)
    objection = Objection.objects.get(pk=received.pk)
    assert objection.status == "marked" and objection.marked_automatically
    assert objection.escalated_at is None


def test_staff_mark_first_means_sweep_does_nothing(received, handler, frozen):
    services.mark(received, actor=handler, now=at("2026-10-08 09:00"))
    result = run_all("2026-10-09 00:05", frozen)
    assert result["objections_marks"] == 0
    assert Objection.objects.get(pk=received.pk).marked_automatically is False


def test_compare_and_swap_only_one_claim_wins(received, frozen):
    now = frozen("2026-10-09 00:05")
    assert services.auto_mark(received.pk, now=now) is not None
    assert services.auto_mark(received.pk, now=now) is None


def test_reminders_once_per_due_date(received, handler, frozen):
    run_all("2026-10-08 08:30", frozen)  # mark due 9 Oct: one working day ahead
    key = f"objection:{received.pk}:remind:mark:20261009"
    assert Notification.objects.filter(user=handler, event_key=key).count() == 1
    run_all("2026-10-08 09:30", frozen)
    assert Notification.objects.filter(event_key__startswith=f"objection:{received.pk}:remind").count() == 1


def test_paused_objection_is_not_escalated(record, handler, head, frozen, settings, citizen):
    settings.CREDIT_POLICY = "heilongjiang"
    frozen("2026-09-30 11:00")
    objection = services.file_objection(records=[record], ground="inaccurate", statement="x", actor=handler,
                                        channel="counter", handling_department=handler.department,
                                        applicant_name="张伟")
    services.start_review(objection, actor=handler, now=at("2026-10-08 09:00"))
    services.pause(objection, activity="testing", reason="送检", actor=handler, now=at("2026-10-09 09:00"))
    run_all("2026-10-20 02:00", frozen)
    assert Objection.objects.get(pk=objection.pk).decision_escalated_at is None


def test_tasks_and_command_use_the_same_code_path(received, frozen):
    frozen("2026-10-12 08:00")
    assert tasks.sweep_marks.run() == 2
    assert SweepRun.objects.filter(name="objections_marks").count() == 1
    call_command("run_objection_sweeps", "--now", "2026-10-20T02:00:00+08:00")
    assert SweepRun.objects.filter(name="objections_escalations").exists()
    assert Objection.objects.get(pk=received.pk).decision_escalated_at is not None


def test_beat_schedule_lists_the_sweeps(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"objections.sweep_marks", "objections.sweep_escalations", "objections.sweep_reminders"} <= tasks_scheduled


def test_complaint_clock_under_heilongjiang(handler, head, settings, frozen):
    from objections import complaints

    settings.CREDIT_POLICY = "heilongjiang"
    frozen("2026-09-30 11:00")
    complaint = complaints.file_complaint(collector_name="某征信服务公司", statement="未经授权采集个人信息",
                                          complainant_name="张伟", actor=handler,
                                          handling_department=handler.department)
    assert complaint.reply_due.isoformat() == "2026-11-03"  # 20 working days after 30 September (10 Oct is worked)
    run_all("2026-11-05 02:00", frozen)
    run_all("2026-11-06 02:00", frozen)
    complaint.refresh_from_db()
    assert complaint.escalated_at is not None
    assert Notification.objects.filter(event_key=f"complaint:{complaint.pk}:escalate").count() == 2


def test_complaint_without_statutory_period_under_karamay(handler, frozen):
    from objections import complaints

    frozen("2026-09-30 11:00")
    complaint = complaints.file_complaint(collector_name="某公司", statement="投诉", complainant_name="张伟",
                                          actor=handler, handling_department=handler.department)
    assert complaint.reply_due is None
    run_all("2027-03-01 02:00", frozen)
    complaint.refresh_from_db()
    assert complaint.escalated_at is None


def test_assistance_overdue_escalated_to_the_assisting_head(record, handler, head, department, make_official,
                                                           frozen, settings):
    settings.CREDIT_POLICY = "heilongjiang"
    officer = make_official("officer", roles.DEPARTMENT_OFFICER, department=department)
    frozen("2026-09-30 11:00")
    objection = services.file_objection(records=[record], ground="inaccurate", statement="x", actor=handler,
                                        channel="counter", handling_department=handler.department, applicant_name="张伟")
    services.request_assistance(objection, department=department, question="请核实", actor=handler,
                                now=at("2026-09-30 12:00"))
    run_all("2026-10-12 02:00", frozen)  # answer was due 9 October
    assert Notification.objects.filter(user=officer, event_key__endswith=":escalate").count() == 1
    run_all("2026-10-13 02:00", frozen)
    assert Notification.objects.filter(user=officer, event_key__endswith=":escalate").count() == 1


def test_mark_restored_if_a_repush_clears_it(received, record, handler, frozen):
    services.mark(received, actor=handler, now=at("2026-10-08 09:00"))
    type(record).objects.filter(pk=record.pk).update(disputed=False)  # what a re-push does today
    result = sweeps.sweep_marks(frozen("2026-10-08 10:00"))
    assert result["mark_restored"] == 1
    record.refresh_from_db()
    assert record.disputed
    assert sweeps.sweep_marks(frozen("2026-10-08 10:10"))["mark_restored"] == 0


def test_mark_restored_only_for_marked_objections_and_selected_by_their_record_ids(received, record, department,
                                                                                   citizen, handler, frozen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.objections.conftest import make_record

    services.mark(received, actor=handler, now=at("2026-10-08 09:00"))
    unmarked = make_record(department)  # its objection is only received: nothing to restore
    services.file_objection(records=[unmarked], ground="inaccurate", statement="记载有误", actor=citizen,
                            channel="portal", applicant=citizen, handling_department=handler.department)
    bystander = make_record(department)  # never objected to
    type(record).objects.filter(pk__in=[record.pk, unmarked.pk, bystander.pk]).update(disputed=False)
    with CaptureQueriesContext(connection) as queries:
        assert sweeps.sweep_marks(frozen("2026-10-08 10:00"))["mark_restored"] == 1
    assert [r.disputed for r in type(record).objects.filter(pk__in=[record.pk, unmarked.pk, bystander.pk])
            .order_by("pk")] == [True, False, False]
    # the records to restore are claimed by their ids, read from the marked objections first: no join of the records
    # table with the objection items (PostgreSQL walked the records' primary key for it)
    claims = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'NOT "records_record"."disputed"' in q["sql"]]
    assert claims and all("objections_objectionrecord" not in sql for sql in claims)


def test_open_provider_correction_escalated_once(record, department, head, make_official, frozen):
    from datetime import date

    from records.models import RecordChange

    officer = make_official("officer", roles.DEPARTMENT_OFFICER, department=department)
    change = RecordChange.objects.create(record=record, department=department, kind=RecordChange.Kind.CORRECTION,
                                         reason="发现处罚金额录入错误", trigger_date=date(2026, 10, 8),
                                         due_on=date(2026, 10, 13), article="《黑龙江省社会信用条例》第五十二条")
    run_all("2026-10-12 08:30", frozen)  # one working day ahead: reminded
    assert Notification.objects.filter(user=officer, event_key=f"recordchange:{change.pk}:remind:20261013").count() == 1
    run_all("2026-10-16 02:00", frozen)
    run_all("2026-10-17 02:00", frozen)
    assert Notification.objects.filter(event_key=f"recordchange:{change.pk}:escalated_at").count() == 2  # officer + head
