"""Regressions for the separation-of-duties leaks the production-mode attack harness found (F2a, F2b, F5, F9), each
replayed through HTTP on the demo data, as the attacker's accounts (with their real groups and departments) sent it."""

from __future__ import annotations

import pytest

from records.models import Record
from repair.models import RepairNotice
from tests.hardening._world import api_for, build, client_for
from tests.repair import factories as repair_factories

pytestmark = pytest.mark.django_db

ADMINISTRATORS = ("sysadmin", "secadmin")


@pytest.fixture
def world(settings, tmp_path):
    return build(settings, tmp_path)


def _own_department_record(w, who: str) -> Record:
    """A dishonesty record the administrator's own department (the credit centre in the demo) provided."""
    department = w.users[who].department
    assert department is not None, f"the demo's {who} belongs to a department"
    record = Record.objects.filter(source_department=department, category="dishonesty").order_by("pk").first()
    return record or repair_factories.record(department, subj=w.zhang)


# --- F2a: the repair notice, eligibility and change deliveries -------------------------------------------------------

@pytest.mark.parametrize("who", ADMINISTRATORS)
@pytest.mark.parametrize("suffix", ["", "?format=pdf"])
def test_an_administrator_does_not_open_a_repair_notice_of_its_own_department(world, who, suffix):
    """The notice (subject's name, record, document number, severity) answered 200 to the system and security
    administrators for any record of their department, and opening it created the notice row."""
    record = _own_department_record(world, who)
    RepairNotice.objects.filter(record=record).delete()
    response = client_for(world, who).get(f"/repair/records/{record.pk}/notice/{suffix}")
    assert response.status_code == 404
    assert record.basis_number not in response.content.decode(errors="replace")
    assert not RepairNotice.objects.filter(record=record).exists()


@pytest.mark.parametrize("who", ADMINISTRATORS)
@pytest.mark.parametrize("path", ["repair-eligibility", "change-deliveries"])
def test_an_administrator_reads_no_eligibility_nor_deliveries_of_its_department(world, who, path):
    record = _own_department_record(world, who)
    response = api_for(world, who).get(f"/api/v1/records/{record.pk}/{path}/")
    assert response.status_code == 404, response.content.decode()[:300]


@pytest.mark.parametrize("path", ["repair-eligibility", "change-deliveries"])
def test_the_department_officer_still_reads_its_records(world, path):
    response = api_for(world, "officer_scjg").get(f"/api/v1/records/{world.zhang_penalty.pk}/{path}/")
    assert response.status_code == 200


def test_the_department_officer_still_opens_the_notice_of_its_dishonesty_record(world):
    response = client_for(world, "officer_scjg").get(f"/repair/records/{world.zhang_penalty.pk}/notice/")
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["citizen", "officer_scjg", "centre"])
def test_a_record_that_is_not_a_dishonesty_record_has_no_notice_and_a_get_creates_none(world, who):
    """Only dishonesty records carry a repair notice (两书同达); the page created one for any record it was asked."""
    record = repair_factories.record(world.depts["SCJG"], subj=world.zhang, category="trust")
    for suffix in ("", "?format=pdf"):
        response = client_for(world, who).get(f"/repair/records/{record.pk}/notice/{suffix}")
        assert response.status_code == 404
    assert not RepairNotice.objects.filter(record=record).exists()


def test_the_subject_still_receives_the_notice_of_its_dishonesty_record(world):
    record = world.zhang_penalty
    RepairNotice.objects.filter(record=record).delete()
    assert client_for(world, "citizen").get(f"/repair/records/{record.pk}/notice/").status_code == 200
    assert RepairNotice.objects.get(record=record).first_delivered_at is not None


# --- F2b: evaluations are subject queries, whatever the method -------------------------------------------------------

@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditadmin", "auditor", "reviewer"])
def test_evaluations_are_refused_to_roles_without_subject_queries(world, who):
    api = api_for(world, who)
    by_path = api.get(f"/api/v1/evaluations/{world.bank.code}/")
    by_body = api.post("/api/v1/evaluations/query/", {"code": world.bank.code}, format="json")
    assert (by_path.status_code, by_body.status_code) == (403, 403), (by_path.content[:200], by_body.content[:200])
    assert '"score"' not in by_path.content.decode() + by_body.content.decode()


@pytest.mark.parametrize("who", ["token:SCJG", "token:SWJ", "officer_scjg", "centre", "handler"])
def test_evaluations_still_answer_department_systems_and_querying_officials(world, who):
    api = api_for(world, who)
    assert api.get(f"/api/v1/evaluations/{world.bank.code}/").status_code == 200
    assert api.post("/api/v1/evaluations/query/", {"code": world.bank.code}, format="json").status_code == 200


@pytest.mark.parametrize("who", ADMINISTRATORS)
@pytest.mark.parametrize("url", ["/api/v1/commitments/", "/api/v1/interviews/", "/api/v1/joint-check/matters/",
                                 "/api/v1/measures/", "/api/v1/red-list/", "/api/v1/severe-list/"])
def test_the_sanctions_api_reads_nothing_for_the_system_and_security_administrators(world, who, url):
    """The same exemption of safe methods let them read their department's commitments, interviews and checks."""
    assert api_for(world, who).get(url).status_code == 403


@pytest.mark.parametrize("who", ["auditadmin", "token:SCJG", "officer_scjg"])
def test_the_sanctions_lists_still_read_for_the_auditing_and_business_accounts(world, who):
    assert world.users.get(who) is None or world.users[who].department is not None  # the demo's accounts hold one
    assert api_for(world, who).get("/api/v1/commitments/").status_code == 200


# --- F5: the query purposes are for those who query --------------------------------------------------------------------

def test_the_query_purposes_need_a_token_or_an_official(world):
    assert api_for(world, "anonymous").get("/api/v1/query-purposes/").status_code == 401
    assert api_for(world, "citizen").get("/api/v1/query-purposes/").status_code == 403
    for who in ("token:SCJG", "officer_scjg"):
        response = api_for(world, who).get("/api/v1/query-purposes/")
        assert response.status_code == 200 and response.json()["results"]


# --- F9: an objection over several departments' records ---------------------------------------------------------------

def test_an_objection_over_two_departments_shows_a_department_only_the_other_records_ids(world):
    """The objection lists every record it is about (the handling needs to know it spans departments) by opaque id
    only: no other department's document number, content or subject detail, and the id itself answers 404."""
    from objections import services as objection_services

    scjg = world.depts["SCJG"]
    scjg_record = repair_factories.record(scjg, subj=world.zhang)
    swj_record = repair_factories.record(world.depts["SWJ"], subj=world.zhang)
    objection = objection_services.file_objection(
        records=[scjg_record, swj_record], ground="inaccurate", statement="两条记录均有误", actor=world.users["centre"],
        channel="counter", handling_department=world.users["centre"].department or scjg, applicant=world.users["citizen"])
    api = api_for(world, "token:SCJG")
    response = api.get(f"/api/v1/objections/{objection.pk}/")
    assert response.status_code == 200, response.content.decode()[:300]
    body = response.content.decode()
    assert sorted(response.json()["records"]) == sorted([scjg_record.pk, swj_record.pk])
    assert swj_record.basis_number not in body and swj_record.source_ref not in body
    assert api.get(f"/api/v1/records/{swj_record.pk}/").status_code == 404
    assert api.get(f"/api/v1/records/{swj_record.pk}/repair-eligibility/").status_code == 404
