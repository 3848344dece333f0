"""Fuzhou art. 16(1) — the green channel / 容缺受理 needs N years without a bad credit record (a condition of the
MEASURE) — and the joint check refusing a malformed subject code (a typo never reads as a clean subject)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sanctions import rules
from sanctions.models import JointCheck
from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/joint-check/"
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def green_channel(licensing):
    lst = f.measure_list(title="福州市守信激励措施清单")
    measure = f.measure(
        lst, code="LVSE-TONGDAO", name="行政许可“绿色通道”“容缺受理”", kind="incentive", trigger="record",
        tier="", categories=["trust"], severities=[], rights_impact="none", matters=[licensing],
        legal_basis="《福州市社会信用管理办法》第十六条第（一）项", clean_record_condition=True,
    )
    plain = f.measure(lst, code="YOUXIAN", name="优先办理", kind="incentive", trigger="record", tier="",
                      categories=["trust"], severities=[], rights_impact="none", matters=[licensing],
                      legal_basis="《福州市社会信用管理办法》第十六条")
    f.publish(lst)
    return measure, plain


def _codes(client, subject):
    response = client.post(URL, {"subject": subject.code, "matter": "administrative_licence"}, format="json")
    assert response.status_code == 200, response.content
    return {m["code"] for m in response.json()["measures"]}


@pytest.mark.parametrize(("status", "applies"), [
    ("active", False),  # a bad credit record in force
    ("corrected", False),
    ("expired", True),  # publicity ended: no longer a 不良信用记录
    ("repaired", True),  # repaired: sharing and use stop (NDRC Order 36)
    ("revoked", True),
])
def test_fuzhou_art16_1_green_channel_needs_no_bad_record_in_force(client_scjg, department, profile, green_channel,
                                                                   status, applies):
    profile("fuzhou")
    subject = f.org()
    f.record(department, subject, category="trust")
    f.record(department, subject, severity="general", status=status, decided_on=date(2025, 3, 1))
    codes = _codes(client_scjg, subject)
    assert ("LVSE-TONGDAO" in codes) is applies
    assert "YOUXIAN" in codes  # a measure without the condition is not affected


def test_fuzhou_art16_1_condition_only_where_the_profile_sets_the_years(client_scjg, department, profile, green_channel):
    profile("zhangye")  # no such rule: the flag on the measure asks for nothing
    subject = f.org()
    f.record(department, subject, category="trust")
    f.record(department, subject, severity="minor", status="active")
    assert "LVSE-TONGDAO" in _codes(client_scjg, subject)


def test_fuzhou_art16_1_rule_is_pure():
    facts = rules.SubjectFacts("legal_person", records=(
        rules.RecordFact(1, "dishonesty", "general", "repaired", date(2025, 1, 1)),
        rules.RecordFact(2, "dishonesty", "general", "active", date(2020, 1, 1)),
        rules.RecordFact(3, "trust", "", "active", date(2025, 1, 1)),
    ))
    from credit_platform.policies import get_policy

    assert rules.clean_record_blockers(facts, get_policy("fuzhou")) == ["record:2"]
    assert rules.clean_record_blockers(facts, get_policy("karamay")) == []


# --- the joint check answers a malformed subject code with 400 ---------------------------------------------------
@pytest.mark.parametrize(("code", "error"), [
    ("91650200000007771G", "invalid_uscc"),  # wrong check character
    ("91650200MA0000000X", "invalid_uscc_org_code"),  # the embedded organisation code fails GB 11714
    ("650203198003040100", "invalid_id_checksum"),  # an ID number typo (…0102 is valid)
    ("650203208003040100", None),  # placeholder: replaced below by a future birth date
    ("E1234", "unknown_identifier"),  # not a USCC / ID, and no subject on file has it
    ("   ", "required"),
])
def test_joint_check_malformed_subject_code_is_400(client_scjg, procurement, code, error):
    from credit_platform.identifiers import make_ric

    if error is None:
        code, error = make_ric("650203", date(2030, 1, 1), 5), "invalid_id_birth_date"
    response = client_scjg.post(URL, {"subject": code, "matter": "government_procurement"}, format="json")
    if error == "required":  # the serializer refuses a blank field first
        assert response.status_code == 400 and response.json()["fields"]["subject"]
        return
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_subject_code" and body["fields"]["subject"] == [error]
    assert body["message"]
    assert not JointCheck.objects.exists()  # nothing answered, nothing logged as a check


def test_joint_check_valid_codes_still_answer(client_scjg, procurement):
    person = f.person()
    for code in ("91650200000007771F", person.code, person.code.lower()):
        response = client_scjg.post(URL, {"subject": code, "matter": "government_procurement"}, format="json")
        assert response.status_code == 200, (code, response.content)
    other_document = f.Subject.objects.create(type="natural_person", code_type="passport", code="E12345678",
                                              name="外籍人员")
    response = client_scjg.post(URL, {"subject": other_document.code, "matter": "government_procurement"}, format="json")
    assert response.status_code == 200 and response.json()["subject_found"] is True
