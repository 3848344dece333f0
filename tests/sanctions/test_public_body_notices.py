"""Heilongjiang art. 44 para. 2: a listed state organ, public institution or state-owned enterprise is reported to its
superior body and the audit body; listed staff to their employer, the supervisory body and the personnel department
— each notice recorded with its delivery status."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from credit_platform import roles
from credit_platform.models import Department, Notification, StatutoryNotice
from sanctions import services
from sanctions.models import PublicBody, SevereListEntry
from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def bodies(db, make_official):
    sasac = Department.objects.create(code="GZW", name="市国有资产监督管理委员会")
    audit = Department.objects.create(code="SJJ", name="市审计局")  # no official on the platform yet
    supervision = Department.objects.create(code="JW", name="市监察委员会")
    officer = make_official("gzw-officer", roles.DEPARTMENT_OFFICER, department=sasac)
    jw_officer = make_official("jw-officer", roles.DEPARTMENT_OFFICER, department=supervision)
    return dict(sasac=sasac, audit=audit, supervision=supervision, officer=officer, jw_officer=jw_officer)


def _list(department, subject, with_record=True):
    rec = f.record(department, subject, severity="severe", decided_on=date(2026, 9, 1))
    entry = services.propose_severe_listing(
        subject, department=department, reasons="拖欠中小企业账款且拒不履行生效判决", basis="依据", records=[rec],
        measures=[], term_months=24, removal_conditions="履行义务满一年", removal_procedure="申请移出",
        remedies="行政复议或者行政诉讼", actor="officer",
    )
    services.send_prior_notice(entry, actor="officer", notice_number="黑告〔2026〕1号", defence_days=5)
    SevereListEntry.objects.filter(pk=entry.pk).update(defence_due=date(2026, 9, 30))
    entry.refresh_from_db()
    return services.decide_listing(entry, actor="officer", decision_number="黑决〔2026〕1号")


@time_machine.travel(datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_heilongjiang_44_listed_soe_reported_to_superior_and_audit(settings, department, bodies):
    settings.CREDIT_POLICY = "heilongjiang"
    soe = f.org("哈尔滨示例国有建设集团有限公司")
    PublicBody.objects.create(subject=soe, kind=PublicBody.Kind.STATE_OWNED_ENTERPRISE, superior=bodies["sasac"],
                              audit_body=bodies["audit"])
    entry = _list(department, soe)
    notices = {n.duty: n for n in StatutoryNotice.objects.filter(source=f"sanctions.severelistentry:{entry.pk}")}
    assert set(notices) == {"hlj44_superior", "hlj44_audit"}
    superior, audit = notices["hlj44_superior"], notices["hlj44_audit"]
    assert "第四十四条" in superior.article and superior.sender == department
    assert superior.recipient == bodies["sasac"] and superior.status == StatutoryNotice.Status.DELIVERED
    assert "黑决〔2026〕1号" in superior.body and "国有企业" in superior.body
    assert Notification.objects.filter(user=bodies["officer"], event_key=superior.notification_key).exists()
    assert audit.recipient == bodies["audit"] and audit.status == StatutoryNotice.Status.NO_RECIPIENT


@time_machine.travel(datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_heilongjiang_44_listed_staff_reported_to_employer_supervision_and_personnel(settings, department, bodies):
    settings.CREDIT_POLICY = "heilongjiang"
    institution = f.org("某市疾病预防控制中心")
    own = Department.objects.create(code="CDC", name="市疾病预防控制中心")
    PublicBody.objects.create(subject=institution, kind=PublicBody.Kind.PUBLIC_INSTITUTION, own_department=own,
                              supervisory_body=bodies["supervision"], personnel_body_name="市委组织部")
    staff = f.person("赵六")
    f.related(institution, staff, "principal")
    former = f.org("某区财政局")
    PublicBody.objects.create(subject=former, kind=PublicBody.Kind.STATE_ORGAN)
    old_post = f.related(former, staff, "principal")
    old_post.until = date(2026, 10, 8) - timedelta(days=365)  # left long before the listing: not told
    old_post.save()
    entry = _list(department, staff)
    notices = {n.duty: n for n in StatutoryNotice.objects.filter(source=f"sanctions.severelistentry:{entry.pk}")}
    assert set(notices) == {"hlj44_employer", "hlj44_supervisory", "hlj44_personnel"}
    assert notices["hlj44_employer"].recipient == own
    assert notices["hlj44_employer"].status == StatutoryNotice.Status.NO_RECIPIENT  # CDC has no official account
    assert notices["hlj44_supervisory"].status == StatutoryNotice.Status.DELIVERED
    assert notices["hlj44_personnel"].recipient is None and notices["hlj44_personnel"].recipient_name == "市委组织部"
    assert "赵六" in notices["hlj44_employer"].body and "主要负责人" in notices["hlj44_employer"].body


@time_machine.travel(datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_private_company_and_other_profiles_send_nothing(settings, department, bodies):
    """Only public bodies, and only where the profile has the duty (Karamay sets none)."""
    settings.CREDIT_POLICY = "heilongjiang"
    _list(department, f.org("民营示例有限公司"))
    assert not StatutoryNotice.objects.exists()
    settings.CREDIT_POLICY = "karamay"
    soe = f.org("克拉玛依示例国有公司")
    PublicBody.objects.create(subject=soe, kind=PublicBody.Kind.STATE_OWNED_ENTERPRISE, superior=bodies["sasac"])
    _list(department, soe)
    assert not StatutoryNotice.objects.exists()
