"""The assigned handler (承办人) of a repair application: a django-guardian object permission granted on
assignment and moved on reassignment; the holder handles that case (of whatever department), others do not."""

from __future__ import annotations

from datetime import date

import pytest

from credit_platform import object_permissions, roles
from credit_platform.exceptions import DomainError
from repair import services
from repair.models import EventKind, RepairApplication
from tests.repair import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.OFFICIAL_OTP_REQUIRED = False


def paper(department, registrar):
    record = f.record(department, decided_on=date(2025, 1, 15))
    return services.apply(record, applicant_name="李四", correction_statement="整改完毕",
                          commitment=services.commitment_text(record, "李四"), channel="paper", registered_by=registrar)


@pytest.fixture
def case(department, make_official):
    lead = make_official("lead", roles.REPAIR_REVIEWER, department=department)
    return paper(department, lead), lead


def test_lead_assigns_a_reviewer_of_another_unit_who_then_handles_the_case(case, other_department, make_official, client):
    app, lead = case
    outsider = make_official("outsider", roles.REPAIR_REVIEWER, department=other_department)
    outsider.first_name = "王五"
    outsider.save()
    client.force_login(outsider)  # not yet assigned: neither sees nor handles it
    assert client.get(f"/admin/repair/repairapplication/{app.pk}/review/").status_code in (403, 404)
    assert client.get(f"/admin/repair/repairapplication/{app.pk}/change/").status_code in (302, 403, 404)

    client.force_login(lead)
    change = client.get(f"/admin/repair/repairapplication/{app.pk}/change/").content.decode()
    assert "指定承办人" in change
    assert client.get(f"/admin/repair/repairapplication/{app.pk}/assign/").status_code == 200
    response = client.post(f"/admin/repair/repairapplication/{app.pk}/assign/", {"handler": outsider.pk})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.handler == outsider
    assert object_permissions.holds(outsider, object_permissions.HANDLE_REPAIR, app)
    event = app.events.get(kind=EventKind.ASSIGNED)
    assert "王五" in event.reason and not event.public
    assert "王五" in client.get("/admin/repair/repairapplication/").content.decode()  # 承办人 by name

    client.force_login(outsider)
    assert app.number in client.get("/admin/repair/repairapplication/").content.decode()
    assert client.get(f"/admin/repair/repairapplication/{app.pk}/change/").status_code == 200
    client.post(f"/admin/repair/repairapplication/{app.pk}/review/", {"action": "accept", "reason": "材料齐全"})
    app.refresh_from_db()
    assert app.status == "accepted"
    # the handler handles the case but does not assign it (not by the assignment alone)
    assert client.get(f"/admin/repair/repairapplication/{app.pk}/assign/").status_code == 403
    # and holds nothing on the department's other applications
    other = paper(app.department, lead)
    assert client.get(f"/admin/repair/repairapplication/{other.pk}/review/").status_code in (403, 404)


def test_reassignment_revokes_the_previous_handler(case, other_department, make_official, client):
    app, lead = case
    first = make_official("first", roles.REPAIR_REVIEWER, department=other_department)
    second = make_official("second", roles.REPAIR_REVIEWER, department=other_department)
    services.assign(app, first, actor=lead)
    services.assign(app, second, actor=lead)
    app.refresh_from_db()
    assert app.handler == second
    assert not object_permissions.holds(first, object_permissions.HANDLE_REPAIR, app)
    assert object_permissions.holds(second, object_permissions.HANDLE_REPAIR, app)
    assert "原承办人" in app.events.filter(kind=EventKind.ASSIGNED).last().reason
    client.force_login(first)
    assert client.post(f"/admin/repair/repairapplication/{app.pk}/review/",
                       {"action": "accept", "reason": "x"}).status_code in (403, 404)
    app.refresh_from_db()
    assert app.status == "submitted"
    client.force_login(second)
    assert client.get(f"/admin/repair/repairapplication/{app.pk}/review/").status_code == 200


def test_who_may_assign(case, other_department, make_official, client):
    app, _lead = case
    reviewer = make_official("rv", roles.REPAIR_REVIEWER, department=other_department)
    officer = make_official("officer", roles.DEPARTMENT_OFFICER, department=app.department)
    auditor = make_official("auditor", roles.AUDITOR)
    boss = make_official("boss", roles.PLATFORM_ADMIN)
    for stranger in (reviewer, officer, auditor):
        with pytest.raises(DomainError) as exc:
            services.assign(app, reviewer, actor=stranger)
        assert exc.value.status == 403
        client.force_login(stranger)
        assert client.post(f"/admin/repair/repairapplication/{app.pk}/assign/",
                           {"handler": reviewer.pk}).status_code in (403, 404)
    assert RepairApplication.objects.get(pk=app.pk).handler is None
    services.assign(app, reviewer, actor=boss)  # the platform admin may
    assert RepairApplication.objects.get(pk=app.pk).handler == reviewer


def test_only_active_reviewers_can_be_assigned_and_only_while_open(case, make_official, client):
    app, lead = case
    officer = make_official("officer", roles.DEPARTMENT_OFFICER, department=app.department)
    client.force_login(lead)
    page = client.post(f"/admin/repair/repairapplication/{app.pk}/assign/", {"handler": officer.pk})
    assert page.status_code == 200 and "请选择在岗的信用修复审核员" in page.content.decode()
    with pytest.raises(DomainError) as exc:
        services.assign(app, officer, actor=lead)
    assert exc.value.code == "invalid_handler"
    services.refuse(app, actor=lead, reason="不符合条件")
    with pytest.raises(DomainError) as exc:
        services.assign(RepairApplication.objects.get(pk=app.pk), lead, actor=lead)
    assert exc.value.status == 409
