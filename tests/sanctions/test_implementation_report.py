"""Qufu art. 41: the credit centre publishes, regularly, how each department implemented the joint check — measures
applied, measures not applied with their written reasons — on a public page and a public API, from an aggregate the
nightly sweep refreshes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from sanctions import sweeps
from sanctions.models import ImplementationReport
from tests.sanctions import factories as f
from tests.sanctions.test_joint_check_api import URL, ask

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
API = "/api/v1/joint-check/implementation/"


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def checks(settings, client_scjg, department, procurement):
    """One check late on 30 September with feedback, one just after midnight on 1 October Shanghai time (still
    30 September in UTC) without."""
    with time_machine.travel(at(2026, 9, 1, 9, 0), tick=False):  # the measure list was published before the checks
        published = f.measure_list()
        f.measure(published, code="CG-GENERAL", name="政府采购中给予信用减分", matters=[procurement],
                  severities=["general", "severe", "specific_severe"], rights_impact="facilitation")
        f.measure(published, code="CG-SEVERE", name="限制参加政府采购活动", matters=[procurement], tier="severe",
                  severities=["severe", "specific_severe"])
        f.publish(published)
    subject = f.org("曲阜示例工程有限公司")
    f.record(department, subject, severity="severe")
    with time_machine.travel(at(2026, 9, 30, 23, 30), tick=False):
        first = ask(client_scjg, subject)
        codes = [m["code"] for m in first["measures"]]
        assert codes, first
        results = [{"measure": codes[0], "outcome": "not_applied", "reason": "项目已完成招标，联系人电话13812345678"}]
        results += [{"measure": code, "outcome": "applied"} for code in codes[1:]]
        response = client_scjg.post(f"{URL}{first['check_id']}/feedback/", {"results": results}, format="json")
        assert response.status_code == 200, response.content
    with time_machine.travel(at(2026, 10, 1, 0, 30), tick=False):
        ask(client_scjg, subject)
    settings.CREDIT_POLICY = "qufu"  # the checks are the same under any profile; publishing them is Qufu's duty
    sweeps.implementation_report(at(2026, 10, 2, 2, 0))
    return codes


def test_qufu_41_api_reports_applied_and_not_applied_with_reasons(checks, department):
    client = APIClient()  # public: no token, no login
    september = client.get(API, {"period": "2026-09"})
    assert september.status_code == 200, september.content
    body = september.json()
    assert body["period"] == "2026-09" and body["final"] is True and "第四十一条" in body["article"]
    [row] = body["departments"]
    assert row["department"] == department.name
    n = len(checks)
    assert (row["checks"], row["returned"], row["applied"], row["not_applied"], row["pending"]) == (1, n, n - 1, 1, 0)
    assert row["feedback_rate"] == 1.0
    [reason] = row["not_applied_reasons"]
    assert reason["measure_code"] == checks[0] and "项目已完成招标" in reason["reason"]
    assert "13812345678" not in reason["reason"]  # identifiers in free text are masked
    october = client.get(API, {"period": "2026-10"}).json()  # 00:30 on 1 October Shanghai time is October
    assert october["final"] is False
    assert (october["departments"][0]["checks"], october["departments"][0]["pending"]) == (1, n)
    assert client.get(API).json()["period"] == "2026-10"  # latest by default
    assert set(october["periods"]) == {"2026-09", "2026-10"}


def test_bad_and_unknown_periods_are_clear_errors(checks):
    client = APIClient()
    bad = client.get(API, {"period": "2026-13"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_period" and "period" in bad.json()["fields"]
    assert client.get(API, {"period": "2026/9"}).json()["code"] == "invalid_period"
    missing = client.get(API, {"period": "2025-01"})
    assert missing.status_code == 404 and missing.json()["code"] == "no_report"


def test_public_page_and_refresh(checks, client_scjg, department, client):
    page = client.get("/lists/implementation/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "联合奖惩实施情况通报" in html and department.name in html and "2026年10月" in html
    html = client.get("/lists/implementation/", {"period": "2026-09"}).content.decode()
    assert "项目已完成招标" in html and "138****5678" in html
    assert "月份格式应为" in client.get("/lists/implementation/", {"period": "nonsense"}).content.decode()
    # the page reads the aggregate: new feedback shows after the next refresh, not before
    october = ImplementationReport.objects.get(period="2026-10-01")
    n = len(checks)
    assert october.totals["pending"] == n
    with time_machine.travel(at(2026, 10, 2, 9, 0), tick=False):
        from sanctions.models import JointCheck

        check = JointCheck.objects.order_by("-asked_at").first()
        client_scjg.post(f"{URL}{check.check_id}/feedback/", {"outcome": "applied"}, format="json")
    october.refresh_from_db()
    assert october.totals["pending"] == n
    sweeps.implementation_report(at(2026, 10, 3, 2, 0))
    october.refresh_from_db()
    assert october.totals["pending"] == 0 and october.totals["applied"] == n


def test_profiles_without_the_duty_publish_nothing(settings, client, department):
    settings.CREDIT_POLICY = "karamay"
    assert sweeps.implementation_report(at(2026, 10, 2, 2, 0)) == {"refreshed": 0}
    assert client.get("/lists/implementation/").status_code == 404
    response = APIClient().get(API)
    assert response.status_code == 404 and response.json()["code"] == "not_published"


def test_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/joint-check/implementation/"]["get"]
    assert {"200", "400", "404", "429"} <= set(operation["responses"])
    assert operation.get("security") in (None, [], [{}]) or {} in operation["security"]
