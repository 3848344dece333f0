"""Opt-out, authorisations, government queries: nobody sees a non-public field without the right to it (the own-record
page /my/ itself: tests/portal/test_my_record.py)."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import QueryLogEntry
from credit_platform.exceptions import DomainError
from disclosure.models import Authorisation
from disclosure.services import grant_authorisation
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db


def test_trust_opt_out_and_undo(world, citizen_user, login):
    c = login(citizen_user(world["company"]))
    public = f"/api/v1/public/subjects/{world['company'].code}/"
    assert world["trust"].pk in {r["id"] for r in Client().get(public).json()["records"]}
    c.post("/my/trust-opt-out/", {"subject": world["company"].code})
    assert world["trust"].pk not in {r["id"] for r in Client().get(public).json()["records"]}  # immediately
    from disclosure.models import TrustOptOut

    opt = TrustOptOut.objects.get(subject=world["company"])
    assert opt.stopped_at is not None and opt.stop_due >= timezone.localdate() and "第三十六条" in opt.rule_article
    # a trust record arriving later is not published either
    later = f.record(world["company"], world["trust"].catalog_item, world["trust"].source_department)
    assert later.pk not in {r["id"] for r in Client().get(public).json()["records"]}
    c.post("/my/trust-opt-out/", {"subject": world["company"].code, "action": "withdraw"})
    ids = {r["id"] for r in Client().get(public).json()["records"]}
    assert world["trust"].pk in ids and later.pk in ids


def _bank(citizen_user):
    bank = f.SubjectFactory(name="某某银行克拉玛依分行")
    return bank, citizen_user(bank, username="bank_agent")


def test_authorise_a_bank_for_30_days_scope_expiry_revocation(world, citizen_user, login, items):
    owner = login(citizen_user(world["company"]))
    bank, agent = _bank(citizen_user)
    expires = timezone.localdate() + timedelta(days=30)
    r = owner.post("/my/authorisations/", {"subject": world["company"].code, "grantee_name": bank.name,
                                           "grantee_code": bank.code, "categories": ["dishonesty"],
                                           "purpose": "办理经营贷款审批", "expires_on": expires.isoformat()})
    assert r.status_code == 302, r.content.decode()
    grant = Authorisation.objects.get()
    bank_client = login(agent)
    assert bank.name in owner.get("/my/authorisations/", {"subject": world["company"].code}).content.decode()
    assert world["company"].name in bank_client.get("/authorised/").content.decode()
    body = bank_client.get(f"/authorised/{grant.pk}/").content.decode()
    assert "欠缴社会保险费信息" in body  # non-public dishonesty in scope
    assert "行政许可信息" not in body and "表彰奖励信息" not in body  # other categories out of scope
    assert "2020-01-10" not in body  # archived information is never disclosed again
    log = QueryLogEntry.objects.get(action="authorised")
    assert log.actor_id == agent.pk and log.purpose_label == "办理经营贷款审批"
    assert "办理经营贷款审批" in owner.get("/my/queries/", {"subject": world["company"].code}).content.decode()

    # another citizen gets nothing
    stranger = login(citizen_user(world["citizen"]))
    assert stranger.get(f"/authorised/{grant.pk}/").status_code == 403

    # expired
    Authorisation.objects.filter(pk=grant.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    assert bank_client.get(f"/authorised/{grant.pk}/").status_code == 403
    Authorisation.objects.filter(pk=grant.pk).update(expires_on=expires)
    assert bank_client.get(f"/authorised/{grant.pk}/").status_code == 200
    # revoked
    owner.post(f"/my/authorisations/{grant.pk}/revoke/")
    assert bank_client.get(f"/authorised/{grant.pk}/").status_code == 403


def test_no_lifetime_or_blanket_authorisation(world, citizen_user, login):
    owner = login(citizen_user(world["company"]))
    bank = f.SubjectFactory(name="某银行")
    base = {"subject": world["company"].code, "grantee_name": bank.name, "grantee_code": bank.code,
            "categories": ["dishonesty"], "purpose": "贷款"}
    r = owner.post("/my/authorisations/", dict(base, expires_on=(timezone.localdate() + timedelta(days=400)).isoformat()))
    assert r.status_code == 200 and "最长365日" in r.content.decode()
    r = owner.post("/my/authorisations/", dict(base, categories=[], expires_on=timezone.localdate().isoformat()))
    assert r.status_code == 200
    assert not Authorisation.objects.exists()
    with pytest.raises(DomainError) as refused:
        grant_authorisation(world["company"], None, grantee_name="x", grantee_code="bad", categories=["basic"],
                            purpose="p", expires_on=date.today())
    assert refused.value.code == "invalid_grantee_code" and refused.value.field == "grantee_code"


def test_government_query_requires_a_statutory_purpose(world, token_client, department, make_official):
    api = token_client(department)
    url = "/api/v1/subjects/query/"  # the code in the body: a resident ID number never in a URL
    citizen = {"code": world["citizen"].code}
    r = api.post(url, citizen, format="json")
    assert r.status_code == 400 and r.json()["fields"]["purpose"]
    r = api.post(url, {**citizen, "purpose": "curiosity"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "unknown_purpose"
    assert not QueryLogEntry.objects.exists()
    purposes = api.get("/api/v1/query-purposes/").json()["results"]  # for those who query, not the public
    assert purposes[0]["code"] == "licensing_inspection_penalty" and "第二十八条" in purposes[0]["article"]
    r = api.post(url, {**citizen, "purpose": purposes[0]["code"]}, format="json")
    assert r.status_code == 200
    data = r.json()
    assert data["name"] == "张伟" and [x["id"] for x in data["records"]] == [world["cit_penalty"].pk]
    entry = QueryLogEntry.objects.get()
    assert entry.action == "government" and entry.purpose == purposes[0]["code"] and entry.department_code == department.code
    # the company: non-public included, archived not
    data = api.get(f"/api/v1/subjects/{world['company'].code}/", {"purpose": purposes[0]["code"]}).json()
    ids = {x["id"] for x in data["records"]}
    assert world["hidden"].pk in ids and world["old"].pk not in ids
    # citizens and the public cannot use it
    assert Client().post(url, {**citizen, "purpose": purposes[0]["code"]}).status_code in (401, 403)
    assert api.get("/api/v1/subjects/bad!code/", {"purpose": purposes[0]["code"]}).json()["code"] == "invalid_code"
    assert api.get("/api/v1/subjects/91650200MA0000000X/", {"purpose": purposes[0]["code"]}).status_code == 404


def test_citizen_session_cannot_use_the_government_api(world, citizen_user, login):
    c = login(citizen_user(world["citizen"]))
    assert c.get(f"/api/v1/subjects/{world['company'].code}/", {"purpose": "other_legal"}).status_code == 403
