"""Regressions for what the production-mode attack harness (/work/attack, run against gunicorn) found, each replayed
through HTTP as the attacker sent it."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from credit_platform import roles, security
from tests.conftest import admin_session

pytestmark = pytest.mark.django_db



@pytest.mark.parametrize("role", [security.SYSTEM_ADMIN, security.SECURITY_ADMIN, roles.OBJECTION_HANDLER])
def test_repair_statistics_need_the_repair_view_permission(make_official, department, role):
    """The statistics page replaced the admin's changelist and with it the permission check: any staff account,
    the system and security administrators included, opened it."""
    make_official("intruder", role, department=department)
    response = admin_session("intruder").get("/admin/repair/departmentrepairstats/")
    assert response.status_code == 403


@pytest.mark.parametrize("role", [security.SYSTEM_ADMIN, security.SECURITY_ADMIN, roles.OBJECTION_HANDLER])
def test_the_repair_statistics_api_needs_the_same_permission(make_official, department, role):
    """The API mirror of the statistics page answered 200 (with every figure zero) to the same accounts."""
    make_official("intruder", role, department=department)
    assert admin_session("intruder").get("/api/v1/repair/stats/").status_code == 403


def test_the_repair_statistics_api_still_answers_a_reviewer(make_official, department):
    make_official("reviewer", roles.REPAIR_REVIEWER, department=department)
    response = admin_session("reviewer").get("/api/v1/repair/stats/")
    assert response.status_code == 200 and "departments" in response.json()


def test_repair_statistics_still_open_to_a_reviewer(make_official, department):
    make_official("reviewer", roles.REPAIR_REVIEWER, department=department)
    response = admin_session("reviewer").get("/admin/repair/departmentrepairstats/")
    assert response.status_code == 200


@pytest.mark.parametrize("selected", ["abc", "\x00", "1.5", "99999999999999999999999"])
@pytest.mark.parametrize("changelist", ["/admin/credit_platform/department/", "/admin/auth/group/",
                                        "/admin/records/subject/", "/admin/sanctions/measurelist/"])
def test_an_action_on_malformed_selected_ids_is_a_400_not_a_500(make_official, department, changelist, selected):
    """The ids a changelist action POST carries went straight into ``filter(pk__in=…)``: ``abc`` or a NUL was a
    ValueError, a 500 with its traceback in the log."""
    make_official("root", department=department, superuser=True)
    client = admin_session("root")
    response = client.post(changelist, {"action": "delete_selected", "_selected_action": ["1", selected], "index": "0"})
    assert response.status_code == 400


def test_an_action_on_well_formed_ids_still_reaches_the_confirmation(make_official, department):
    make_official("root", department=department, superuser=True)
    client = admin_session("root")
    response = client.post("/admin/credit_platform/department/",
                           {"action": "delete_selected", "_selected_action": [str(department.pk)], "index": "0"})
    assert response.status_code == 200
    assert "删除" in response.content.decode()  # the confirmation (or "cannot delete: protected") of the action


@pytest.mark.parametrize("data", [{"number": "\x00", "code": "\x00"}, {"number": "XF2026\x00", "code": "ABCD-EFGH"}])
def test_nul_in_the_repair_progress_look_up_is_a_400_not_a_500(data):
    """The progress look-up reads the number from the form body without a form: a NUL reached PostgreSQL
    (``text fields cannot contain NUL``), a 500 for anyone, no account needed. The page's form posts urlencoded."""
    response = Client().post("/repair/progress/", urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_nul_in_a_multipart_progress_look_up_is_an_unknown_number():
    response = Client().post("/repair/progress/", {"number": "XF2026\x00", "code": "ABCD-EFGH"})
    assert response.status_code == 200
    assert "不正确" in response.content.decode()


def test_the_progress_service_treats_a_nul_number_as_unknown():
    from repair import services

    assert services.find_by_progress_code("XF\x00", "ABCD-EFGH") is None


def test_a_form_field_with_nul_on_any_page_is_a_400(make_official, department):
    make_official("root", department=department, superuser=True)
    client = admin_session("root")
    response = client.post("/admin/credit_platform/department/add/", urlencode({"code": "X\x00", "name": "n"}),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
