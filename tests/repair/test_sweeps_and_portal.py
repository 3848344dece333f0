"""The clock: due dates around National Day 2026, reminders and escalation exactly once; the portal pages and the
repair notice; per-department statistics; the demo."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from credit_platform import roles
from credit_platform.models import Notification, SweepRun
from repair import services, sweeps
from repair.models import RepairApplication, RepairEvent, RepairNotice
from tests.repair import factories as f

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SH)


@pytest.fixture
def reviewer(make_official):
    return make_official("reviewer", roles.REPAIR_REVIEWER)


@pytest.fixture
def head(make_official):
    return make_official("head", roles.PLATFORM_ADMIN)


def submit(department, reviewer, when: datetime):
    record = f.record(department, decided_on=date(2025, 1, 15))
    return services.apply(record, applicant_name="李四", correction_statement="整改完毕",
                          commitment=services.commitment_text(record, "李四"), channel="paper", registered_by=reviewer, now=when)


def test_due_dates_across_national_day(department, reviewer):
    # received 00:30 on 30 September Beijing time (16:30 UTC on the 29th): received on the 30th
    app = submit(department, reviewer, datetime(2026, 9, 29, 16, 30, tzinfo=ZoneInfo("UTC")))
    assert app.accept_due == date(2026, 10, 10)  # 8, 9 Oct after the holiday, 10 Oct (an adjusted working Saturday)
    assert not app.provisional


def test_due_dates_exact(department, reviewer):
    app = submit(department, reviewer, at(date(2026, 9, 28)))
    assert app.accept_due == date(2026, 10, 8)
    accepted = services.accept(app, actor=reviewer, now=at(date(2026, 9, 30)))
    # 10 working days after 30 Sep: 8, 9, 10 (working Saturday), 12-16, 19, 20 Oct
    assert accepted.decision_due == date(2026, 10, 20)


def test_late_acceptance_does_not_move_the_result_date(department, reviewer):
    app = submit(department, reviewer, at(date(2026, 9, 28)))
    accepted = services.accept(app, actor=reviewer, now=at(date(2026, 10, 14)))
    assert accepted.decision_due == services.add_working_days(date(2026, 10, 8), 10).date


def test_reminder_and_escalation_once_each(department, reviewer, head):
    app = submit(department, reviewer, at(date(2026, 9, 28)))  # accept_due 8 Oct
    # 30 Sep: the next working day is 8 Oct, within the one-working-day reminder window
    first = sweeps.remind_and_escalate(at(date(2026, 9, 30)))
    assert first["accept_reminded"] == 1
    again = sweeps.remind_and_escalate(at(date(2026, 9, 30), 15))
    assert again["accept_reminded"] == 0
    assert Notification.objects.filter(user=reviewer, title__contains="即将到受理期限").count() == 1
    late = sweeps.remind_and_escalate(at(date(2026, 10, 12)))
    assert late["accept_escalated"] == 1
    assert sweeps.remind_and_escalate(at(date(2026, 10, 13)))["accept_escalated"] == 0
    assert Notification.objects.filter(user=head, title="信用修复申请受理逾期").count() == 1
    assert RepairEvent.objects.filter(application=app, kind="escalated").count() == 1

    accepted = services.accept(app, actor=reviewer, now=at(date(2026, 10, 12)))
    due = accepted.decision_due
    assert sweeps.remind_and_escalate(at(due))["decision_reminded"] == 1
    day_after = due + timedelta(days=1)
    assert sweeps.remind_and_escalate(at(day_after))["decision_escalated"] == 1
    assert sweeps.remind_and_escalate(at(day_after))["decision_escalated"] == 0


def test_a_missed_week_is_caught_up(department, reviewer):
    for _ in range(3):
        submit(department, reviewer, at(date(2026, 9, 28)))
    assert sweeps.remind_and_escalate(at(date(2026, 11, 2)))["accept_escalated"] == 3


def test_management_command_and_sweep_log(department, reviewer):
    submit(department, reviewer, at(date(2026, 9, 28)))
    out = StringIO()
    call_command("run_repair_sweeps", stdout=out)
    assert "repair_deadlines" in out.getvalue() and "repair_outbox" in out.getvalue()
    assert SweepRun.objects.filter(name="repair_deadlines").exists()


def test_notice_rows_created_for_every_dishonesty_record(department):
    f.record(department)
    f.record(department, category="trust")
    sweeps.remind_and_escalate()
    assert RepairNotice.objects.count() == 1
    sweeps.remind_and_escalate()
    assert RepairNotice.objects.count() == 1


def test_notice_sweep_reads_only_records_past_its_watermark(department):
    """The hourly sweep does not compare every record with every notice (10M rows each at scale): it looks at the
    records past its watermark, which moves only past records whose pushes have certainly committed."""
    from records.models import Record

    old = f.record(department)
    Record.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(hours=1))
    fresh = f.record(department)
    call_command("run_repair_sweeps", stdout=StringIO())
    assert set(RepairNotice.objects.values_list("record_id", flat=True)) == {old.pk, fresh.pk}
    run = SweepRun.objects.filter(name="repair_deadlines").latest("id")
    assert run.detail["notices_watermark"] == str(old.pk)  # the fresh record's push could still be open

    RepairNotice.objects.filter(record_id=old.pk).delete()  # behind the watermark: no longer looked at
    late = f.record(department)
    call_command("run_repair_sweeps", stdout=StringIO())
    assert set(RepairNotice.objects.values_list("record_id", flat=True)) == {fresh.pk, late.pk}


def test_recompute_provisional(department, reviewer):
    app = submit(department, reviewer, at(date(2026, 9, 28)))
    RepairApplication.objects.filter(pk=app.pk).update(provisional=True, accept_due=date(2026, 10, 1))
    assert services.recompute_provisional(2026) == 1
    app.refresh_from_db()
    assert app.accept_due == date(2026, 10, 8) and not app.provisional


# --- portal ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def logged_in(client, citizen):
    client.force_login(citizen)
    return client


def test_portal_apply_and_follow(department, citizen, act_for, logged_in, reviewer):
    record = f.record(department, decided_on=date(2025, 1, 15))
    act_for(citizen, record.subject)
    index = logged_in.get("/repair/")
    assert index.status_code == 200 and record.source_ref in index.content.decode()
    page = logged_in.get(f"/repair/records/{record.pk}/apply/")
    assert page.status_code == 200 and "信用承诺书" in page.content.decode()
    response = logged_in.post(f"/repair/records/{record.pk}/apply/", {
        "correction_statement": "已缴纳罚款", "sign": "1", "evidence_correction": f.pdf(),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    app = RepairApplication.objects.get()
    assert app.applicant == citizen and app.commitment_signed_by == citizen and app.status == "submitted"
    detail = logged_in.get(response["Location"])
    assert detail.status_code == 200 and app.number in detail.content.decode()
    evidence = app.evidence.get()
    download = logged_in.get(f"/repair/evidence/{evidence.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_portal_refuses_another_citizen(department, citizen, other_citizen, act_for, client):
    record = f.record(department, decided_on=date(2025, 1, 15))
    act_for(citizen, record.subject)
    client.force_login(other_citizen)
    assert client.get(f"/repair/records/{record.pk}/apply/").status_code == 404
    assert client.get(f"/repair/records/{record.pk}/notice/").status_code == 404


def test_repair_notice_shows_conditions_and_earliest_date_and_records_delivery(department, citizen, act_for, logged_in, settings):
    settings.CREDIT_POLICY = "fuzhou"
    record = f.record(department, decided_on=date(2026, 10, 15), severity="severe")
    act_for(citizen, record.subject)
    page = logged_in.get(f"/repair/records/{record.pk}/notice/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "信用修复告知书" in text and "2027年10月16日" in text
    assert "主动纠正失信行为且不良影响基本消除" in text  # Fuzhou art. 21 conditions
    notice = RepairNotice.objects.get(record=record)
    assert notice.first_delivered_at is not None and notice.delivered_to == citizen
    first = notice.first_delivered_at
    logged_in.get(f"/repair/records/{record.pk}/notice/")
    notice.refresh_from_db()
    assert notice.first_delivered_at == first


def test_repair_notice_pdf(department, citizen, act_for, logged_in, tmp_path):
    import shutil
    import subprocess

    record = f.record(department)
    act_for(citizen, record.subject)
    response = logged_in.get(f"/repair/records/{record.pk}/notice/?format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    from disclosure.fonts import cjk_font_path

    if shutil.which("pdffonts") and cjk_font_path():
        path = tmp_path / "notice.pdf"
        path.write_bytes(response.content)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = [line for line in fonts.splitlines()[2:] if line.strip()]
        assert rows and all(" yes " in line for line in rows), fonts  # every font embedded
        assert any("WenQuanYi" in line for line in rows), fonts


def test_stats(department, reviewer, make_official, client):
    app = submit(department, reviewer, at(date(2026, 9, 28)))
    services.refuse(app, actor=reviewer, reason="非认定单位")
    submit(department, reviewer, at(date(2026, 9, 28)))
    from repair.stats import department_stats

    rows = department_stats(RepairApplication.objects.all())
    assert rows[0]["total"] == 2 and rows[0]["refused"] == 1 and rows[0]["open"] == 1
    admin = make_official("boss", roles.PLATFORM_ADMIN, superuser=True)
    client.force_login(admin)
    from django.test import override_settings

    with override_settings(OTP_REQUIRED=False):
        response = client.get("/admin/repair/departmentrepairstats/")
    assert response.status_code in (200, 302)


def test_demo_is_idempotent(db):
    from credit_platform import demo as platform_demo

    platform_demo.populate(StringIO())
    from repair import demo

    demo.populate(StringIO())
    count = RepairApplication.objects.count()
    demo.populate(StringIO())
    assert RepairApplication.objects.count() == count


def test_demo_tells_one_story_with_the_disclosure_demo(db):
    """The repair cases belong to the disclosure demo's enterprise (found by code), never to a second one."""
    from credit_platform import demo as platform_demo
    from credit_platform.identifiers import make_uscc
    from disclosure.demo import ENERGY
    from records.models import Record, Subject
    from repair import demo

    assert demo.ENERGY_CODE == make_uscc("650200", ENERGY[1]) == demo._energy_code()
    platform_demo.populate(StringIO())
    energy = Subject.objects.create(code_type="uscc", code=demo.ENERGY_CODE, type="legal_person", name=ENERGY[0])
    demo.populate(StringIO())
    demo.populate(StringIO())
    assert Subject.objects.filter(name=ENERGY[0]).count() == 1
    assert not Subject.objects.filter(code=demo.OLD_DEMO_CODE).exists()
    assert set(Record.objects.filter(source_ref__in=demo.DEMO_REFS).values_list("subject_id", flat=True)) == {energy.pk}
    assert set(RepairApplication.objects.values_list("subject_id", flat=True)) == {energy.pk}
    assert Record.objects.filter(source_ref__in=demo.DEMO_REFS, window__isnull=False).count() == 4


