"""Citizens sign in at a real OpenID Connect provider (django-oauth-toolkit in a subprocess, tests/oidc_provider):
authorization code with PKCE, state and nonce, the ID token's signature and expiry — no mocked client."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.links import subjects_for_user
from accounts.models import SubjectLink
from records.models import Subject
from tests.disclosure import factories as f
from tests.oidc_provider.fixtures import ID_TOKEN_SECONDS, PASSWORD, SUN, WANG, ZHANG, other_public_key_pem

pytestmark = pytest.mark.django_db


def start(client: Client) -> str:
    """The platform's redirect to the provider's authorization endpoint."""
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def sign_in_at_provider(authorize_url: str, username: str, password: str = PASSWORD) -> str:
    """What the citizen's browser does at the provider: log in, consent is skipped; returns the callback URL."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:500]
    login_url = urljoin(authorize_url, response.headers["Location"])
    page = browser.get(login_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = browser.post(login_url, data={"username": username, "password": password,
                                             "csrfmiddlewaretoken": token}, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:500]
    response = browser.get(urljoin(login_url, response.headers["Location"]), allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:500]
    return response.headers["Location"]


def callback(client: Client, url: str):
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}")


def full_sign_in(client: Client, username: str):
    return callback(client, sign_in_at_provider(start(client), username))


def logged_in_user(client: Client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


@pytest.fixture
def zhang(department):
    items = f.make_catalog(department)
    subject = f.person("张伟", date(1990, 1, 1), code=ZHANG["id_card_no"])
    f.record(subject, items[f.PENALTY], department)
    return subject


def test_citizen_signs_in_with_pkce_state_and_nonce_and_sees_own_record(oidc_platform, zhang):
    client = Client()
    authorize = start(client)
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(oidc_platform.issuer + "/authorize/")
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0] and query["scope"] == ["openid profile"]

    response = callback(client, sign_in_at_provider(authorize, "zhangwei"))
    assert response.status_code == 302 and response["Location"] == "/my/"
    user = logged_in_user(client)
    assert user.kind == "citizen" and not user.has_usable_password()
    assert list(subjects_for_user(user)) == [zhang]
    page = client.get("/my/").content.decode()
    assert "行政处罚信息" in page and "张伟" in page

    # The next sign-in finds the same account (by the keyed hash of the ID number, never the number itself).
    other = Client()
    assert full_sign_in(other, "zhangwei").status_code == 302
    assert logged_in_user(other) == user
    assert SubjectLink.objects.filter(user=user).count() == 1
    assert ZHANG["id_card_no"] not in str(list(SubjectLink.objects.values_list("code", "code_hash")))


def test_a_person_the_platform_does_not_know_yet_gets_an_account(oidc_platform, department):
    client = Client()
    assert full_sign_in(client, "sunhong").status_code == 302
    assert "尚未关联信用主体" in client.get("/my/").content.decode()
    assert SubjectLink.objects.get(user=logged_in_user(client)).name == SUN["name"]


def test_legal_person_login_binds_the_enterprise(oidc_platform, department):
    company = f.SubjectFactory(name=WANG["org_name"], code=WANG["uscc"])
    client = Client()
    assert full_sign_in(client, "wangjg").status_code == 302
    user = logged_in_user(client)
    assert user.kind == "agent"
    assert company in set(subjects_for_user(user))
    link = SubjectLink.objects.get(user=user, role="agent")
    assert link.subject == company and "法人登录" in link.evidence


def test_low_assurance_level_is_refused(oidc_platform, department):
    client = Client()
    response = full_sign_in(client, "lowlevel")
    assert response.status_code == 403 and "认证等级不足" in response.content.decode()
    assert logged_in_user(client) is None and not get_user_model().objects.filter(kind="citizen").exists()


def test_forged_or_replayed_state_is_refused(oidc_platform, zhang):
    client = Client()
    url = sign_in_at_provider(start(client), "zhangwei")
    forged = re.sub(r"state=[^&]+", "state=forged", url)
    response = callback(client, forged)
    assert response.status_code == 403 and logged_in_user(client) is None
    # The genuine callback works once; replaying it does not log anybody in again.
    assert callback(client, url).status_code == 302 and logged_in_user(client) is not None
    thief = Client()
    response = callback(thief, url)
    assert response.status_code == 403 and logged_in_user(thief) is None


def test_nonce_mismatch_is_refused(oidc_platform, zhang):
    client = Client()
    authorize = start(client)
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    session = client.session
    states = session["oidc_states"]
    states[state]["nonce"] = "another-nonce"  # the ID token will carry the nonce that was sent, not this one
    session["oidc_states"] = states
    session.save()
    response = callback(client, sign_in_at_provider(authorize, "zhangwei"))
    assert response.status_code == 403 and logged_in_user(client) is None


def test_id_token_signed_with_another_key_is_refused(oidc_platform, zhang, settings):
    settings.OIDC_RP_IDP_SIGN_KEY = other_public_key_pem()
    client = Client()
    response = full_sign_in(client, "zhangwei")
    assert response.status_code == 403 and logged_in_user(client) is None
    settings.OIDC_RP_IDP_SIGN_KEY = oidc_platform.public_key_pem  # the provider's own key verifies
    assert full_sign_in(Client(), "zhangwei").status_code == 302


def test_expired_id_token_is_refused(oidc_platform, zhang):
    client = Client()
    url = sign_in_at_provider(start(client), "zhangwei")
    # The platform's clock is past the token's exp (the provider signed it for ID_TOKEN_SECONDS) plus the leeway.
    with time_machine.travel(timedelta(seconds=ID_TOKEN_SECONDS + 120), tick=True):
        response = callback(client, url)
    assert response.status_code == 403 and logged_in_user(client) is None


def test_wrong_issuer_is_refused(oidc_platform, zhang, settings):
    settings.OIDC_OP_ISSUER = "https://sso.example.gov.cn"
    client = Client()
    assert full_sign_in(client, "zhangwei").status_code == 403 and logged_in_user(client) is None


def test_an_official_is_refused_at_the_citizens_door(oidc_platform, zhang, make_official, department):
    official = make_official("officer", department=department)
    # Even an official's account that somehow carries a citizen's verified link is not signed in here.
    link = SubjectLink(user=official, code_type="ric", code=ZHANG["id_card_no"], name="张伟", role="self",
                       verified_by="legacy")
    link.save()
    client = Client()
    response = full_sign_in(client, "zhangwei")
    assert response.status_code == 403 and "管理后台" in response.content.decode()
    assert logged_in_user(client) is None
    assert Subject.objects.filter(code=ZHANG["id_card_no"]).exists()
