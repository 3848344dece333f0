"""Rights are given as roles (三员分立): the production-mode attack (2026-12-08) found the security administrator
could grant a business official single permissions — ``auth.change_group`` — and that official could then add
permissions to any role, the audit administrator's included. Replayed through the admin as the attacker sent it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from credit_platform import roles, security
from credit_platform.models import User
from tests.conftest import STRONG_PASSWORD, admin_session

pytestmark = pytest.mark.django_db



def _permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="auth", codename=codename)


def _user_form(user: User, **changes) -> dict:
    """The user change form as the admin serves it (its editable fields), with ``changes``."""
    data = {"username": user.username, "first_name": "", "last_name": "", "email": "", "is_active": "on",
            "is_staff": "on", "kind": user.kind, "department": user.department_id or "", "phone": "",
            "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)], "_save": "保存"}
    data.update(changes)
    return data


def test_the_security_administrator_cannot_grant_a_single_permission(make_official, department):
    make_official("secadmin", security.SECURITY_ADMIN, department=department)
    handler = make_official("handler", roles.OBJECTION_HANDLER, department=department)
    client = admin_session("secadmin")
    page = client.get(f"/admin/credit_platform/user/{handler.pk}/change/")
    assert page.status_code == 200
    assert 'name="user_permissions"' not in page.content.decode()  # shown read-only, not offered

    grant = [str(_permission("change_group").pk), str(_permission("view_group").pk)]
    response = client.post(f"/admin/credit_platform/user/{handler.pk}/change/",
                           _user_form(handler, user_permissions=grant, is_superuser="on"))
    assert response.status_code in (302, 403)
    handler.refresh_from_db()
    assert not handler.user_permissions.exists() and not handler.is_superuser


def test_the_security_administrator_still_assigns_a_role(make_official, department):
    make_official("secadmin", security.SECURITY_ADMIN, department=department)
    officer = make_official("officer", department=department)
    reviewer = Group.objects.get(name=roles.REPAIR_REVIEWER)
    response = admin_session("secadmin").post(f"/admin/credit_platform/user/{officer.pk}/change/",
                                               _user_form(officer, groups=[str(reviewer.pk)]))
    assert response.status_code == 302, response.content.decode()[:800]
    assert list(officer.groups.values_list("name", flat=True)) == [roles.REPAIR_REVIEWER]


@pytest.mark.parametrize("who", ["granted", security.SECURITY_ADMIN])
def test_only_the_superuser_edits_a_role(make_official, department, who):
    """Even an official who somehow holds ``auth.change_group`` (granted before this fix) cannot rewrite a role."""
    if who == "granted":
        official = make_official("holder", roles.OBJECTION_HANDLER, department=department)
        official.user_permissions.add(_permission("change_group"), _permission("view_group"),
                                      _permission("add_group"), _permission("delete_group"))
    else:
        official = make_official("holder", who, department=department)
    audit = Group.objects.get(name=security.AUDIT_ADMIN)
    before = set(audit.permissions.values_list("pk", flat=True))
    client = admin_session(official.username)
    extra = Permission.objects.get(content_type__app_label="credit_platform", codename="change_user")
    response = client.post(f"/admin/auth/group/{audit.pk}/change/",
                           {"name": audit.name, "permissions": [*map(str, before), str(extra.pk)], "_save": "保存"})
    assert response.status_code == 403
    assert client.post("/admin/auth/group/add/", {"name": "后门", "permissions": [str(extra.pk)]}).status_code == 403
    assert client.post(f"/admin/auth/group/{audit.pk}/delete/", {"post": "yes"}).status_code == 403
    assert set(audit.permissions.values_list("pk", flat=True)) == before
    assert not Group.objects.filter(name="后门").exists()


def test_the_superuser_still_edits_a_role(make_official, department):
    make_official("root", department=department, superuser=True)
    response = admin_session("root").post("/admin/auth/group/add/", {"name": "临时角色", "_save": "保存"})
    assert response.status_code == 302
    assert Group.objects.filter(name="临时角色").exists()


def test_rate_limits_switched_off_count_nothing(settings, rate_limit_clock):
    """``RATELIMIT_ENABLE`` was declared and documented but read by nothing (the attack's server with it off still
    refused): off, no budget is counted."""
    settings.RATELIMIT_SEARCH = "2/m"
    settings.RATELIMIT_ENABLE = False
    c = Client(REMOTE_ADDR="203.0.113.9")
    assert [c.get("/search/", {"q": "示例公司"}).status_code for _ in range(4)] == [200] * 4
    settings.RATELIMIT_ENABLE = True
    assert [c.get("/search/", {"q": "示例公司"}).status_code for _ in range(3)] == [200, 200, 429]


def test_the_login_lockout_says_when_to_come_back(settings, make_official, department, rate_limit_clock):
    """django-axes' lockout answered 429 without ``Retry-After``; every other 429 of the platform carries it."""
    settings.RATELIMIT_LOGIN = "100/m"
    make_official("victim", roles.OBJECTION_HANDLER, department=department)
    c = Client(REMOTE_ADDR="203.0.113.10")
    statuses = [c.post("/admin/login/", {"username": "victim", "password": "wrong"}).status_code
                for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
    assert statuses[-1] == 429, statuses
    locked = c.post("/admin/login/", {"username": "victim", "password": STRONG_PASSWORD})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())
    assert "账户已锁定 5 分钟" in locked.content.decode()