@time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=SH), tick=True)  # the demo's 2025 cases, on a fixed day
def test_demo_moves_the_cases_of_an_earlier_version_to_the_shared_enterprise(db):
    from credit_platform import demo as platform_demo
    from credit_platform.models import Department
    from records.models import Record, Subject
    from repair import demo

    platform_demo.populate(StringIO())
    old = Subject.objects.create(code_type="uscc", code=demo.OLD_DEMO_CODE, type="legal_person", name="克拉玛依示例能源有限公司")
    item = f.catalog_item()
    decided = timezone.localdate() - timedelta(days=300)  # inside the 12-month maximum (Karamay 33 → Order 36)
    Record.objects.create(subject=old, catalog_item=item, category="dishonesty", severity="general",
                          source_department=Department.objects.get(code="SCJG"), source_ref="REPAIR-DEMO-1",
                          basis_number="克市监罚〔2025〕1号", basis_issuer="市市场监督管理局", basis_issued_on=decided,
                          decided_on=decided, public_from=decided)
    demo.populate(StringIO())
    assert not Subject.objects.filter(code=demo.OLD_DEMO_CODE).exists()
    assert Record.objects.get(source_ref="REPAIR-DEMO-1").subject.code == demo.ENERGY_CODE
    assert Subject.objects.filter(name="克拉玛依示例能源有限公司").count() == 1
