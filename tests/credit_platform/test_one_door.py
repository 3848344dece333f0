"""Officials have one door: whichever door an official's session came through — the admin login,
the API through that session, any portal page — it needs a verified second factor (when OFFICIAL_OTP_REQUIRED is on)
and a password within its age. The citizens' door (/accounts/login/) refuses officials outright, so a
password-only session can come only from the admin's own login form. Citizens are not asked for either."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from credit_platform import roles
from credit_platform.models import User
from tests.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kmy-Xinyong-2027!"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


@pytest.fixture
def otp_required(settings):
    settings.OFFICIAL_OTP_REQUIRED = True


@pytest.fixture
def handler(make_official, department):
    user = make_official("handler", roles.OBJECTION_HANDLER, roles.DEPARTMENT_OFFICER, department=department)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def _password_session(username: str, password: str = STRONG_PASSWORD) -> Client:
    """A session holding the password step only: the admin login form, before any second factor."""
    client = Client(enforce_csrf_checks=False)
    response = client.post("/admin/login/?next=/admin/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _portal_login(username: str, password: str = STRONG_PASSWORD) -> Client:
    """The citizens' development door (DEBUG on only)."""
    client = Client(enforce_csrf_checks=False)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_the_citizens_door_refuses_officials(handler, settings):
    settings.DEBUG = True  # the development password form: the only password door the portal has
    client = Client()
    response = client.post("/accounts/login/", {"username": "handler", "password": STRONG_PASSWORD})
    assert response.status_code == 200 and "工作人员账号不能从公众门户登录" in response.content.decode()
    assert client.get("/api/v1/whoami/").status_code in (401, 403)
    settings.DEBUG = False  # production: the door is closed to everyone without a provider
    assert Client().post("/accounts/login/", {"username": "handler", "password": STRONG_PASSWORD}).status_code in (403, 503)


def _verify(client: Client, user: User) -> None:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    response = client.post("/admin/otp/verify/", {"token": _code(device), "next": "/my/"})
    assert response.status_code == 302 and response["Location"] == "/my/"


def _official_api_calls(client: Client, subject_code: str = "91650200MA77XXXX1X"):
    return {
        "mark": client.post("/api/v1/objections/999999/mark/", {"note": "x"}, content_type="application/json"),
        "government query": client.get(f"/api/v1/subjects/{subject_code}/?purpose=administrative_licensing"),
        "records": client.get("/api/v1/records/"),
        "whoami": client.get("/api/v1/whoami/"),
    }


def test_a_password_alone_opens_nothing(otp_required, handler):
    client = _password_session("handler")
    for name, response in _official_api_calls(client).items():
        assert response.status_code == 403, name
        body = response.json()
        assert body["code"] == "otp_required" and set(body) == {"code", "message", "fields"}, name
    page = client.get("/my/")
    assert page.status_code == 302 and page["Location"].startswith("/admin/otp/verify/?next=/my/")
    assert client.get("/admin/").status_code == 302

    _verify(client, handler)
    answers = _official_api_calls(client)
    assert answers["mark"].status_code == 404  # through the door: the (missing) objection is what answers now
    assert answers["records"].status_code == 200
    assert answers["whoami"].status_code == 200


def test_an_official_without_a_device_is_led_to_enrol(otp_required, make_official):
    make_official("newcomer", roles.AUDITOR)
    client = _password_session("newcomer")
    assert client.get("/api/v1/whoami/").json()["code"] == "otp_setup_required"
    assert client.get("/search/")["Location"].startswith("/admin/otp/setup/")


def test_the_api_refuses_the_session_even_without_the_middleware(otp_required, handler, settings):
    """The DRF authentication class applies the same rule on its own (defence in depth)."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "credit_platform.middleware.OfficialSessionMiddleware"]
    client = Client()
    client.force_login(handler)
    response = client.get("/api/v1/records/")
    assert response.status_code == 403 and response.json()["code"] == "otp_required"


def test_an_old_password_works_at_no_door(handler):
    User.objects.filter(pk=handler.pk).update(password_changed_at=timezone.now() - timedelta(days=120))
    client = _password_session("handler")
    for name, response in _official_api_calls(client).items():
        assert response.status_code == 403 and response.json()["code"] == "password_expired", name
    assert client.get("/my/")["Location"] == "/admin/password_change/?expired=1"
    settings_free = Client()
    settings_free.force_login(handler)
    assert settings_free.get("/admin/")["Location"] == "/admin/password_change/?expired=1"


def test_an_expired_password_leads_once_to_the_change_form(otp_required, handler):
    """Second factor first, then the change form — once — and then the admin; no loop between the two."""
    User.objects.filter(pk=handler.pk).update(password_changed_at=timezone.now() - timedelta(days=120))
    client = Client()
    assert client.post("/admin/login/?next=/admin/", {"username": "handler", "password": STRONG_PASSWORD}).status_code == 302
    hops = []
    url = "/admin/"
    for _ in range(6):
        response = client.get(url)
        if response.status_code != 302:
            break
        url = response["Location"]
        hops.append(url.split("?")[0])
    assert hops == ["/admin/otp/verify/"] and response.status_code == 200  # the verify form itself is reachable
    device = TOTPDevice.objects.get(user=handler)
    verified = client.post("/admin/otp/verify/", {"token": _code(device), "next": "/admin/"})
    assert verified["Location"] == "/admin/"
    to_change = client.get("/admin/")
    assert to_change.status_code == 302 and to_change["Location"] == "/admin/password_change/?expired=1"
    form = client.get(to_change["Location"])
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    changed = client.post("/admin/password_change/", {"old_password": STRONG_PASSWORD, "new_password1": NEW_PASSWORD,
                                                       "new_password2": NEW_PASSWORD})
    assert changed.status_code == 302 and changed["Location"] == "/admin/password_change/done/"
    assert client.get("/admin/").status_code == 200  # still verified, password fresh
    assert client.get("/api/v1/whoami/").status_code == 200


def test_citizens_need_neither(otp_required, db, settings):
    settings.DEBUG = True  # the development password door
    User.objects.create_user("citizen", password=STRONG_PASSWORD, kind=User.Kind.CITIZEN,
                             password_changed_at=timezone.now() - timedelta(days=400))
    User.objects.filter(username="citizen").update(password_changed_at=timezone.now() - timedelta(days=400))
    client = _portal_login("citizen")
    assert client.get("/my/").status_code == 200


@pytest.mark.parametrize("password", ["Admin@123", "P@ssw0rd!", "Qwerty@2024", "Woaini1314!"])
def test_common_passwords_in_disguise_are_refused(password):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert "password_too_common" in {e.code for e in exc.value.error_list}


def test_strong_passwords_pass():
    for password in (STRONG_PASSWORD, NEW_PASSWORD, "Xq7!credit-centre"):
        validate_password(password)


def test_admin_refuses_admin_at_123_as_a_new_password(make_official):
    user = make_official("officer", roles.AUDITOR)
    client = Client()
    client.force_login(user)
    response = client.post("/admin/password_change/", {"old_password": STRONG_PASSWORD, "new_password1": "Admin@123",
                                                        "new_password2": "Admin@123"})
    assert response.status_code == 200 and "常见" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(STRONG_PASSWORD)
