"""Credit commitments: verification due date, reminders and escalation, broken commitments, the commitment route."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from catalog.models import Category, MatterType
from credit_platform.models import Notification
from credit_platform.roles import PLATFORM_ADMIN
from records.models import Record
from sanctions import services, sweeps
from sanctions.models import Commitment
from tests.catalog.factories import CatalogItemFactory, CatalogVersionFactory, publish
from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(make_official, department):
    from credit_platform.roles import DEPARTMENT_OFFICER

    return make_official("officer_scjg", DEPARTMENT_OFFICER, department=department), make_official("centre", PLATFORM_ADMIN)


@pytest.fixture
def commitment_item(department):
    version = CatalogVersionFactory()
    CatalogItemFactory(version=version, code="T-WN", name="违反信用承诺信息", category=Category.DISHONESTY,
                       matter_type=MatterType.COMMITMENT, providers=[department])
    publish(version)
    return "T-WN"


def post_commitment(client, subject, ref="XK-1", decided="2026-09-10", **extra):
    payload = {"subject": subject.code, "source_ref": ref, "kind": "licence", "matter": "administrative_licence",
               "title": "食品经营许可告知承诺", "content": "承诺具备食品经营条件，两个月内补交场所证明材料",
               "made_on": decided, "licence_number": "JY2026-001", "licence_decided_on": decided, **extra}
    return client.post("/api/v1/commitments/", payload, format="json")


def test_verification_due_two_months_after_the_licence(client_scjg, licensing, profile):
    profile("heilongjiang")  # art. 30
    subject = f.org()
    response = post_commitment(client_scjg, subject)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["verification_due"] == "2026-11-10" and "第三十条" in body["verification_article"]
    assert post_commitment(client_scjg, subject).status_code == 200  # idempotent on source_ref
    assert Commitment.objects.count() == 1


def test_no_statutory_due_where_the_profile_sets_none(client_scjg, licensing, profile):
    profile("karamay")
    body = post_commitment(client_scjg, f.org()).json()
    assert body["verification_due"] is None


def test_reminder_then_escalation_each_once(client_scjg, licensing, profile, officers):
    profile("heilongjiang")
    officer, centre = officers
    c = Commitment.objects.get(pk=post_commitment(client_scjg, f.org(), decided="2026-09-10").json()["id"])
    before = timezone.make_aware(timezone.datetime(2026, 11, 1, 8, 0))
    assert sweeps.commitments(before)["reminded"] == 1
    assert sweeps.commitments(before) == {"reminded": 0, "escalated": 0, "rectification_due": 0}
    assert Notification.objects.filter(user=officer, event_key=f"sanctions:commitment:{c.pk}:remind").count() == 1
    overdue = timezone.make_aware(timezone.datetime(2026, 11, 20, 8, 0))
    assert sweeps.commitments(overdue)["escalated"] == 1
    assert sweeps.commitments(overdue)["escalated"] == 0
    assert Notification.objects.filter(user=centre, event_key=f"sanctions:commitment:{c.pk}:overdue").count() == 1


def test_broken_commitment_becomes_dishonesty_and_revokes_and_bars(client_scjg, department, licensing, profile,
                                                                   commitment_item):
    profile("heilongjiang")
    subject = f.org()
    cid = post_commitment(client_scjg, subject, decided=str(date.today() - timedelta(days=30))).json()["id"]
    url = f"/api/v1/commitments/{cid}/verification/"
    no_revocation = client_scjg.post(url, {"result": "false", "finding_number": "克市监核〔2026〕3号"}, format="json")
    assert no_revocation.status_code == 400 and no_revocation.json()["code"] == "revocation_required"
    response = client_scjg.post(url, {"result": "false", "finding_number": "克市监核〔2026〕3号",
                                      "revocation_number": "克市监撤〔2026〕1号", "note": "场所证明系伪造"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "broken" and body["decision_revoked"] is True
    rec = Record.objects.get(pk=body["record"])
    assert rec.subject == subject and rec.category == "dishonesty" and rec.severity == "general"
    # barred from the commitment route until repaired (Heilongjiang art. 28) — the joint check says so
    answer = client_scjg.post("/api/v1/joint-check/", {"subject": subject.code, "matter": "administrative_licence"},
                              format="json").json()
    assert answer["commitment_route"]["allowed"] is False
    assert answer["commitment_route"]["because"] == [f"commitment:{cid}"]
    refused = post_commitment(client_scjg, subject, ref="XK-2")
    assert refused.status_code == 400 and refused.json()["code"] == "commitment_route_barred"
    rec.status = "repaired"
    rec.save()
    services.on_record_repaired(rec, actor="reviewer", reason="已修复")
    answer = client_scjg.post("/api/v1/joint-check/", {"subject": subject.code, "matter": "administrative_licence"},
                              format="json").json()
    assert answer["commitment_route"]["allowed"] is True
    assert post_commitment(client_scjg, subject, ref="XK-3").status_code == 201


def test_severe_list_bars_the_commitment_route(client_scjg, department, licensing, profile):
    profile("heilongjiang")
    subject = f.org()
    rec = f.record(department, subject, severity="severe")
    entry = services.list_court_debtor(subject, department=department, case_number="执1", decision_number="决1",
                                       reasons="", basis="最高人民法院规定", records=[rec], actor="t")
    response = post_commitment(client_scjg, subject)
    assert response.status_code == 400
    assert f"severe_list:{entry.pk}" in response.json()["fields"]["subject"]


def test_rectification_then_kept(client_scjg, licensing, profile):
    profile("heilongjiang")
    cid = post_commitment(client_scjg, f.org()).json()["id"]
    url = f"/api/v1/commitments/{cid}/verification/"
    assert client_scjg.post(url, {"result": "rectification"}, format="json").status_code == 400
    later = str(date.today() + timedelta(days=20))
    assert client_scjg.post(url, {"result": "rectification", "rectify_by": later}, format="json").json()["status"] == "rectification"
    assert client_scjg.post(url, {"result": "kept", "note": "已补交材料"}, format="json").json()["status"] == "kept"
    assert client_scjg.post(url, {"result": "kept"}, format="json").status_code == 400


def test_public_commitments(department, licensing):
    company, citizen = f.org(), f.person()
    for s in (company, citizen):
        services.record_commitment(department=department, subject=s, source_ref=f"P-{s.pk}", title="承诺", content="内容",
                                   made_on=date(2026, 5, 1), kind="voluntary", actor="t")
    assert len(services.public_commitments(company)) == 1
    assert services.public_commitments(citizen) == []
