"""Which door is open: closed without a provider and DEBUG off, the development check only with DEBUG on;
enumeration and rate limits; enterprise agents bound by proof (legal representative, approved letter)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts import agents
from accounts.identity import CLOSED_TITLE
from accounts.links import subjects_for_user
from accounts.models import AgentLetter
from credit_platform.exceptions import DomainError
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "Str0ng-Passw0rd!"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def register(client, name, id_number, username):
    return client.post("/accounts/register/", {"name": name, "id_number": id_number, "username": username,
                                               "password1": PASSWORD, "password2": PASSWORD, "agree": "on"})


# --- the closed door ------------------------------------------------------------------------------------------


def test_without_provider_and_debug_off_every_citizen_door_is_closed(world, citizen_user, login, settings):
    settings.DEBUG = False
    anonymous = Client()
    for response in (anonymous.get("/accounts/login/"), anonymous.get("/accounts/register/"),
                     register(anonymous, "张伟", world["citizen"].code, "zhangwei"),
                     anonymous.get("/oidc/authenticate/"), anonymous.get("/oidc/callback/?code=x&state=y")):
        assert response.status_code == 503 and CLOSED_TITLE in response.content.decode()
    assert not get_user_model().objects.filter(username="zhangwei").exists()
    # A development account's password does not open the door either (no fallback to the development check).
    user = citizen_user(world["citizen"], username="devuser")
    response = anonymous.post("/accounts/login/", {"username": "devuser", "password": PASSWORD})
    assert response.status_code == 503 and "_auth_user_id" not in anonymous.session
    # Binding an enterprise is closed too, even with the demo code.
    signed_in = login(user)
    response = signed_in.post("/accounts/enterprise/", {"uscc": world["company"].code,
                                                        "enterprise_name": world["company"].name, "evidence": "DEMO-AUTH"})
    assert response.status_code == 503 and world["company"] not in set(subjects_for_user(user))
    # The public pages still work.
    assert anonymous.get("/search/", {"q": "示例能源"}).status_code == 200


def test_check_deploy_warns_without_a_provider(settings):
    ids = {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert "disclosure.W002" in ids
    assert "disclosure.W002" not in {m.id for m in checks.run_checks()}  # a deploy check only
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "platform", "secret"
    settings.OIDC_OP_ISSUER = "https://sso.example.gov.cn"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://sso.example.gov.cn/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://sso.example.gov.cn/token"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://sso.example.gov.cn/jwks"
    assert "disclosure.W002" not in {m.id for m in checks.run_checks(include_deployment_checks=True)}


def test_development_door_only_with_debug_on(world, settings):
    settings.DEBUG = True
    page = Client().get("/accounts/login/").content.decode()
    assert "开发环境" in page and 'id="oidc-login"' not in page
    assert register(Client(), "张伟", world["citizen"].code, "zhangwei").status_code == 302


def test_officials_are_refused_at_the_portal_login(settings, make_official, department):
    settings.DEBUG = True
    make_official("officer", department=department)
    client = Client()
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 200 and "管理后台" in response.content.decode()
    assert "_auth_user_id" not in client.session
    client.force_login(get_user_model().objects.get(username="officer"),
                       backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/accounts/login/").status_code == 403
    assert client.get("/accounts/register/").status_code == 403
    assert client.get("/accounts/enterprise/").status_code == 403


# --- enumeration and rate limits --------------------------------------------------------------------------------


def test_registration_is_limited_per_address_and_per_identity(world, settings):
    settings.DEBUG = True
    settings.RATELIMIT_SIGNUP = "3/h"
    settings.RATELIMIT_IDENTITY = "2/h"
    code = world["citizen"].code

    def from_ip(ip):
        return Client(REMOTE_ADDR=ip)

    # One identity tried from many addresses: refused after the identity's budget.
    assert register(from_ip("198.51.100.1"), "李四", code, "a1").status_code == 200
    assert register(from_ip("198.51.100.2"), "王五", code, "a2").status_code == 200
    limited = register(from_ip("198.51.100.3"), "张伟", code, "a3")
    assert limited.status_code == 429 and limited["Retry-After"]
    assert not get_user_model().objects.filter(username="a3").exists()
    # Many identities from one address: refused after the address's budget.
    client = from_ip("203.0.113.9")
    for i in range(3):
        assert register(client, "某人", f.ric(date(1980, 1, 1 + i)), f"b{i}").status_code in (200, 302)
        client = from_ip("203.0.113.9")
    assert register(client, "某人", f.ric(date(1981, 1, 1)), "b9").status_code == 429


def test_login_is_limited_per_login_name_across_addresses(settings, world, citizen_user):
    settings.DEBUG = True
    settings.RATELIMIT_IDENTITY = "3/h"
    citizen_user(world["citizen"], username="zhangwei")
    for i in range(3):
        r = Client(REMOTE_ADDR=f"198.51.100.{i + 1}").post("/accounts/login/", {"username": "zhangwei", "password": "wrong"})
        assert r.status_code == 200
    r = Client(REMOTE_ADDR="198.51.100.50").post("/accounts/login/", {"username": "ZhangWei", "password": PASSWORD})
    assert r.status_code == 429


# --- enterprise agents ---------------------------------------------------------------------------------------


@pytest.fixture
def oidc_like(settings):
    """A provider configured (its endpoints are never called here): the production door, DEBUG off."""
    settings.DEBUG = False
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "platform", "secret"
    settings.OIDC_OP_ISSUER = "https://sso.example.gov.cn"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://sso.example.gov.cn/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://sso.example.gov.cn/token"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://sso.example.gov.cn/jwks"
    settings.AGENT_LETTER_MAX_DAYS = 365


def bind(client, company, **extra):
    return client.post("/accounts/enterprise/", {"uscc": company.code, "enterprise_name": company.name, **extra})


def test_legal_representative_on_file_binds_at_once_others_need_a_letter(world, citizen_user, login, oidc_like):
    company = world["company"]
    boss = citizen_user(world["boss"])
    response = bind(login(boss), company)
    assert response.status_code == 302 and company in set(subjects_for_user(boss))

    stranger = citizen_user(f.person("钱七", date(1988, 8, 8)))
    client = login(stranger)
    response = bind(client, company, evidence="DEMO-AUTH")  # the demo code does not exist in production
    assert response.status_code == 200 and "法定代表人不是您" in response.content.decode()
    assert company not in set(subjects_for_user(stranger))
    # A former legal representative is not one any more.
    from records.models import RelatedPerson

    former = f.SubjectFactory(name="克拉玛依旧任有限公司")
    f.relate(former, world["boss"])
    RelatedPerson.objects.filter(organisation=former).update(until=timezone.localdate() - timedelta(days=1))
    response = bind(login(boss), former)
    assert response.status_code == 200 and former not in set(subjects_for_user(boss))


def test_authorisation_letter_approved_expires_and_is_revoked(world, citizen_user, login, oidc_like, make_official,
                                                             department):
    company = world["company"]
    agent = citizen_user(f.person("钱七", date(1988, 8, 8)))
    client = login(agent)
    bad = bind(client, company, letter=SimpleUploadedFile("letter.txt", b"not a letter", "text/plain"))
    assert "PDF" in bad.content.decode() and not AgentLetter.objects.exists()
    response = bind(client, company, letter=SimpleUploadedFile("授权委托书.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    letter = AgentLetter.objects.get()
    assert letter.status == "pending" and letter.agent_name == "钱七" and company not in set(subjects_for_user(agent))
    assert "待审核" in client.get("/my/").content.decode()

    # An official approves it in the admin, for 30 days.
    official = make_official("centre", "平台管理员", department=department)
    admin = Client()
    admin.force_login(official, backend="django.contrib.auth.backends.ModelBackend")
    valid_until = timezone.localdate() + timedelta(days=30)
    AgentLetter.objects.filter(pk=letter.pk).update(valid_until=valid_until)
    response = admin.post("/admin/accounts/agentletter/", {"action": "approve", "_selected_action": [letter.pk]})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "approved" and letter.decided_by == official and letter.valid_until == valid_until
    assert company in set(subjects_for_user(agent))
    page = client.get("/my/", {"subject": company.code}).content.decode()
    assert "已批准" in page and valid_until.strftime("%Y-%m-%d") in page
    assert admin.get(f"/admin/accounts/agentletter/{letter.pk}/file/").status_code == 200
    assert letter.history.count() >= 2

    # After the last day the binding lapses by itself.
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert company not in set(subjects_for_user(agent))
        assert "已过期" in login(agent).get("/my/").content.decode()
    # Revoked: at once.
    admin.post("/admin/accounts/agentletter/", {"action": "revoke", "_selected_action": [letter.pk]})
    letter.refresh_from_db()
    assert letter.status == "revoked" and company not in set(subjects_for_user(agent))


def test_letter_validity_is_capped_and_only_pending_letters_are_decided(world, citizen_user, oidc_like, make_official,
                                                                      department):
    agent = citizen_user(f.person("钱七", date(1988, 8, 8)))
    letter = agents.submit_letter(agent, world["company"], SimpleUploadedFile("a.pdf", PDF, "application/pdf"))
    official = make_official("centre", department=department)
    with pytest.raises(DomainError, match="最长"):
        agents.approve_letter(letter, official, valid_until=timezone.localdate() + timedelta(days=366))
    agents.reject_letter(letter, official, note="未加盖公章")
    with pytest.raises(DomainError):
        agents.approve_letter(letter, official)
    assert world["company"] not in set(subjects_for_user(agent))


def test_the_legal_representative_sees_and_revokes_an_agents_letter_on_my_page(world, citizen_user, login, oidc_like,
                                                                             make_official, department):
    company = world["company"]
    agent = citizen_user(f.person("钱七", date(1988, 8, 8)))
    letter = agents.submit_letter(agent, company, SimpleUploadedFile("a.pdf", PDF, "application/pdf"))
    agents.approve_letter(letter, make_official("centre", "平台管理员", department=department))
    boss_user = citizen_user(world["boss"])
    boss = login(boss_user)
    assert bind(boss, company).status_code == 302
    page = boss.get("/my/", {"subject": company.code}).content.decode()
    assert "钱七" in page and "撤销授权" in page
    # Another agent bound only by a letter may not revoke someone else's.
    other = citizen_user(f.person("孙八", date(1987, 7, 7)))
    second = agents.submit_letter(other, company, SimpleUploadedFile("b.pdf", PDF, "application/pdf"))
    agents.approve_letter(second, make_official("centre2", "平台管理员", department=department))
    assert login(other).post(f"/my/agent-letters/{letter.pk}/revoke/").status_code == 404
    assert boss.post(f"/my/agent-letters/{letter.pk}/revoke/").status_code == 302
    letter.refresh_from_db()
    assert letter.status == "revoked" and company not in set(subjects_for_user(agent))
    assert company in set(subjects_for_user(other))
