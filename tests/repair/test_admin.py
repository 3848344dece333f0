"""Officials work in the admin: the queue scoped to their department, the review page with reasons, the dead-letter
view's retry action, the statistics page, the non-repairable marking form."""

from __future__ import annotations

from datetime import date

import pytest

from credit_platform import roles
from repair import services
from repair.models import NonRepairableMarking, OutboxDelivery, OutboxEvent, RepairApplication, Subscription
from tests.repair import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.OFFICIAL_OTP_REQUIRED = False


def paper(department, registrar):
    record = f.record(department, decided_on=date(2025, 1, 15))
    return services.apply(record, applicant_name="李四", correction_statement="整改完毕",
                          commitment=services.commitment_text(record, "李四"), channel="paper", registered_by=registrar)


def test_reviewer_decides_in_the_admin_with_reasons(department, make_official, client):
    reviewer = make_official("reviewer", roles.REPAIR_REVIEWER)
    app = paper(department, reviewer)
    client.force_login(reviewer)
    assert client.get("/admin/repair/repairapplication/").status_code == 200
    change = client.get(f"/admin/repair/repairapplication/{app.pk}/change/")
    assert change.status_code == 200 and "办理</a>" in change.content.decode()
    url = f"/admin/repair/repairapplication/{app.pk}/review/"
    assert client.get(url).status_code == 200
    client.post(url, {"action": "accept", "reason": "材料齐全"})
    app.refresh_from_db()
    assert app.status == "accepted"
    client.post(url, {"action": "approve", "reason": ""})  # refused without a reason
    app.refresh_from_db()
    assert app.status == "accepted"
    client.post(url, {"action": "approve", "reason": "已履行处罚并承诺"})
    app.refresh_from_db()
    assert app.status == "approved" and app.decided_by == reviewer
    assert app.history.count() >= 3


def test_officer_of_another_department_sees_nothing(department, other_department, make_official, client):
    reviewer = make_official("reviewer", roles.REPAIR_REVIEWER)
    app = paper(department, reviewer)
    stranger = make_official("stranger", roles.REPAIR_REVIEWER, department=other_department)
    client.force_login(stranger)
    assert client.get(f"/admin/repair/repairapplication/{app.pk}/review/").status_code in (302, 404)
    assert app.number not in client.get("/admin/repair/repairapplication/").content.decode()


def test_dead_letter_retry_action(department, make_official, client):
    admin_user = make_official("boss", roles.PLATFORM_ADMIN)
    sub = Subscription.objects.create(name="A", scope="all", url="http://127.0.0.1:9/x")
    event = OutboxEvent.objects.create(kind="repaired", record_id=1)
    delivery = OutboxDelivery.objects.create(event=event, subscription=sub, status="dead", attempts=8)
    client.force_login(admin_user)
    assert client.get("/admin/repair/deadletter/").status_code == 200
    client.post("/admin/repair/deadletter/", {"action": "retry", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 0


def test_stats_page(department, make_official, client):
    admin_user = make_official("boss", roles.PLATFORM_ADMIN)
    paper(department, admin_user)
    client.force_login(admin_user)
    page = client.get("/admin/repair/departmentrepairstats/")
    assert page.status_code == 200 and department.name in page.content.decode()


def test_marking_form_offers_the_profile_cases(department, make_official, client, settings):
    settings.CREDIT_POLICY = "fuzhou"
    admin_user = make_official("boss", roles.PLATFORM_ADMIN)
    record = f.record(department)
    client.force_login(admin_user)
    page = client.get("/admin/repair/nonrepairablemarking/add/").content.decode()
    assert "严重危害人民群众身体健康和生命安全" in page
    client.post("/admin/repair/nonrepairablemarking/add/", {"record": record.pk, "case": "other_law", "legal_basis": "", "active": "on"})
    assert not NonRepairableMarking.objects.exists()
    client.post("/admin/repair/nonrepairablemarking/add/", {"record": record.pk, "case": "market_order", "active": "on"})
    assert NonRepairableMarking.objects.get().marked_by == admin_user
    assert not services.check_eligibility(record).eligible
    assert RepairApplication.objects.count() == 0
