"""MLPS 2.0 level 3 login rules: lockout, password strength and expiry, idle timeout, three-admin separation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from credit_platform import roles
from credit_platform.security import (
    AUDIT_ADMIN,
    SECURITY_ADMIN,
    SYSTEM_ADMIN,
    CharacterClassValidator,
    can_change_rights,
    password_classes,
)
from tests.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password, classes", [("abcdefgh", 1), ("abcdEFGH", 2), ("abcdEF12", 3), ("abcd12!!", 3), ("Ab1!", 4), ("信用abc12", 3)]
)
def test_password_classes(password, classes):
    assert password_classes(password) == classes


def test_password_needs_three_classes_and_eight_characters():
    from django.contrib.auth.password_validation import validate_password

    with pytest.raises(ValidationError):
        CharacterClassValidator(3).validate("abcdefgh12")
    with pytest.raises(ValidationError):
        validate_password("Ab1!xyz")  # 7 characters
    validate_password("Xq7!credit-centre")


def _login(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_admin_locks_after_five_failures_for_five_minutes(make_official, settings):
    make_official("officer", roles.AUDITOR)
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "officer", "wrong-Password1").status_code == 200
    assert _login(client, "officer", "wrong-Password1").status_code == 429  # the fifth failure locks
    locked = _login(client, "officer", STRONG_PASSWORD)
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()
    assert timedelta(minutes=5) == settings.AXES_COOLOFF_TIME


def test_correct_login_reaches_the_admin(make_official):
    make_official("officer", roles.AUDITOR)
    client = Client()
    response = _login(client, "officer", STRONG_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_expired_password_must_be_changed_first(make_official):
    user = make_official("officer", roles.AUDITOR)
    user.password_changed_at = timezone.now() - timedelta(days=91)
    user.save()
    client = Client()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/password_change/")
    assert client.get("/admin/password_change/").status_code == 200


def test_fresh_password_is_not_expired(make_official):
    client = Client()
    client.force_login(make_official("officer", roles.AUDITOR))
    assert client.get("/admin/").status_code == 200


def test_officials_are_logged_out_after_ten_idle_minutes(make_official, settings):
    client = Client()
    client.force_login(make_official("officer", roles.AUDITOR))
    client.get("/admin/")
    assert client.session.get_expiry_age() == 600
    assert timedelta(minutes=10) == settings.OFFICIAL_IDLE_TIMEOUT


def _admin_of(make_official, username, role):
    return make_official(username, role)


def test_three_administrators_cannot_change_each_others_rights(make_official):
    system = make_official("sys", SYSTEM_ADMIN)
    security = make_official("sec", SECURITY_ADMIN)
    audit = make_official("aud", AUDIT_ADMIN)
    officer = make_official("off", roles.DEPARTMENT_OFFICER)
    # Only the security administrator assigns rights, and only to business users.
    assert can_change_rights(security, officer)
    for target in (system, audit, security):
        assert not can_change_rights(security, target)
    for actor in (system, audit, officer):
        for target in (officer, security, system, audit):
            assert not can_change_rights(actor, target)


def test_security_admin_cannot_grant_an_administrator_role_through_the_admin(make_official):
    security = make_official("sec", SECURITY_ADMIN)
    audit = make_official("aud", AUDIT_ADMIN)
    client = Client()
    client.force_login(security)
    page = client.get(f"/admin/credit_platform/user/{audit.pk}/change/").content.decode()
    assert 'name="groups"' not in page  # read-only for another administrator
    officer = make_official("off", roles.DEPARTMENT_OFFICER)
    page = client.get(f"/admin/credit_platform/user/{officer.pk}/change/").content.decode()
    assert 'name="groups"' in page
    groups_select = re.search(r'<select name="groups".*?</select>', page, re.S).group(0)
    assert roles.DEPARTMENT_OFFICER in groups_select
    for admin_role in (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN):
        assert admin_role not in groups_select  # the administrator roles are not offered


def test_system_admin_cannot_edit_rights(make_official):
    system = make_official("sys", SYSTEM_ADMIN)
    officer = make_official("off", roles.DEPARTMENT_OFFICER)
    client = Client()
    client.force_login(system)
    # The system administrator may not even open user accounts.
    assert client.get(f"/admin/credit_platform/user/{officer.pk}/change/").status_code == 403


def test_role_groups_exist_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ALL_ROLES) <= names


def test_department_officers_run_the_listing_process_but_never_delete_entries():
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name=roles.DEPARTMENT_OFFICER).permissions.filter(content_type__app_label="sanctions")
        .values_list("codename", flat=True)
    )
    assert {"add_severelistentry", "change_severelistentry", "add_commitment", "add_interview"} <= codenames
    assert not {c for c in codenames if c.startswith("delete_")}
