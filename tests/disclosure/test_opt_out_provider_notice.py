"""Qufu art. 61: a trust-information opt-out is told to the providers (departments) of the records it withholds —
one recorded notice per provider, delivered through the notifications module."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from credit_platform import roles, workdays
from credit_platform.models import Notification, StatutoryNotice
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def calendar_2026(db):
    workdays.seed_calendar()
    workdays.invalidate_cache()
    yield
    workdays.invalidate_cache()


@time_machine.travel(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_qufu_61_each_provider_told_of_the_records_withheld(settings, world, citizen_user, login, department,
                                                             other_department, make_official, calendar_2026):
    settings.CREDIT_POLICY = "qufu"
    officer = make_official("scjg-officer", roles.DEPARTMENT_OFFICER, department=department)
    outsider = make_official("swj-officer-elsewhere", roles.DEPARTMENT_OFFICER, department=None)
    trust_item = world["trust"].catalog_item
    swj_trust = f.record(world["company"], trust_item, other_department, decided_on=date(2026, 3, 1))
    f.record(world["boss"], trust_item, department)  # someone else's trust record: not withheld, not told

    client = login(citizen_user(world["company"]))
    response = client.post("/my/trust-opt-out/", {"subject": world["company"].code})
    assert response.status_code == 302

    notices = {n.recipient_id: n for n in StatutoryNotice.objects.all()}
    assert set(notices) == {department.pk, other_department.pk}
    scjg, swj = notices[department.pk], notices[other_department.pk]
    assert "第六十一条" in scjg.article and scjg.duty == "trust_opt_out_provider"
    assert world["trust"].source_ref in scjg.body and swj_trust.source_ref not in scjg.body
    assert swj_trust.source_ref in swj.body
    assert "2026年10月09日" in scjg.body  # stop due: 30 Sep + 2 working days across 国庆 (8, 9 October)
    assert scjg.status == StatutoryNotice.Status.DELIVERED and scjg.recipients_notified == 1
    assert Notification.objects.filter(user=officer, event_key=scjg.notification_key).exists()
    assert not Notification.objects.filter(user=outsider).exists()
    assert swj.status == StatutoryNotice.Status.NO_RECIPIENT  # SWJ has no official on the platform

    # asking again while the opt-out stands notifies nobody twice
    client.post("/my/trust-opt-out/", {"subject": world["company"].code})
    assert StatutoryNotice.objects.count() == 2 and Notification.objects.filter(user=officer).count() == 1


@time_machine.travel(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_credit_centre_records_offline_delivery(settings, world, citizen_user, login, other_department, make_official,
                                                client):
    settings.CREDIT_POLICY = "qufu"
    f.record(world["company"], world["trust"].catalog_item, other_department)
    login(citizen_user(world["company"])).post("/my/trust-opt-out/", {"subject": world["company"].code})
    pending = StatutoryNotice.objects.get(recipient=other_department)
    client.force_login(make_official("centre", roles.PLATFORM_ADMIN, superuser=True))
    url = reverse("admin:credit_platform_statutorynotice_changelist")
    page = client.get(url).content.decode()
    assert "守信信息不公开：告知信息提供单位" in page and "待线下送达" in page
    empty = client.post(url, {"action": "mark_offline", "_selected_action": [pending.pk], "apply": "1", "note": ""})
    assert empty.status_code == 200 and 'class="errorlist"' in empty.content.decode()
    client.post(url, {"action": "mark_offline", "_selected_action": [pending.pk], "apply": "1",
                      "note": "公文交换 曲信〔2026〕5号"})
    pending.refresh_from_db()
    assert pending.status == StatutoryNotice.Status.OFFLINE and pending.offline_note.startswith("公文交换")


@pytest.mark.parametrize("code", ["karamay", "heilongjiang", "fuzhou", "zhangye"])
@time_machine.travel(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_profiles_without_the_duty_tell_nobody(settings, world, citizen_user, login, code):
    settings.CREDIT_POLICY = code
    login(citizen_user(world["company"])).post("/my/trust-opt-out/", {"subject": world["company"].code})
    assert not StatutoryNotice.objects.exists()
