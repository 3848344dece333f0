"""Registration with real-name verification (development backend), enterprise agents, the OIDC adapter."""

import time
from datetime import date

import pytest
from django.test import Client

from accounts.identity import OidcClaimsAdapter
from accounts.links import subjects_for_user
from credit_platform.exceptions import DomainError
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "Str0ng-Passw0rd!"


@pytest.fixture(autouse=True)
def dev_check(settings):
    """These tests exercise the development identity check, which exists only with DEBUG on."""
    settings.DEBUG = True


def register(client, name, id_number, username="zhangwei"):
    return client.post("/accounts/register/", {"name": name, "id_number": id_number, "username": username,
                                               "password1": PASSWORD, "password2": PASSWORD, "agree": "on"})


def test_citizen_registers_logs_in_and_sees_own_record(world):
    c = Client()
    r = register(c, "张伟", world["citizen"].code)
    assert r.status_code == 302 and r["Location"] == "/my/"
    assert "行政处罚信息" in c.get("/my/").content.decode()
    c.post("/accounts/logout/")
    c2 = Client()
    r = c2.post("/accounts/login/", {"username": "zhangwei", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/my/"


def test_wrong_name_or_bad_number_is_refused(world):
    c = Client()
    r = register(c, "李四", world["citizen"].code)
    mismatch = r.content.decode()
    assert r.status_code == 200 and "未能完成实名注册" in mismatch
    r = register(c, "张伟", "650203199001011235", username="xyz2")
    assert "校验位" in r.content.decode()
    register(c, "张伟", world["citizen"].code, username="first")
    r = register(Client(), "张伟", world["citizen"].code, username="second")
    # Already registered and a wrong name read the same: nobody learns whether a number is on file or registered.
    from django.utils.html import escape

    from disclosure.views import REGISTRATION_REFUSED

    refused = escape(REGISTRATION_REFUSED)
    assert refused in r.content.decode() and refused in mismatch
    assert "该身份已注册账号" not in r.content.decode() and "不一致" not in mismatch


def test_enterprise_agent_binds_with_authorisation_code_or_as_legal_representative(world, citizen_user, login):
    stranger = f.person("钱七", date(1988, 8, 8))
    c = login(citizen_user(stranger))
    data = {"uscc": world["company"].code, "enterprise_name": world["company"].name}
    r = c.post("/accounts/enterprise/", data)
    assert "法定代表人不是您" in r.content.decode()
    r = c.post("/accounts/enterprise/", dict(data, evidence="DEMO-AUTH"))
    assert r.status_code == 302
    boss = login(citizen_user(world["boss"]))
    assert boss.post("/accounts/enterprise/", data).status_code == 302
    user = boss.session
    from django.contrib.auth import get_user_model

    u = get_user_model().objects.get(pk=user["_auth_user_id"])
    assert set(subjects_for_user(u)) == {world["boss"], world["company"]}


def test_subjects_for_user_is_empty_for_everyone_else(world, make_official, department):
    from django.contrib.auth.models import AnonymousUser

    assert not subjects_for_user(AnonymousUser()).exists()
    assert not subjects_for_user(make_official("o", department=department)).exists()


def test_oidc_adapter_turns_claims_into_a_verified_identity(world):
    adapter = OidcClaimsAdapter(issuer="https://sso.example.gov.cn")
    claims = {"iss": "https://sso.example.gov.cn", "exp": time.time() + 300, "acr": "L3", "name": "张伟",
              "id_card_no": world["citizen"].code}
    ident = adapter.person(claims)
    assert ident.code == world["citizen"].code and ident.method.startswith("oidc:")
    for bad in ({"iss": "https://evil"}, {"exp": time.time() - 3600}, {"acr": "L1"}, {"id_card_no": "123"}):
        with pytest.raises(DomainError):
            adapter.person(dict(claims, **bad))
    ent = adapter.enterprise(dict(claims, uscc=world["company"].code, org_name=world["company"].name))
    assert ent.kind == "enterprise" and ent.agent.code == world["citizen"].code
