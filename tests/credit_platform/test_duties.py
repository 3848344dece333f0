"""Separation of duties for credentials and object permissions (MLPS 2.0 level 3 三员分立)."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from credit_platform import roles
from credit_platform.models import ApiToken
from credit_platform.security import AUDIT_ADMIN, SECURITY_ADMIN, SYSTEM_ADMIN, can_change_credentials
from tests.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Kmy-Reset-2027!x"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(make_official, department, other_department):
    return {
        "root": make_official("root", superuser=True),
        "sec": make_official("sec", SECURITY_ADMIN),
        "sys": make_official("sys", SYSTEM_ADMIN),
        "aud": make_official("aud", AUDIT_ADMIN),
        "auditor": make_official("auditor", roles.AUDITOR),
        "officer": make_official("officer", roles.DEPARTMENT_OFFICER, department=department),
        "other_officer": make_official("other_officer", roles.DEPARTMENT_OFFICER, department=other_department),
    }


def test_security_admin_resets_a_business_officials_password_only(people):
    sec = _client(people["sec"])
    url = f"/admin/credit_platform/user/{people['officer'].pk}/password/"
    assert sec.get(url).status_code == 200
    done = sec.post(url, {"password1": NEW, "password2": NEW, "usable_password": "true"})
    assert done.status_code == 302
    people["officer"].refresh_from_db()
    assert people["officer"].check_password(NEW)
    for target in ("root", "sys", "aud", "sec"):  # a superuser, peer administrators, and itself
        url = f"/admin/credit_platform/user/{people[target].pk}/password/"
        assert sec.get(url).status_code == 403, target
        assert sec.post(url, {"password1": NEW, "password2": NEW, "usable_password": "true"}).status_code == 403, target
        people[target].refresh_from_db()
        assert people[target].check_password(STRONG_PASSWORD), target
    # a peer administrator's account is read-only to the security administrator
    before = people["sys"].email
    sec.post(f"/admin/credit_platform/user/{people['sys'].pk}/change/", {"username": "sys", "email": "x@example.invalid"})
    people["sys"].refresh_from_db()
    assert people["sys"].email == before
    assert can_change_credentials(people["root"], people["sec"])
    assert not can_change_credentials(people["aud"], people["officer"])


def test_nobody_reads_a_totp_secret_and_only_business_officials_second_factors_are_reset(people):
    devices = {name: TOTPDevice.objects.create(user=people[name], name="phone", confirmed=True)
               for name in ("root", "sys", "officer")}
    for who in ("auditor", "aud", "sys", "officer"):
        client = _client(people[who])
        for device in devices.values():
            assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").status_code in (302, 403), who
        assert client.get("/admin/otp_totp/totpdevice/").status_code == 403, who
    sec = _client(people["sec"])
    listing = sec.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200
    for device in devices.values():
        page = sec.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
        assert device.key not in page and device.key not in listing.content.decode()
        assert sec.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code in (302, 404)
        assert sec.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code in (302, 404)
    for name in ("root", "sys"):
        assert sec.post(f"/admin/otp_totp/totpdevice/{devices[name].pk}/delete/", {"post": "yes"}).status_code == 403
        assert TOTPDevice.objects.filter(pk=devices[name].pk).exists()
    assert sec.post(f"/admin/otp_totp/totpdevice/{devices['officer'].pk}/delete/", {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=devices["officer"].pk).exists()  # the officer enrols again


def test_department_tokens_are_issued_by_the_departments_own_officer(people, department, other_department):
    sysadmin = _client(people["sys"])
    assert sysadmin.get("/admin/credit_platform/apitoken/add/").status_code == 403
    assert sysadmin.post("/admin/credit_platform/apitoken/add/", {"department": other_department.pk, "name": "法院系统"}).status_code == 403
    assert not ApiToken.objects.exists()
    assert sysadmin.get("/admin/credit_platform/apitoken/").status_code == 200  # sees and revokes, never issues

    officer = _client(people["officer"])
    refused = officer.post("/admin/credit_platform/apitoken/add/", {"department": other_department.pk, "name": "x"})
    assert refused.status_code == 200 and not ApiToken.objects.exists()  # another department is not offered
    shown = officer.post("/admin/credit_platform/apitoken/add/", {"department": department.pk, "name": "执法系统"},
                         follow=True)
    token = ApiToken.objects.get()
    assert token.department == department and token.key_prefix in shown.content.decode()
    for who in ("auditor", "aud", "sec"):
        assert _client(people[who]).get("/admin/credit_platform/apitoken/add/").status_code == 403, who
